/**
 * Several app servers over one PostgreSQL, as docs/operations.md ("Scaling out") sets them up: two `npm start`
 * processes on two ports. Whatever one server does, the other sees at once; both starting together
 * migrate once; a PostgreSQL restart is a short 503, never a crashed server.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { connect, type Db } from '../db/connect.ts';
import { getSetting } from '../db/queries/settings.ts';
import { citizenAt, type HeldForm } from './support/actors.ts';
import { buildDesk, shortAnswers, type TestDesk } from './support/builders.ts';
import { countRows } from './support/db.ts';
import { freshPostgresDatabase, type FreshDatabase } from './support/postgres.ts';
import { type PostgresServer, startPostgresServer } from './support/postgres-server.ts';
import { recountRollups, storedRollups } from './support/recount.ts';
import { type ServerProcess, startServerProcess } from './support/server-process.ts';
import { buildToken, buildUser } from './support/staff.ts';
import './support/provided.ts';

// 200 citizens from one test address: the per-address limits are lifted (tested in survey-integrity).
const APP_ENV = { BASE_URL: 'http://sipas.test', SURVEY_MIN_SECONDS: '0', SURVEY_RATE_LIMIT: '10000', SURVEY_FORM_LIMIT: '10000' };

/** The test run's PostgreSQL, or (when DIALECTS leaves it out) one of this file's own. */
let ownServer: PostgresServer | undefined;
async function serverUrl(): Promise<string> {
  const shared = inject('postgresUrl');
  if (shared) return shared;
  ownServer ??= await startPostgresServer();
  return ownServer.url;
}
afterAll(async () => {
  await ownServer?.remove();
});

/** A citizen opens the desk's form on this server (support/actors.ts); the form goes to whichever server is asked. */
const openForm = (server: ServerProcess, desk: TestDesk): Promise<HeldForm> => citizenAt(server.url, desk).take();
const submit = (server: ServerProcess, form: HeldForm) => form.send(shortAnswers(), { to: server.url });

describe('two app servers over one PostgreSQL', () => {
  let database: FreshDatabase;
  let db: Db;
  let a: ServerProcess;
  let b: ServerProcess;
  let desk: TestDesk;

  beforeAll(async () => {
    database = await freshPostgresDatabase(await serverUrl());
    // Started at the same moment, as a service manager would start them.
    [a, b] = await Promise.all([startServerProcess({ ...APP_ENV, DATABASE_URL: database.url }), startServerProcess({ ...APP_ENV, DATABASE_URL: database.url })]);
    db = connect(database.url);
    const secret = (await getSetting(db.kysely, 'secret')) ?? '';
    desk = await buildDesk(db.kysely, secret);
  }, 60_000);
  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await db?.close();
    await database?.drop();
  });

  it('started together, migrate and seed once, and each prints a setup link that works', async () => {
    const migrated = [a, b].filter((s) => s.output().includes('migrated: 2026-11-25-0001-survey'));
    expect(migrated).toHaveLength(1);
    expect(await countRows(db.kysely, 'units')).toBe(164);
    for (const server of [a, b]) {
      const link = /\/setup\/[A-Za-z0-9_-]+/.exec(server.output());
      expect(link, server.output()).not.toBeNull();
      expect((await fetch(`${server.url}${link?.[0] ?? ''}`)).status).toBe(200);
    }
  });

  it('a form served by one and submitted to the other is stored once, however often it is sent', async () => {
    const before = await countRows(db.kysely, 'responses');
    const form = await openForm(a, desk);
    expect((await submit(b, form)).status).toBe(303);
    expect((await submit(a, form)).status).toBe(303);
    expect((await submit(b, form)).status).toBe(303);
    expect(await countRows(db.kysely, 'responses')).toBe(before + 1);
  });

  it('a submission through one appears in the API of the other at once', async () => {
    const token = await buildToken(db.kysely, await buildUser(db.kysely, 'it.officer', 'admin', null));
    const count = async (server: ServerProcess) => {
      const res = await fetch(`${server.url}/api/v1/indicators?from=2025-01-01&to=2030-12-31`, { headers: { Authorization: `Bearer ${token}` } });
      const body = (await res.json()) as { indicators: { code: string; n: number }[] };
      return body.indicators.find((i) => i.code === 'tthc')?.n ?? -1;
    };
    const before = await count(b);
    expect((await submit(a, await openForm(a, desk))).status).toBe(303);
    expect(await count(b)).toBe(before + 1);
  });

  it('200 concurrent submissions split across both leave exactly 200 responses and rollups equal to a recount', async () => {
    const crowd = await buildDesk(db.kysely, (await getSetting(db.kysely, 'secret')) ?? '', { code: 'CROWD' });
    const servers = [a, b];
    const forms = await Promise.all(Array.from({ length: 200 }, (_, i) => openForm(servers[i % 2] as ServerProcess, crowd)));
    // Each form goes back to the other server than the one that served it.
    const statuses = await Promise.all(forms.map((form, i) => submit(servers[(i + 1) % 2] as ServerProcess, form).then((r) => r.status)));
    expect(statuses.filter((s) => s === 303)).toHaveLength(200);
    const stored = await db.kysely.selectFrom('responses').select((eb) => eb.fn.countAll<number>().as('n')).where('desk_id', '=', crowd.id).executeTakeFirstOrThrow();
    expect(Number(stored.n)).toBe(200);
    expect(await storedRollups(db.kysely)).toEqual(await recountRollups(db.kysely));
  }, 60_000);
});

describe('when PostgreSQL stops under a running server', () => {
  let pg: PostgresServer;
  let database: FreshDatabase;
  let app: ServerProcess;

  beforeAll(async () => {
    // A server of this test's own: stopping the shared one would fail every other test file.
    pg = await startPostgresServer();
    database = await freshPostgresDatabase(pg.url);
    app = await startServerProcess({ ...APP_ENV, DATABASE_URL: database.url, DATABASE_CONNECT_TIMEOUT_MS: '2000' });
  }, 60_000);
  afterAll(async () => {
    await app?.stop();
    await pg?.start();
    await database?.drop();
    await pg?.remove();
  });

  it('keeps the citizen’s answers with a 503 and Retry-After while it is down, and takes them as soon as it is back', async () => {
    const db = connect(database.url);
    let desk: TestDesk;
    try {
      desk = await buildDesk(db.kysely, (await getSetting(db.kysely, 'secret')) ?? '');
    } finally {
      await db.close();
    }
    const form = await openForm(app, desk);

    await pg.stop();
    const down = await submit(app, form);
    expect(down.status).toBe(503);
    expect(down.headers['retry-after']).toBe('5');
    const page = down.text;
    expect(page).toContain('Hệ thống đang bận nên phiếu chưa được lưu');
    expect(page).toMatch(/name="overall" value="4"\s+checked/);
    expect((await fetch(`${app.url}/healthz`)).status).toBe(503);
    const staff = await fetch(`${app.url}/admin`, { redirect: 'manual' });
    expect([303, 503]).toContain(staff.status);
    expect(app.exited()).toBe(false);

    await pg.start();
    let health = 0;
    for (let attempt = 0; attempt < 50 && health !== 200; attempt++) {
      health = (await fetch(`${app.url}/healthz`)).status;
      if (health !== 200) await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(health).toBe(200);
    // The same form, sent again as the page asks: stored once.
    expect((await submit(app, form)).status).toBe(303);
    expect(app.exited()).toBe(false);
  }, 60_000);

  it('restarted in the middle of 200 submissions: every acknowledged one is stored, the others get a 503 and are taken when sent again, no restart of the app', async () => {
    const db = connect(database.url);
    try {
      const desk = await buildDesk(db.kysely, (await getSetting(db.kysely, 'secret')) ?? '', { code: 'RESTART' });
      const acknowledged: HeldForm[] = [];
      const refused: HeldForm[] = [];
      const other: number[] = [];
      const restart: { done: Promise<void> | null } = { done: null };
      // Eight citizens at a time, 200 forms in all; the restart begins after the 60th acknowledgement.
      let next = 0;
      const citizen = async () => {
        while (next < 200) {
          next++;
          const person = citizenAt(app.url, desk);
          let form: HeldForm | null = null;
          // A form page that finds the database down is asked again, as a citizen would reload.
          for (let attempt = 0; attempt < 100 && form === null; attempt++) {
            const page = await person.open().then(
              (r) => r,
              () => null,
            );
            if (page?.status === 200) form = person.hold(page);
            else await new Promise((resolve) => setTimeout(resolve, 100));
          }
          if (form === null) throw new Error('the survey page did not come back within 10 s');
          const status = await submit(app, form).then(
            (r) => r.status,
            (error: unknown) => {
              throw new Error(`the submission got no answer (${String(error)}); the server's output:\n${app.output().slice(-3000)}`);
            },
          );
          if (status === 303) acknowledged.push(form);
          else if (status === 503) refused.push(form);
          else other.push(status);
          if (acknowledged.length === 60 && restart.done === null) restart.done = pg.stop().then(() => pg.start());
        }
      };
      await Promise.all(Array.from({ length: 8 }, citizen));
      expect(restart.done).not.toBeNull();
      await restart.done;
      expect(other).toEqual([]);
      expect(acknowledged.length + refused.length).toBe(200);
      expect(app.exited()).toBe(false);
      const nonces = (forms: HeldForm[]) => forms.map((form) => form.token.split('.')[0] ?? '');
      const storedNonces = async () =>
        new Set((await db.kysely.selectFrom('used_nonces').innerJoin('responses', 'responses.id', 'used_nonces.response_id').select('used_nonces.nonce').where('responses.desk_id', '=', desk.id).execute()).map((r) => r.nonce));
      // Every citizen who saw the thank-you page is in the database.
      const stored = await storedNonces();
      expect(nonces(acknowledged).filter((n) => !stored.has(n))).toEqual([]);
      // Those told to send again do, and are taken, once each.
      for (const form of refused) expect((await submit(app, form)).status).toBe(303);
      expect((await storedNonces()).size).toBe(200);
      expect(await db.kysely.selectFrom('responses').select('id').where('desk_id', '=', desk.id).execute()).toHaveLength(200);
    } finally {
      await db.close();
    }
  }, 120_000);
});
