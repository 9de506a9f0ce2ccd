/**
 * `npm run sipas -- copy --to URL`, as an IT officer moving a SQLite installation to PostgreSQL (or
 * to another SQLite file): every row, the same answers from the API, the same printed QR codes.
 */
import request from 'supertest';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect } from '../db/connect.ts';
import { copyDatabase, tablesNotCopied } from '../db/copy.ts';
import { migrateToLatest } from '../db/migrate.ts';
import { createApp } from '../server/app.ts';
import { prepareDatabase, type Ready } from '../server/start/bootstrap.ts';
import { loadConfig } from '../server/start/config.ts';
import { createLogger } from '../server/log.ts';
import { citizenAt } from './support/actors.ts';
import { shortAnswers } from './support/builders.ts';
import { sipas } from './support/cli.ts';
import { countRows, type FreshDatabase, freshDatabase } from './support/db.ts';
import { DIALECTS } from './support/dialects.ts';
import { significant } from './support/numbers.ts';

const QUERIES = [
  '/api/v1/indicators?period=12m',
  '/api/v1/indicators?period=quarter&field=dat-dai',
  '/api/v1/questions?period=12m',
  '/api/v1/indicators?period=12m&unit=trung-tam-phuc-vu-hanh-chinh-cong-tinh-nghe-an',
];

describe.each(DIALECTS)('copying a SQLite database with a year of responses to %s', (dialect) => {
  let source: FreshDatabase;
  let target: FreshDatabase;
  let token: string;
  let deskUrl: string;
  let copied: { status: number | null; stdout: string; stderr: string };

  async function open(url: string): Promise<{ ready: Ready; app: ReturnType<typeof createApp> }> {
    const config = loadConfig({ DATABASE_URL: url, BASE_URL: 'http://sipas.test', SURVEY_MIN_SECONDS: '0' });
    const ready = await prepareDatabase(config);
    return { ready, app: createApp({ db: ready.db.kysely, config, secret: ready.secret, logger: createLogger('silent') }) };
  }

  async function answers(url: string): Promise<unknown[]> {
    const { ready, app } = await open(url);
    try {
      const bodies: unknown[] = [];
      for (const path of QUERIES) bodies.push((await request(app).get(path).set('Authorization', `Bearer ${token}`).expect(200)).body);
      return bodies;
    } finally {
      await ready.db.close();
    }
  }

  beforeAll(async () => {
    source = await freshDatabase('sqlite');
    target = await freshDatabase(dialect);
    const env = { DATABASE_URL: source.url, BASE_URL: 'http://sipas.test' };
    expect(sipas(['seed', '--demo', '--responses', '300'], env).status).toBe(0);
    expect(sipas(['user', 'add', '--username', 'it.officer', '--role', 'admin'], env, 'mot-mat-khau-du-dai\n').status).toBe(0);
    token = sipas(['token', 'create', '--username', 'it.officer'], env).stdout.trim().split('\n').at(-1) ?? '';
    const desks = JSON.parse(sipas(['desks', '--json'], env).stdout) as { url: string }[];
    deskUrl = new URL(desks[0]?.url ?? '').pathname;
    copied = sipas(['copy', '--to', target.url], env);
  }, 120_000);
  afterAll(async () => {
    await source?.drop();
    await target?.drop();
  });

  it('copies every row and says how many, without printing the password', async () => {
    expect(copied.stderr).toBe('');
    expect(copied.status).toBe(0);
    expect(copied.stdout).toMatch(/copied \d+ rows \(300 responses, 164 units, 1 accounts\)/);
    expect(copied.stdout).not.toMatch(/:[0-9a-f]{24}@/);
    const [from, to] = [connect(source.url), connect(target.url)];
    try {
      for (const table of ['units', 'desks', 'responses', 'answers', 'comments', 'daily_rollups', 'monthly_responses', 'users', 'api_tokens', 'settings'] as const) {
        expect(await countRows(to.kysely, table), table).toBe(await countRows(from.kysely, table));
      }
      const parents = (db: typeof from) => db.kysely.selectFrom('units').select(['id', 'parent_id']).orderBy('id').execute();
      expect(await parents(to)).toEqual(await parents(from));
    } finally {
      await from.close();
      await to.close();
    }
  });

  it('gives the same API answers before and after, to the same API token', async () => {
    expect(significant(await answers(target.url))).toEqual(significant(await answers(source.url)));
  });

  it('keeps every printed QR code working and takes new responses after the copied ones', async () => {
    const { ready, app } = await open(target.url);
    try {
      const form = await citizenAt(app, { url: deskUrl }).take();
      const before = await countRows(ready.db.kysely, 'responses');
      const fields = [...form.page.text.matchAll(/name="field" value="([^"]+)"/g)].map((m) => m[1]);
      await form.send(shortAnswers(fields[0] ? { field: fields[0] } : {})).expect(303);
      expect(await countRows(ready.db.kysely, 'responses')).toBe(before + 1);
    } finally {
      await ready.db.close();
    }
  });

  it('knows every table of the schema, and refuses a target that is not empty', async () => {
    const db = connect(target.url);
    try {
      expect(await tablesNotCopied(db.kysely)).toEqual([]);
    } finally {
      await db.close();
    }
    const again = sipas(['copy', '--to', target.url], { DATABASE_URL: source.url });
    expect(again.status).toBe(1);
    expect(again.stderr).toContain('the target database is not empty');
  });
});

describe.runIf(DIALECTS.includes('postgres'))('copying from PostgreSQL', () => {
  let source: FreshDatabase;
  let target: FreshDatabase;
  beforeAll(async () => {
    [source, target] = await Promise.all([freshDatabase('postgres'), freshDatabase('sqlite')]);
    const db = connect(source.url);
    try {
      await migrateToLatest(db.kysely);
      await sql`insert into audit_log (at, user_id, action, subject, detail)
        select '2025-06-15T03:00:00.000Z', null, 'copy.test', 'row ' || g, '' from generate_series(1, 10000) g`.execute(db.kysely);
    } finally {
      await db.close();
    }
  }, 60_000);
  afterAll(async () => {
    await source?.drop();
    await target?.drop();
  });

  it('outlasts the per-statement time limit: a table that streams for longer than it is copied whole', async () => {
    // A limit of 200 ms, and a pause of 300 ms after the first rows of the log are written, while
    // its cursor is still open: a copy that kept the limit would be cancelled by the server.
    const from = connect(source.url, { statementTimeoutMs: 200 });
    const to = connect(target.url);
    try {
      await migrateToLatest(to.kysely);
      let paused = false;
      const totals = await copyDatabase(from, to, ({ table, done, total }) => {
        if (table !== 'audit_log' || paused || done === 0 || done === total) return;
        paused = true;
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 300);
      });
      expect(paused).toBe(true);
      expect(totals.audit_log).toBe(10_000);
      expect(await countRows(to.kysely, 'audit_log')).toBe(10_000);
    } finally {
      await from.close();
      await to.close();
    }
  }, 60_000);
});
