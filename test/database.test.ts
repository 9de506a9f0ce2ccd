/** Migrations, durability and the generated secret, on every dialect; SQLite's file settings on SQLite. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import type { Kysely } from 'kysely';
import { connect, parseDatabaseUrl, printableDatabaseUrl } from '../db/connect.ts';
import { migrateDownAll, migrateTo, migrateToLatest } from '../db/migrate.ts';
import { recordResponse } from '../db/queries/responses.ts';
import type { Database } from '../db/schema.ts';
import { seedReferenceData } from '../db/seed/reference.ts';
import { createApp } from '../server/app.ts';
import { prepareDatabase } from '../server/start/bootstrap.ts';
import { loadConfig } from '../server/start/config.ts';
import { createLogger } from '../server/log.ts';
import { startTestApp } from './support/app.ts';
import { citizenAt } from './support/actors.ts';
import { buildDesk, shortAnswers } from './support/builders.ts';
import { countRows, type FreshDatabase, freshDatabase } from './support/db.ts';
import { DIALECTS } from './support/dialects.ts';

const ALL = ['2026-11-25-0001-survey', '2026-11-25-0002-staff', '2026-11-25-0003-monthly-rollups', '2026-11-26-0004-administration', '2026-11-27-0005-account-security', '2026-11-28-0006-survey-integrity', '2026-11-28-0007-fields-2025', '2026-11-29-0008-survey-drafts', '2026-11-30-0009-comment-filters', '2026-12-04-0010-counted-once', '2026-12-04-0011-unlock-links', '2026-12-05-0012-published-figures', '2026-12-05-0013-indicator-covers', '2026-12-05-0014-dossier-counts', '2026-12-05-0016-desk-short-codes', '2026-12-06-0017-school-question-wording', '2026-12-06-0018-alerts', '2026-12-06-0019-response-answers-text'];

const made: FreshDatabase[] = [];
afterEach(async () => {
  for (const database of made.splice(0)) await database.drop();
});

describe.each(DIALECTS)('on %s', (dialect) => {
  async function emptyDatabase(): Promise<string> {
    const database = await freshDatabase(dialect);
    made.push(database);
    return database.url;
  }

  describe('migrations', () => {
    it('go up, down and up again on an empty database', async () => {
      const db = connect(await emptyDatabase());
      try {
        expect(await migrateToLatest(db.kysely)).toEqual(ALL);
        const up = (await db.kysely.introspection.getTables()).map((t) => t.name);
        expect(up).toEqual(expect.arrayContaining(['responses', 'answers', 'comments', 'daily_rollups', 'used_nonces', 'desks', 'users', 'sessions', 'targets']));
        expect(await migrateDownAll(db.kysely)).toEqual([...ALL].reverse());
        expect((await db.kysely.introspection.getTables()).map((t) => t.name)).toEqual([]);
        expect(await migrateToLatest(db.kysely)).toEqual(ALL);
        expect(await migrateToLatest(db.kysely)).toEqual([]);
        await seedReferenceData(db.kysely);
        expect(await countRows(db.kysely, 'fields')).toBeGreaterThanOrEqual(11);
      } finally {
        await db.close();
      }
    });

    it("migration 0017 gives a school's stored overall question its new words, and only that question", async () => {
      const db = connect(await emptyDatabase());
      try {
        await migrateToLatest(db.kysely);
        await seedReferenceData(db.kysely);
        const overall = db.kysely
          .selectFrom('questions')
          .innerJoin('questionnaires', 'questionnaires.id', 'questions.questionnaire_id')
          .select(['questions.id', 'questions.text_vi'])
          .where('questionnaires.code', '=', 'education')
          .where('questions.role', '=', 'overall');
        const stored = await overall.execute();
        expect(stored.map((q) => q.text_vi)).toContain('Nhìn chung, Quý phụ huynh và các em hài lòng thế nào với nhà trường?');
        // A database that stored the old words before the seed changed: going down puts them back, up fixes them.
        await migrateTo(db.kysely, '2026-12-05-0016-desk-short-codes');
        expect((await overall.execute()).map((q) => q.text_vi)).toContain('Nhìn chung, Quý phụ huynh/em hài lòng thế nào với nhà trường?');
        const others = await db.kysely.selectFrom('questions').select(['id', 'text_vi']).where('role', '!=', 'overall').orderBy('id').execute();
        await migrateToLatest(db.kysely);
        expect(await overall.execute()).toEqual(stored);
        expect(await db.kysely.selectFrom('questions').select(['id', 'text_vi']).where('role', '!=', 'overall').orderBy('id').execute()).toEqual(others);
      } finally {
        await db.close();
      }
    });
  });

  describe('answers kept with each response (migration 0019)', () => {
    it('a submission writes its answers as text beside its answer rows, and the migration writes the same for responses stored before it', async () => {
      const t = await startTestApp(dialect);
      try {
        const desk = await buildDesk(t.db, t.ready.secret);
        expect((await t.citizen(desk).submit(shortAnswers())).status).toBe(303);
        const ids = Object.fromEntries(
          (await t.db
            .selectFrom('questions')
            .select(['id', 'key'])
            .where('questionnaire_id', '=', t.db.selectFrom('desks').select('questionnaire_id').where('id', '=', desk.id))
            .execute()).map((q) => [q.key, q.id]),
        );
        const parts = async () => ((await t.db.selectFrom('responses').select('answers_text').executeTakeFirstOrThrow()).answers_text.split(',').sort());
        // shortAnswers: a 5, b 4, c 5, d 3, e "no opinion", overall 4, two expectations; the comment is not an answer.
        const expected = [`${ids.a}=5`, `${ids.b}=4`, `${ids.c}=5`, `${ids.d}=3`, `${ids.e}=`, `${ids.overall}=4`, `${ids.expectations}=minh-bach`, `${ids.expectations}=thai-do`].sort();
        expect(await parts()).toEqual(expected);
        await migrateTo(t.db, '2026-12-06-0018-alerts');
        await migrateToLatest(t.db);
        expect(await parts()).toEqual(expected);
      } finally {
        await t.close();
      }
    });
  });

  describe('durability', () => {
    it('a submission acknowledged with 303 is there after the database is closed and reopened', async () => {
      const config = loadConfig({ DATABASE_URL: await emptyDatabase(), SURVEY_MIN_SECONDS: '0' });
      const first = await prepareDatabase(config);
      const app = createApp({ db: first.db.kysely, config, secret: first.secret, logger: createLogger('silent') });
      const desk = await buildDesk(first.db.kysely, first.secret);
      expect((await citizenAt(app, desk).submit(shortAnswers())).status).toBe(303);
      await first.db.close();

      const second = await prepareDatabase(config);
      try {
        expect(second.secret).toBe(first.secret);
        expect(await countRows(second.db.kysely, 'responses')).toBe(1);
        expect(await countRows(second.db.kysely, 'answers')).toBe(8);
        expect(await countRows(second.db.kysely, 'comments')).toBe(1);
        // The same printed QR code still works after the restart (the generated secret persisted).
        const again = createApp({ db: second.db.kysely, config, secret: second.secret, logger: createLogger('silent') });
        await request(again).get(desk.url).expect(200);
      } finally {
        await second.db.close();
      }
    });

    it('a failed write leaves no half response behind', async () => {
      const ready = await prepareDatabase(loadConfig({ DATABASE_URL: await emptyDatabase() }));
      try {
        const desk = await buildDesk(ready.db.kysely, ready.secret);
        const d = await ready.db.kysely.selectFrom('desks').selectAll().where('id', '=', desk.id).executeTakeFirstOrThrow();
        await expect(
          recordResponse(ready.db.kysely, {
            nonce: 'n'.repeat(22),
            questionnaireId: d.questionnaire_id,
            unitId: d.unit_id,
            deskId: d.id,
            fieldId: 1,
            channel: 'qr',
            submittedAt: '2025-06-15T03:00:00.000Z',
            localDay: '2025-06-15',
            lang: 'vi',
            status: 'ok',
            secondsTaken: 10,
            flags: '',
            verified: false,
            dossierHash: null,
            ratings: [{ questionId: 999_999, value: 5 }], // no such question: the foreign key fails mid-transaction
            choices: [],
            comments: [],
            summary: { score: 1, allSatisfied: true, items: 1, itemsSatisfied: 1 },
          }),
        ).rejects.toThrow(/foreign key/i);
        expect(await countRows(ready.db.kysely, 'responses')).toBe(0);
        expect(await countRows(ready.db.kysely, 'used_nonces')).toBe(0);
      } finally {
        await ready.db.close();
      }
    });
  });

  describe('the generated SECRET', () => {
    it('is created once and reused; SECRET from the environment wins', async () => {
      const url = await emptyDatabase();
      const a = await prepareDatabase(loadConfig({ DATABASE_URL: url }));
      await a.db.close();
      const b = await prepareDatabase(loadConfig({ DATABASE_URL: url }));
      await b.db.close();
      expect(a.secret).toMatch(/^[0-9a-f]{64}$/);
      expect(b.secret).toBe(a.secret);
      const fixed = 'f'.repeat(40);
      const c = await prepareDatabase(loadConfig({ DATABASE_URL: url, SECRET: fixed }));
      await c.db.close();
      expect(c.secret).toBe(fixed);
    });
  });

  describe('monthly rollups', () => {
    async function sums(db: Kysely<Database>, table: 'daily_rollups' | 'monthly_rollups') {
      return db
        .selectFrom(table)
        .select((eb) => [
          'question_id',
          'option_key',
          eb.fn.sum<number>('n1').as('n1'),
          eb.fn.sum<number>('n4').as('n4'),
          eb.fn.sum<number>('n0').as('n0'),
          eb.fn.sum<number>('n_chosen').as('n_chosen'),
        ])
        .groupBy(['question_id', 'option_key'])
        .orderBy('question_id')
        .orderBy('option_key')
        .execute();
    }

    it('are written with every response, and migration 0003 rebuilds them from the daily ones', async () => {
      const t = await startTestApp(dialect);
      try {
        const desk = await buildDesk(t.db, t.ready.secret);
        for (const [i, day] of ['2025-05-31T10:00:00Z', '2025-06-01T02:00:00Z', '2025-06-30T17:30:00Z'].entries()) {
          t.clock.now = new Date(day);
          expect((await t.citizen(desk).submit(shortAnswers({ a: String(i + 3) }))).status).toBe(303);
        }
        const months = await t.db.selectFrom('monthly_responses').select(['month', 'n']).orderBy('month').execute();
        // 30 June 17:30 UTC is already 00:30 on 1 July in Vinh.
        expect(months).toEqual([{ month: '2025-05', n: 1 }, { month: '2025-06', n: 1 }, { month: '2025-07', n: 1 }]);
        const written = await sums(t.db, 'monthly_rollups');
        expect(written).toEqual(await sums(t.db, 'daily_rollups'));

        await migrateTo(t.db, '2026-11-25-0002-staff');
        await migrateToLatest(t.db);
        expect(await sums(t.db, 'monthly_rollups')).toEqual(written);
        expect(await t.db.selectFrom('monthly_responses').select(['month', 'n']).orderBy('month').execute()).toEqual(months);
      } finally {
        await t.close();
      }
    });
  });
});

describe('SQLite files', () => {
  const dirs: string[] = [];
  function tempDir(): string {
    const dir = mkdtempSync(join(tmpdir(), 'sipas-db-'));
    dirs.push(dir);
    return dir;
  }
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it('are created at start-up in a directory that does not exist yet', async () => {
    const file = join(tempDir(), 'nested', 'deeper', 'sipas.db');
    const ready = await prepareDatabase(loadConfig({ DATABASE_URL: `sqlite:${file}` }));
    const tables = (await ready.db.kysely.introspection.getTables()).map((t) => t.name);
    await ready.db.close();
    expect(tables).toContain('responses');
  });

  it('use WAL, synchronous=FULL and foreign keys', async () => {
    const db = connect(`sqlite:${join(tempDir(), 'p.db')}`);
    try {
      expect(db.sqlite?.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(db.sqlite?.pragma('synchronous', { simple: true })).toBe(2);
      expect(db.sqlite?.pragma('foreign_keys', { simple: true })).toBe(1);
    } finally {
      await db.close();
    }
  });
});

describe('settings', () => {
  it('a DATABASE_URL that is neither sqlite nor postgres is refused with a message that shows the forms', () => {
    expect(() => parseDatabaseUrl('mysql://x')).toThrow(/sqlite:.\/data\/sipas.db.*postgres:\/\//);
  });

  it('the database address printed at start-up never shows the PostgreSQL password', () => {
    expect(printableDatabaseUrl('postgres://sipas:m%E1%BA%ADt-kh%E1%BA%A9u@db.local:5432/sipas')).toBe('postgres://sipas:***@db.local:5432/sipas');
    expect(printableDatabaseUrl('postgresql://sipas@db.local/sipas')).toBe('postgresql://sipas@db.local/sipas');
    expect(printableDatabaseUrl('sqlite:./data/sipas.db')).toBe('sqlite:./data/sipas.db');
  });

  it('a bad BASE_URL or PORT is refused with the variable, the value and an example', () => {
    expect(() => loadConfig({ BASE_URL: '/' })).toThrow('BASE_URL=/ không phải địa chỉ web / is not a web address: use e.g. https://');
    expect(() => loadConfig({ BASE_URL: 'khaosat.nghean.gov.vn' })).toThrow(/BASE_URL=khaosat.nghean.gov.vn/);
    expect(() => loadConfig({ PORT: 'abc' })).toThrow(/PORT=abc .*whole number/);
    expect(() => loadConfig({ SECRET: 'short' })).toThrow(/SECRET .*32 characters/);
    expect(loadConfig({ BASE_URL: 'https://khaosat.nghean.gov.vn/' }).baseUrl).toBe('https://khaosat.nghean.gov.vn');
    expect(loadConfig({}).baseUrl).toBe('http://localhost:3000');
  });

  it('the PostgreSQL pool settings are read, with defaults, and refused when out of range', () => {
    expect(loadConfig({}).database).toEqual({ poolMax: 10, connectTimeoutMs: 5000, statementTimeoutMs: 30000, busyTimeoutMs: 5000 });
    expect(loadConfig({ DATABASE_POOL_MAX: '25', DATABASE_STATEMENT_TIMEOUT_MS: '120000' }).database).toMatchObject({ poolMax: 25, statementTimeoutMs: 120000 });
    expect(() => loadConfig({ DATABASE_POOL_MAX: '0' })).toThrow(/DATABASE_POOL_MAX=0 .*whole number from 1/);
  });
});
