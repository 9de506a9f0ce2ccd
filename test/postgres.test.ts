/**
 * The same migrations, survey flow and figures on PostgreSQL (the scale-out deployment) as on
 * SQLite: the same submissions through HTTP must give identical API answers on both.
 */
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect } from '../db/connect.ts';
import { migrateDownAll, migrateToLatest } from '../db/migrate.ts';
import { seededRandom } from '../db/seed/demo.ts';
import { startTestApp, type TestApp } from './support/app.ts';
import { buildDesk, formTokenOf, type TestDesk } from './support/builders.ts';
import { countRows } from './support/db.ts';
import { freshPostgresDatabase, POSTGRES_URL, postgresRequired } from './support/postgres.ts';
import { buildToken, buildUser, signIn } from './support/staff.ts';

if (!POSTGRES_URL && postgresRequired()) {
  throw new Error('CI must run the PostgreSQL tests: TEST_POSTGRES_URL is not set (see .ci/run).');
}
if (!POSTGRES_URL) console.warn('PostgreSQL tests skipped here: set TEST_POSTGRES_URL=postgres://user:pw@127.0.0.1/postgres to run them.');

describe.skipIf(!POSTGRES_URL)('PostgreSQL', () => {
  let database: Awaited<ReturnType<typeof freshPostgresDatabase>>;
  beforeAll(async () => {
    database = await freshPostgresDatabase();
  });
  afterAll(async () => {
    await database?.drop();
  });

  it('migrations go up, down and up again', async () => {
    const db = connect(database.url);
    try {
      expect(await migrateToLatest(db.kysely)).toEqual(['2026-11-25-0001-survey', '2026-11-25-0002-staff', '2026-11-25-0003-monthly-rollups']);
      expect(await migrateDownAll(db.kysely)).toEqual(['2026-11-25-0003-monthly-rollups', '2026-11-25-0002-staff', '2026-11-25-0001-survey']);
      expect((await db.kysely.introspection.getTables()).map((t) => t.name)).toEqual([]);
      expect(await migrateToLatest(db.kysely)).toHaveLength(3);
    } finally {
      await db.close();
    }
  });

  describe('the same submissions on SQLite and PostgreSQL', () => {
    const apps: { name: string; t: TestApp; desks: TestDesk[]; token: string }[] = [];
    beforeAll(async () => {
      for (const [name, env] of [['sqlite', {}], ['postgres', { DATABASE_URL: database.url }]] as const) {
        const t = await startTestApp(env);
        const desks = [
          await buildDesk(t.db, t.ready.secret, { fields: ['dat-dai', 'xay-dung'], unitCode: '16681', code: 'A' }),
          await buildDesk(t.db, t.ready.secret, { questionnaire: 'health', fields: ['y-te'], unitCode: 'benh-vien-huu-nghi-da-khoa-nghe-an', code: 'B' }),
        ];
        const token = await buildToken(t.db, await buildUser(t.db, `admin-${name}`, 'admin', null));
        apps.push({ name, t, desks, token });
      }
      const random = seededRandom(9);
      for (let i = 0; i < 60; i++) {
        const which = random() < 0.7 ? 0 : 1;
        const rating = () => String(1 + Math.floor(random() * 5));
        const answers: Record<string, string | string[]> =
          which === 0
            ? { field: random() < 0.5 ? 'dat-dai' : 'xay-dung', a: rating(), b: rating(), c: random() < 0.1 ? '0' : rating(), d: rating(), e: rating(), overall: rating(), expectations: ['minh-bach'] }
            : { a1: rating(), a2: rating(), b1: rating(), b2: rating(), c1: rating(), c2: rating(), d1: rating(), d2: rating(), e1: rating(), e2: '0', overall: rating() };
        const day = new Date(Date.UTC(2025, 5, 1 + (i % 28), 4));
        for (const app of apps) {
          app.t.clock.now = day;
          const desk = app.desks[which] as TestDesk;
          const ft = formTokenOf((await request(app.t.app).get(desk.url).expect(200)).text);
          await request(app.t.app).post(desk.url).type('form').send({ ft, ...answers }).expect(303);
          // A replay stores nothing on either database.
          if (i % 10 === 0) await request(app.t.app).post(desk.url).type('form').send({ ft, ...answers }).expect(303);
        }
      }
    }, 120_000);
    afterAll(async () => {
      for (const app of apps) await app.t.close();
    });

    it('store the same rows', async () => {
      for (const table of ['responses', 'answers', 'daily_rollups', 'daily_responses', 'used_nonces'] as const) {
        const [sqlite, postgres] = await Promise.all(apps.map((a) => countRows(a.t.db, table)));
        expect(postgres, table).toBe(sqlite);
      }
      expect(await countRows(apps[1]?.t.db ?? apps[0]!.t.db, 'responses')).toBe(60);
    });

    it('give identical indicators and question counts through the API', async () => {
      for (const path of ['/api/v1/indicators?from=2025-06-01&to=2025-06-30', '/api/v1/questions?from=2025-06-01&to=2025-06-30', '/api/v1/indicators?from=2025-06-10&to=2025-06-20&field=dat-dai']) {
        const [sqlite, postgres] = await Promise.all(apps.map((a) => request(a.t.app).get(path).set('Authorization', `Bearer ${a.token}`).expect(200)));
        expect(postgres?.body, path).toEqual(sqlite?.body);
      }
    });

    it('render the dashboard', async () => {
      const agent = await signIn(apps[1]!.t.app, 'admin-postgres');
      const page = await agent.get('/dashboard?from=2025-06-01&to=2025-06-30').expect(200);
      expect(page.text).toMatch(/card__value">\d+,\d%/);
    });
  });
});
