/**
 * The SQLite file is shared with the command line docs/operations.md tells administrators to use while the
 * server runs, and with anyone who opens it in a `sqlite3` shell. Another connection holding the
 * write lock must never cost a citizen their answers or freeze the server for everyone else.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import pg from 'pg';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './support/app.ts';
import { citizenAt, type HeldForm, staffMember } from './support/actors.ts';
import { buildDesk, shortAnswers, type TestDesk } from './support/builders.ts';
import { listen } from './support/browser.ts';
import { DIALECTS } from './support/dialects.ts';
import { buildUser } from './support/staff.ts';

const root = join(import.meta.dirname, '..');


/** Holds SQLite's write lock from another connection, as a CLI command or a sqlite3 shell would. */
function holdWriteLock(file: string, ms: number): Promise<number> {
  const other = new SqliteDatabase(file);
  other.exec('begin immediate');
  return new Promise((resolve) =>
    setTimeout(() => {
      other.exec('commit');
      other.close();
      resolve(Date.now());
    }, ms),
  );
}

interface Timed {
  status: number;
  at: number;
  text: string;
  retryAfter: string | null;
}

/** A request's answer and the moment it had all arrived. */
const timed = (req: PromiseLike<request.Response>): Promise<Timed> =>
  Promise.resolve(req).then((res) => ({ status: res.status, text: res.text, at: Date.now(), retryAfter: res.headers['retry-after'] ?? null }));

/** `n` citizens, each with the desk's form open on their phone, at a server listening at `base`. */
const openForms = (base: string, desk: TestDesk, n: number): Promise<HeldForm[]> => Promise.all(Array.from({ length: n }, () => citizenAt(base, desk).take()));

describe('SQLite locked by another connection', () => {
  let patient: TestApp;
  let hasty: TestApp;
  beforeAll(async () => {
    patient = await startTestApp('sqlite');
    hasty = await startTestApp('sqlite', { DATABASE_BUSY_TIMEOUT_MS: '800' });
  });
  afterAll(async () => {
    await patient.close();
    await hasty.close();
  });

  it('for 3 s: submissions wait and are stored (303), while other pages and the dashboard keep being answered', async () => {
    const t = patient;
    const desk = await buildDesk(t.db, t.ready.secret);
    await buildUser(t.db, 'quantri', 'admin', null);
    const server = await listen(t.app);
    try {
      const forms = await openForms(server.url, desk, 10);
      const official = await staffMember(server.url, 'quantri');
      // An official who had the dashboard open already (their session holds its form token).
      expect((await official.get('/dashboard')).status).toBe(200);

      const released = holdWriteLock(t.ready.db.sqliteFile ?? '', 3000);
      const posts = forms.map((form) => timed(form.send(shortAnswers())));
      const stylesheet = timed(request(server.url).get('/css/app.css'));
      const dashboard = timed(official.get('/dashboard'));
      const releasedAt = await released;
      const [results, css, dash] = await Promise.all([Promise.all(posts), stylesheet, dashboard]);

      expect(results.map((r) => r.status)).toEqual(forms.map(() => 303));
      // Not one of them was answered before the lock went: they waited for it, not failed.
      expect(results.every((r) => r.at >= releasedAt)).toBe(true);
      // Meanwhile the process kept serving: nothing waited for SQLite inside the event loop.
      expect(css.status).toBe(200);
      expect(css.at).toBeLessThan(releasedAt);
      expect(dash.status).toBe(200);
      expect(dash.at).toBeLessThan(releasedAt);
      const stored = await t.db.selectFrom('responses').select('id').where('desk_id', '=', desk.id).execute();
      expect(stored).toHaveLength(10);
    } finally {
      await server.close();
    }
  }, 30_000);

  it('longer than DATABASE_BUSY_TIMEOUT_MS: a 503 with Retry-After and every answer kept, never a 500; sent again afterwards, stored once', async () => {
    const t = hasty;
    const desk = await buildDesk(t.db, t.ready.secret);
    const server = await listen(t.app);
    try {
      const forms = await openForms(server.url, desk, 5);
      const released = holdWriteLock(t.ready.db.sqliteFile ?? '', 2500);
      const [results, health] = await Promise.all([Promise.all(forms.map((form) => timed(form.send(shortAnswers())))), timed(request(server.url).get('/healthz'))]);
      await released;
      expect(health.status).toBe(503);
      expect(JSON.parse(health.text)).toEqual({ status: 'database cannot be written' });
      expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
      for (const r of results) {
        expect(r.status).toBe(503);
        expect(r.retryAfter).toBe('5');
        expect(r.text).toContain('Hệ thống đang bận nên phiếu chưa được lưu');
        expect(r.text).toMatch(/name="a" value="5"\s+checked/);
        expect(r.text).toContain('Cán bộ nhiệt tình.');
      }
      const again = await Promise.all(forms.map((form) => form.send(shortAnswers())));
      expect(again.map((r) => r.status)).toEqual(forms.map(() => 303));
      expect(await t.db.selectFrom('responses').select('id').where('desk_id', '=', desk.id).execute()).toHaveLength(5);
    } finally {
      await server.close();
    }
  }, 30_000);

  it('npm run sipas commands run beside a server under load: the command succeeds and no citizen gets a 500', async () => {
    const t = patient;
    const desk = await buildDesk(t.db, t.ready.secret);
    const server = await listen(t.app);
    try {
      let stop = false;
      const statuses: number[] = [];
      const load = (async () => {
        for (let i = 0; i < 400 && !stop; i++) statuses.push((await citizenAt(server.url, desk).submit(shortAnswers())).status);
      })();
      const { BASE_URL: _vite, ...inherited } = process.env;
      const cli = spawn(process.execPath, [join(root, 'dist/server/cli/main.js'), 'user', 'add', '--username', 'them.luc.tai', '--role', 'admin'], {
        cwd: root,
        env: { ...inherited, DATABASE_URL: t.config.databaseUrl, LOG_LEVEL: 'silent' },
      });
      cli.stdin.end('mot-mat-khau-rat-dai-2025\n');
      let err = '';
      cli.stderr.on('data', (d: Buffer) => (err += d.toString()));
      const code = await new Promise<number | null>((resolve) => cli.on('exit', resolve));
      stop = true;
      await load;
      expect(err).toBe('');
      expect(code).toBe(0);
      expect(statuses.length).toBeGreaterThan(0);
      expect(statuses.filter((s) => s !== 303)).toEqual([]);
      expect(await t.db.selectFrom('users').select('id').where('username', '=', 'them.luc.tai').executeTakeFirst()).toBeDefined();
    } finally {
      await server.close();
    }
  }, 60_000);
});

/**
 * Another connection holds a lock the submissions need: SQLite's write lock, or on PostgreSQL a
 * psql session's `lock table responses` (a hand-run migration, a careless report query).
 */
async function holdLock(t: TestApp, ms: number): Promise<{ released: Promise<number> }> {
  if (t.dialect === 'sqlite') return { released: holdWriteLock(t.ready.db.sqliteFile ?? '', ms) };
  const other = new pg.Client({ connectionString: t.config.databaseUrl });
  await other.connect();
  await other.query('begin');
  await other.query('lock table responses in exclusive mode');
  const released = new Promise<number>((resolve) =>
    setTimeout(() => {
      void other
        .query('commit')
        .then(() => other.end())
        .then(() => resolve(Date.now()));
    }, ms),
  );
  return { released };
}

describe.each(DIALECTS)('a lock held past DATABASE_BUSY_TIMEOUT_MS on %s', (dialect) => {
  const SETTING_MS = 2_000;
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(dialect, { DATABASE_BUSY_TIMEOUT_MS: String(SETTING_MS) });
  });
  afterAll(() => t.close());

  it('each citizen gets the 503 at the setting counted from their own send, not after the submissions ahead of them as well', async () => {
    const desk = await buildDesk(t.db, t.ready.secret);
    const server = await listen(t.app);
    try {
      const forms = await openForms(server.url, desk, 6);
      const { released } = await holdLock(t, 4_000);
      // Sends spread over 1.2 s: the later ones arrive while the earlier ones are already waiting.
      const sends = forms.map(async (form, i) => {
        await new Promise((resolve) => setTimeout(resolve, i * 240));
        const sent = Date.now();
        const res = await form.send(shortAnswers());
        return { status: res.status, text: res.text, waited: Date.now() - sent };
      });
      const results = await Promise.all(sends);
      await released;
      for (const r of results) {
        expect(r.status).toBe(503);
        expect(r.text).toContain('Hệ thống đang bận nên phiếu chưa được lưu');
      }
      const waits = results.map((r) => r.waited);
      expect(Math.max(...waits), `waits: ${waits.join(', ')} ms`).toBeLessThanOrEqual(SETTING_MS * 1.2);
      // They did wait for the lock, not give up at once.
      expect(Math.min(...waits), `waits: ${waits.join(', ')} ms`).toBeGreaterThanOrEqual(SETTING_MS * 0.8);
      expect(await t.db.selectFrom('responses').select('id').where('desk_id', '=', desk.id).execute()).toHaveLength(0);
      // The lock gone, the same forms are taken.
      const again = await Promise.all(forms.map((form) => form.send(shortAnswers())));
      expect(again.map((r) => r.status)).toEqual(forms.map(() => 303));
      expect(await t.db.selectFrom('responses').select('id').where('desk_id', '=', desk.id).execute()).toHaveLength(6);
    } finally {
      await server.close();
    }
  }, 30_000);
});
