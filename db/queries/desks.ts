import type { Kysely } from 'kysely';
import { within } from './within.ts';
import type { Database, Desk, Element, Field, Question, Questionnaire, Unit } from '../schema.ts';
import { touchSurveyConfig } from './survey-config.ts';
import { drawShortCode } from '../short-codes.ts';

export interface DeskSurvey {
  desk: Desk;
  unit: Unit;
  fields: Field[];
  questionnaire: Questionnaire;
  elements: Element[];
  questions: Question[];
}

/** Desks that take responses: active, at an active unit (a desk of a merged or closed unit takes none). */
function activeDesks(db: Kysely<Database>) {
  return db.selectFrom('desks').innerJoin('units', 'units.id', 'desks.unit_id').where('desks.active', '=', 1).where('units.active', '=', 1);
}

/**
 * Everything the survey page needs for one desk; undefined when the desk or its unit is unknown or inactive.
 * `questionnaireId` names the version a form was served with, when the desk has moved on since.
 */
export async function findDeskSurvey(db: Kysely<Database>, deskId: number, questionnaireId?: number): Promise<DeskSurvey | undefined> {
  const found = await activeDesks(db).selectAll('desks').where('desks.id', '=', deskId).executeTakeFirst();
  if (!found) return undefined;
  const desk = { ...found, questionnaire_id: questionnaireId ?? found.questionnaire_id };
  const [unit, fields, questionnaire, elements, questions] = await Promise.all([
    db.selectFrom('units').selectAll().where('id', '=', desk.unit_id).executeTakeFirstOrThrow(),
    db
      .selectFrom('desk_fields')
      .innerJoin('fields', 'fields.id', 'desk_fields.field_id')
      .selectAll('fields')
      .where('desk_fields.desk_id', '=', desk.id)
      .orderBy('desk_fields.position')
      .execute(),
    db.selectFrom('questionnaires').selectAll().where('id', '=', desk.questionnaire_id).executeTakeFirst(),
    db.selectFrom('elements').selectAll().where('questionnaire_id', '=', desk.questionnaire_id).orderBy('position').execute(),
    db.selectFrom('questions').selectAll().where('questionnaire_id', '=', desk.questionnaire_id).orderBy('position').execute(),
  ]);
  if (!questionnaire) return undefined;
  return { desk, unit, fields, questionnaire, elements, questions };
}

export interface NewDesk {
  unitId: number;
  code: string;
  name: string;
  questionnaireId: number;
  fieldIds: number[];
}

export async function createDesk(db: Kysely<Database>, input: NewDesk, now: string): Promise<number> {
  if (input.fieldIds.length === 0) throw new Error(`Desk ${input.code}: a desk serves at least one field.`);
  return within(db, async (trx) => {
    const { id } = await trx
      .insertInto('desks')
      .values({ unit_id: input.unitId, code: input.code, name: input.name, questionnaire_id: input.questionnaireId, created_at: now, short_code: await freeShortCode(trx) })
      .returning('id')
      .executeTakeFirstOrThrow();
    await trx
      .insertInto('desk_fields')
      .values(input.fieldIds.map((field_id, position) => ({ desk_id: id, field_id, position })))
      .execute();
    await touchSurveyConfig(trx);
    return id;
  });
}

export async function findDeskByCode(db: Kysely<Database>, unitId: number, code: string): Promise<{ id: number } | undefined> {
  return db.selectFrom('desks').select('id').where('unit_id', '=', unitId).where('code', '=', code).executeTakeFirst();
}

/**
 * A short code no desk has (db/short-codes.ts). Asked before writing rather than caught on the unique
 * index: on PostgreSQL a refused insert would end the caller's transaction. With 3.8 × 10¹⁰ codes a
 * second draw is already rare.
 */
async function freeShortCode(db: Kysely<Database>): Promise<string> {
  for (;;) {
    const code = drawShortCode();
    const taken = await db.selectFrom('desks').select('id').where('short_code', '=', code).executeTakeFirst();
    if (!taken) return code;
  }
}

/**
 * Invalidates every QR code printed for the desk so far, and the short address printed under them: a
 * new token version and a new short code. Returns the new short code.
 */
export async function revokeDeskTokens(db: Kysely<Database>, deskId: number): Promise<string> {
  const shortCode = await freeShortCode(db);
  await db.updateTable('desks').set((eb) => ({ token_version: eb('token_version', '+', 1), short_code: shortCode })).where('id', '=', deskId).execute();
  await touchSurveyConfig(db);
  return shortCode;
}

/** The active desk (of an active unit) a short code names, as stored (capitals, no separators). */
export async function findDeskByShortCode(db: Kysely<Database>, shortCode: string): Promise<{ id: number } | undefined> {
  return activeDesks(db).select('desks.id').where('desks.short_code', '=', shortCode).executeTakeFirst();
}

/** The desks that take responses now (the alerts close those of any other: server/alerts/rules.ts). */
export async function activeDeskIds(db: Kysely<Database>): Promise<Set<number>> {
  const rows = await activeDesks(db).select('desks.id').execute();
  return new Set(rows.map((r) => r.id));
}

export async function setDeskActive(db: Kysely<Database>, deskId: number, active: boolean): Promise<void> {
  await db.updateTable('desks').set({ active: active ? 1 : 0 }).where('id', '=', deskId).execute();
  await touchSurveyConfig(db);
}

export interface DeskListing {
  id: number;
  code: string;
  name: string;
  tokenVersion: number;
  shortCode: string;
  unit: { id: number; code: string; name: string };
  fields: string[];
}

export async function listActiveDesks(db: Kysely<Database>): Promise<DeskListing[]> {
  const rows = await db
    .selectFrom('desks')
    .innerJoin('units', 'units.id', 'desks.unit_id')
    .select([
      'desks.id', 'desks.code', 'desks.name', 'desks.token_version', 'desks.short_code',
      'units.id as unit_id', 'units.code as unit_code', 'units.name as unit_name',
    ])
    .where('desks.active', '=', 1)
    .orderBy('units.id')
    .orderBy('desks.code')
    .execute();
  const links = await db
    .selectFrom('desk_fields')
    .innerJoin('fields', 'fields.id', 'desk_fields.field_id')
    .select(['desk_fields.desk_id', 'fields.code'])
    .orderBy('desk_fields.position')
    .execute();
  const fieldsByDesk = new Map<number, string[]>();
  for (const link of links) {
    const list = fieldsByDesk.get(link.desk_id) ?? [];
    list.push(link.code);
    fieldsByDesk.set(link.desk_id, list);
  }
  return rows.map((r) => ({
    id: r.id,
    code: r.code,
    name: r.name,
    tokenVersion: r.token_version,
    shortCode: r.short_code,
    unit: { id: r.unit_id, code: r.unit_code, name: r.unit_name },
    fields: fieldsByDesk.get(r.id) ?? [],
  }));
}

export interface DeskDetail {
  id: number;
  unitId: number;
  code: string;
  name: string;
  questionnaireId: number;
  questionnaireCode: string;
  questionnaireVersion: number;
  tokenVersion: number;
  /** What citizens type at /q/ (db/short-codes.ts), as stored. */
  shortCode: string;
  active: boolean;
  /** One response per dossier: citizens type the dossier code (survey/dossier.ts). */
  requiresDossier: boolean;
  fieldIds: number[];
  responses: number;
}

async function fieldsOfDesks(db: Kysely<Database>, deskIds: number[]): Promise<Map<number, number[]>> {
  const byDesk = new Map<number, number[]>();
  if (deskIds.length === 0) return byDesk;
  const links = await db.selectFrom('desk_fields').select(['desk_id', 'field_id']).where('desk_id', 'in', deskIds).orderBy('position').execute();
  for (const l of links) byDesk.set(l.desk_id, [...(byDesk.get(l.desk_id) ?? []), l.field_id]);
  return byDesk;
}

/** The desks of some units (all when unitIds is null), active or not, with what the admin pages show. */
export async function listDeskDetails(db: Kysely<Database>, unitIds: number[] | null): Promise<DeskDetail[]> {
  let q = db
    .selectFrom('desks')
    .innerJoin('questionnaires', 'questionnaires.id', 'desks.questionnaire_id')
    .select((eb) => [
      'desks.id', 'desks.unit_id', 'desks.code', 'desks.name', 'desks.questionnaire_id', 'questionnaires.code as q_code',
      'questionnaires.version as q_version', 'desks.token_version', 'desks.short_code', 'desks.active', 'desks.requires_dossier',
      eb.selectFrom('responses').select(eb.fn.countAll<number>().as('n')).whereRef('responses.desk_id', '=', 'desks.id').as('responses'),
    ]);
  if (unitIds !== null) q = q.where('desks.unit_id', 'in', unitIds.length > 0 ? unitIds : [-1]);
  const rows = await q.orderBy('desks.unit_id').orderBy('desks.code').execute();
  const fields = await fieldsOfDesks(db, rows.map((r) => r.id));
  return rows.map((r) => ({
    id: r.id,
    unitId: r.unit_id,
    code: r.code,
    name: r.name,
    questionnaireId: r.questionnaire_id,
    questionnaireCode: r.q_code,
    questionnaireVersion: r.q_version,
    tokenVersion: r.token_version,
    shortCode: r.short_code,
    active: r.active === 1,
    requiresDossier: r.requires_dossier === 1,
    fieldIds: fields.get(r.id) ?? [],
    responses: Number(r.responses ?? 0),
  }));
}

export async function findDeskDetail(db: Kysely<Database>, id: number): Promise<DeskDetail | undefined> {
  const desk = await db.selectFrom('desks').select('unit_id').where('id', '=', id).executeTakeFirst();
  if (!desk) return undefined;
  return (await listDeskDetails(db, [desk.unit_id])).find((d) => d.id === id);
}

export interface DeskChanges {
  name: string;
  questionnaireId: number;
  fieldIds: number[];
  /** Left as it is when not given. */
  requiresDossier?: boolean;
}

/** Name, fields served and questionnaire version; the code stays (it is printed on posters). */
export async function updateDesk(db: Kysely<Database>, id: number, changes: DeskChanges): Promise<void> {
  if (changes.fieldIds.length === 0) throw new Error(`Desk ${id}: a desk serves at least one field.`);
  await within(db, async (trx) => {
    await trx
      .updateTable('desks')
      .set({ name: changes.name, questionnaire_id: changes.questionnaireId, ...(changes.requiresDossier === undefined ? {} : { requires_dossier: changes.requiresDossier ? 1 : 0 }) })
      .where('id', '=', id)
      .execute();
    await trx.deleteFrom('desk_fields').where('desk_id', '=', id).execute();
    await trx
      .insertInto('desk_fields')
      .values(changes.fieldIds.map((field_id, position) => ({ desk_id: id, field_id, position })))
      .execute();
    await touchSurveyConfig(trx);
  });
}

/** Responses a desk received from a local day on (any status): its usual traffic, for spotting bursts. */
export async function responsesSince(db: Kysely<Database>, deskId: number, fromDay: string): Promise<number> {
  const row = await db
    .selectFrom('daily_responses')
    .select((eb) => eb.fn.sum<number>('n').as('n'))
    .where('desk_id', '=', deskId)
    .where('day', '>=', fromDay)
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}
