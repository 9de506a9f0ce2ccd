/**
 * Reference data, seeded idempotently at every start: fields, questionnaire templates and, on a
 * database with no units yet, Nghệ An's official units. Existing rows are never changed (short
 * labels missing from an older version excepted, see fillShortLabels), so an administrator's edits
 * survive restarts; a template's new version is a new file beside the old one.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../schema.ts';
import { loadFieldTemplates, loadIndicatorTemplates, loadQuestionnaireTemplates, type QuestionnaireTemplate } from './templates.ts';
import { importUnits } from '../queries/units.ts';
import { loadBundledUnits } from './units.ts';

export interface SeedSummary {
  fields: number;
  questionnaires: number;
  units: number;
  targets: number;
}

/**
 * The plan's indicators and a target per year listed in indicators.json. The first year is the
 * plan's own; later years copy its thresholds as defaults (marked so in `source`) until the
 * province publishes new ones and an administrator changes them.
 */
async function seedIndicators(db: Kysely<Database>): Promise<number> {
  const file = loadIndicatorTemplates();
  const firstYear = Math.min(...file.years);
  let added = 0;
  for (const [position, t] of file.indicators.entries()) {
    await db
      .insertInto('indicators')
      .values({ code: t.code, name_vi: t.vi, name_en: t.en, measure: t.measure, covers_json: JSON.stringify(t.covers), position })
      .onConflict((oc) => oc.column('code').doNothing())
      .execute();
    const { id } = await db.selectFrom('indicators').select('id').where('code', '=', t.code).executeTakeFirstOrThrow();
    for (const year of file.years) {
      const result = await db
        .insertInto('targets')
        .values({
          indicator_id: id,
          threshold: t.threshold,
          valid_from: `${year}-01-01`,
          valid_to: `${year}-12-31`,
          source: year === firstYear ? (t.source ?? file.source) : `Mặc định theo chỉ tiêu ${firstYear} / copied from ${firstYear}`,
          // A later year's copy waits for an administrator to confirm it (/admin/targets).
          confirmed: year === firstYear ? 1 : 0,
        })
        .onConflict((oc) => oc.columns(['indicator_id', 'valid_from']).doNothing())
        .executeTakeFirst();
      added += Number(result.numInsertedOrUpdatedRows ?? 0);
    }
  }
  return added;
}

async function seedFields(db: Kysely<Database>): Promise<number> {
  const existing = new Set((await db.selectFrom('fields').select('code').execute()).map((r) => r.code));
  const missing = loadFieldTemplates()
    .map((f, position) => ({ code: f.code, name_vi: f.vi, name_en: f.en, field_group: f.group, position }))
    .filter((f) => !existing.has(f.code));
  if (missing.length > 0) await db.insertInto('fields').values(missing).execute();
  return missing.length;
}

export async function insertQuestionnaire(db: Kysely<Database>, t: QuestionnaireTemplate, now: string): Promise<number> {
  const { id } = await db
    .insertInto('questionnaires')
    .values({
      code: t.code,
      version: t.version,
      kind: t.kind,
      title_vi: t.title.vi,
      title_en: t.title.en,
      intro_vi: t.intro.vi,
      intro_en: t.intro.en,
      created_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  if (t.elements.length > 0) {
    await db
      .insertInto('elements')
      .values(t.elements.map((e, position) => ({ questionnaire_id: id, code: e.code, position, name_vi: e.vi, name_en: e.en })))
      .execute();
  }
  await db
    .insertInto('questions')
    .values(
      t.questions.map((q, position) => ({
        questionnaire_id: id,
        key: q.key,
        element_code: q.element ?? null,
        position,
        type: q.type,
        role: q.role,
        text_vi: q.vi,
        text_en: q.en,
        short_vi: q.short_vi ?? null,
        short_en: q.short_en ?? null,
        required: q.required ? 1 : 0,
        allow_no_opinion: q.no_opinion ? 1 : 0,
        max_choices: q.max_choices ?? null,
        options_json: q.options ? JSON.stringify(q.options) : null,
      })),
    )
    .execute();
  return id;
}

/**
 * Short labels arrived after the first versions were seeded. They name a question on charts and
 * change nothing a citizen answered, so a version seeded without them gets them from its template:
 * only where the question still has the template's words and the version has no short label at all
 * (an administrator who labelled or cleared some of them on purpose keeps that).
 */
async function fillShortLabels(db: Kysely<Database>, questionnaireId: number, t: QuestionnaireTemplate): Promise<void> {
  const rows = await db.selectFrom('questions').select(['id', 'key', 'text_vi', 'text_en', 'short_vi', 'short_en']).where('questionnaire_id', '=', questionnaireId).execute();
  if (rows.some((r) => r.short_vi !== null || r.short_en !== null)) return;
  for (const row of rows) {
    const q = t.questions.find((x) => x.key === row.key && x.vi === row.text_vi && x.en === row.text_en);
    if (q?.short_vi === undefined || q.short_en === undefined) continue;
    await db.updateTable('questions').set({ short_vi: q.short_vi, short_en: q.short_en }).where('id', '=', row.id).execute();
  }
}

async function seedQuestionnaires(db: Kysely<Database>, now: string): Promise<number> {
  const existing = new Map(
    (await db.selectFrom('questionnaires').select(['id', 'code', 'version']).execute()).map((r) => [`${r.code}@${r.version}`, r.id]),
  );
  let added = 0;
  for (const t of loadQuestionnaireTemplates()) {
    const id = existing.get(`${t.code}@${t.version}`);
    if (id !== undefined) {
      await fillShortLabels(db, id, t);
      continue;
    }
    await db.transaction().execute((trx) => insertQuestionnaire(trx, t, now));
    added++;
  }
  return added;
}

export async function seedReferenceData(db: Kysely<Database>, now = new Date()): Promise<SeedSummary> {
  const iso = now.toISOString();
  const fields = await seedFields(db);
  const questionnaires = await seedQuestionnaires(db, iso);
  const hasUnits = await db.selectFrom('units').select('id').limit(1).executeTakeFirst();
  const units = hasUnits ? 0 : (await importUnits(db, loadBundledUnits(), iso)).created;
  const targets = await seedIndicators(db);
  return { fields, questionnaires, units, targets };
}
