/**
 * Upgrading a database seeded before the 2025 field names: the answers given under the old codes
 * stay counted under them, the renamed field keeps its code, the split field is retired for new
 * desks and its desks serve the two fields that replace it.
 */
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect } from '../db/connect.ts';
import { migrateTo, migrateToLatest } from '../db/migrate.ts';
import { findDeskSurvey } from '../db/queries/desks.ts';
import type { Database } from '../db/schema.ts';
import { insertQuestionnaire } from '../db/seed/reference.ts';
import { loadFieldTemplates, loadQuestionnaireTemplates } from '../db/seed/templates.ts';
import { createApp } from '../server/app.ts';
import { prepareDatabase, type Ready } from '../server/start/bootstrap.ts';
import { addDesk, DeskError } from '../server/cli/desks.ts';
import { loadConfig } from '../server/start/config.ts';
import { createLogger } from '../server/log.ts';
import { signDeskToken } from '../server/tokens/tokens.ts';
import { citizenAt } from './support/actors.ts';
import { shortAnswers, storeResponses } from './support/builders.ts';
import { type FreshDatabase, freshDatabase } from './support/db.ts';
import { DIALECTS } from './support/dialects.ts';
import { readable } from './support/html.ts';
import { buildToken, buildUser } from './support/staff.ts';
import { type Kysely, sql } from 'kysely';
import type { Express } from 'express';

/** What db/seed/fields.json held before the 2025 names (the release before this one seeded these rows). */
const OLD_FIELDS = [
  ['dat-dai', 'Đất đai', 'Land', 'tthc'],
  ['xay-dung', 'Xây dựng', 'Construction', 'tthc'],
  ['dau-tu', 'Đầu tư', 'Investment', 'tthc'],
  ['dang-ky-kinh-doanh', 'Đăng ký kinh doanh', 'Business registration', 'tthc'],
  ['tu-phap-ho-tich', 'Tư pháp - Hộ tịch', 'Justice and civil status', 'tthc'],
  ['lao-dong-xa-hoi', 'Lao động, Thương binh và Xã hội', 'Labour and social affairs', 'tthc'],
  ['giao-thong-van-tai', 'Giao thông vận tải', 'Transport', 'tthc'],
  ['nong-nghiep-moi-truong', 'Nông nghiệp và Môi trường', 'Agriculture and environment', 'tthc'],
  ['hanh-chinh-khac', 'Thủ tục hành chính khác', 'Other administrative procedures', 'tthc'],
  ['y-te', 'Y tế', 'Health', 'health'],
  ['giao-duc', 'Giáo dục', 'Education', 'education'],
] as const;

/** The last migration before this one: the previous release's schema. */
const BEFORE = '2026-11-28-0006-survey-integrity';

describe.each(DIALECTS)('on %s', (dialect) => {
  let database: FreshDatabase;
  let ready: Ready;
  let db: Kysely<Database>;
  let app: Express;
  let token: string;
  let oneStop: number;
  let transport: number;

  beforeAll(async () => {
    database = await freshDatabase(dialect);
    // The database as the previous release left it: old field names, a desk per kind, answers under the old codes.
    const old = connect(database.url);
    await migrateTo(old.kysely, BEFORE);
    const at = new Date().toISOString();
    await old.kysely.insertInto('fields').values(OLD_FIELDS.map(([code, name_vi, name_en, field_group], position) => ({ code, name_vi, name_en, field_group, position }))).execute();
    const v1 = loadQuestionnaireTemplates().find((q) => q.code === 'tthc-short' && q.version === 1);
    if (!v1) throw new Error('no tthc-short v1 template');
    const questionnaireId = await insertQuestionnaire(old.kysely, v1, at);
    const unit = await old.kysely.insertInto('units').values({ code: '16681', name: 'Phường Thành Vinh', kind: 'ward', parent_id: null, created_at: at }).returning('id').executeTakeFirstOrThrow();
    const fieldId = async (code: string) => (await old.kysely.selectFrom('fields').select('id').where('code', '=', code).executeTakeFirstOrThrow()).id;
    // Desks as that release wrote them: its columns only (today's createDesk writes later ones too).
    const oldDesk = async (code: string, name: string, fieldIds: number[]) => {
      const inserted = await sql<{ id: number }>`insert into desks (unit_id, code, name, questionnaire_id, created_at) values (${unit.id}, ${code}, ${name}, ${questionnaireId}, ${at}) returning id`.execute(old.kysely);
      const id = Number(inserted.rows[0]?.id);
      await old.kysely.insertInto('desk_fields').values(fieldIds.map((field_id, position) => ({ desk_id: id, field_id, position }))).execute();
      return id;
    };
    oneStop = await oldDesk('MC', 'Một cửa', [await fieldId('tu-phap-ho-tich'), await fieldId('lao-dong-xa-hoi'), await fieldId('dat-dai')]);
    transport = await oldDesk('GT', 'Quầy Giao thông', [await fieldId('giao-thong-van-tai')]);
    // Overall 5, 5, 2 under the labour field (2 of 3 satisfied), 4 and 1 under transport (1 of 2).
    // Stored by today's code, which also writes responses.answers_text (migration 0019): the old table
    // has that column only while these are written, so the upgrade adds and fills it as for any old database.
    await sql`alter table responses add column answers_text text not null default ''`.execute(old.kysely);
    await storeResponses(old.kysely, oneStop, 'lao-dong-xa-hoi', '2025-06-10', [{ copies: 2, ratings: { overall: 5 } }, { copies: 1, ratings: { overall: 2 } }]);
    await storeResponses(old.kysely, transport, 'giao-thong-van-tai', '2025-06-11', [{ copies: 1, ratings: { overall: 4 } }, { copies: 1, ratings: { overall: 1 } }]);
    await sql`alter table responses drop column answers_text`.execute(old.kysely);
    await old.close();

    // The upgrade: exactly what `npm start` does.
    const config = loadConfig({ DATABASE_URL: database.url, BASE_URL: 'http://sipas.test', SURVEY_MIN_SECONDS: '0', SURVEY_RATE_LIMIT: '1000' });
    ready = await prepareDatabase(config);
    db = ready.db.kysely;
    app = createApp({ db, config, secret: ready.secret, logger: createLogger('silent'), now: () => new Date('2025-06-15T03:00:00Z') });
    token = await buildToken(db, await buildUser(db, 'admin', 'admin', null));
  }, 120_000);
  afterAll(async () => {
    await ready?.db.close();
    await database?.drop();
  });

  async function indicator(query: string, code = 'tthc'): Promise<{ n: number; value: number | null }> {
    const res = await request(app).get(`/api/v1/indicators?period=month${query}`).set('Authorization', `Bearer ${token}`).expect(200);
    const found = (res.body as { indicators: { code: string; n: number; value: number | null }[] }).indicators.find((i) => i.code === code);
    if (!found) throw new Error(`no indicator ${code}`);
    return { n: found.n, value: found.value };
  }

  it('names the fields as the departments that handle them now, the same in the upgraded database as in fields.json', async () => {
    const rows = await db.selectFrom('fields').select(['code', 'name_vi', 'name_en', 'active']).orderBy('position').execute();
    const seeded = loadFieldTemplates();
    expect(rows.filter((r) => r.active === 1).map((r) => [r.code, r.name_vi, r.name_en])).toEqual(seeded.map((f) => [f.code, f.vi, f.en]));
    expect(rows.find((r) => r.code === 'giao-thong-van-tai')?.name_vi).toBe('Đường bộ, đường thủy nội địa');
    expect(rows.find((r) => r.code === 'lao-dong-xa-hoi')).toEqual({
      code: 'lao-dong-xa-hoi',
      name_vi: 'Lao động, Thương binh và Xã hội (lĩnh vực cũ)',
      name_en: 'Labour, invalids and social affairs (former field)',
      active: 0,
    });
    for (const f of seeded) {
      expect(f.vi).not.toMatch(/Thương binh|Giao thông vận tải/);
    }
  });

  it('keeps every old answer counted under its old field, with the same numbers as before', async () => {
    expect(await indicator('&field=lao-dong-xa-hoi')).toEqual({ n: 3, value: (2 / 3) * 100 });
    expect(await indicator('&field=giao-thong-van-tai')).toEqual({ n: 2, value: 50 });
    expect(await indicator('')).toEqual({ n: 5, value: 60 });
  });

  it('the desk that served the split field now serves both fields that replace it, in its place; the others are untouched', async () => {
    expect((await findDeskSurvey(db, oneStop))?.fields.map((f) => f.code)).toEqual(['tu-phap-ho-tich', 'lao-dong-viec-lam', 'bao-tro-xa-hoi', 'dat-dai']);
    expect((await findDeskSurvey(db, transport))?.fields.map((f) => f.code)).toEqual(['giao-thong-van-tai']);
    const url = `/q/${signDeskToken(ready.secret, oneStop, 1)}`;
    const form = await citizenAt(app, { url }).take();
    const text = readable(form.page.text);
    expect(text).toContain('Lao động, việc làm, người có công');
    expect(text).toContain('Bảo trợ xã hội, trẻ em');
    expect(text).not.toContain('Thương binh');

    // A new answer goes under the new field; the province's total counts old and new together.
    await form.send({ field: 'bao-tro-xa-hoi', ...shortAnswers({ overall: '5' }) }).expect(303);
    expect(await indicator('&field=bao-tro-xa-hoi')).toEqual({ n: 1, value: 100 });
    expect(await indicator('&field=lao-dong-xa-hoi')).toEqual({ n: 3, value: (2 / 3) * 100 });
    expect(await indicator('')).toEqual({ n: 6, value: (4 / 6) * 100 });
  });

  it('no new desk may be given the retired field', async () => {
    const refused = addDesk(db, { unit: '16681', code: 'LD', name: 'Quầy Lao động', fields: 'lao-dong-xa-hoi' });
    await expect(refused).rejects.toThrow(DeskError);
    await expect(refused).rejects.toThrow(/retired in the 2025 reorganisation.*lao-dong-viec-lam, bao-tro-xa-hoi/);
  });

  it('down and up again changes nothing more', async () => {
    const before = await db.selectFrom('desk_fields').selectAll().orderBy('desk_id').orderBy('position').execute();
    await migrateTo(db, BEFORE);
    expect((await db.selectFrom('fields').select('name_vi').where('code', '=', 'giao-thong-van-tai').executeTakeFirstOrThrow()).name_vi).toBe('Giao thông vận tải');
    await migrateToLatest(db);
    expect(await db.selectFrom('desk_fields').selectAll().orderBy('desk_id').orderBy('position').execute()).toEqual(before);
    expect(await indicator('&field=lao-dong-xa-hoi')).toEqual({ n: 3, value: (2 / 3) * 100 });
  });
});
