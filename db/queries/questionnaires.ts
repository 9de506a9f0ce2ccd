/**
 * Questionnaire versions. A version is locked by its first response (responses.ts); until then the
 * administration pages may edit its words, order, required flags and elements. Changing a
 * questionnaire that has answers means a new version, copied from the current one.
 */
import type { Kysely } from 'kysely';
import type { Database, Element, Question, Questionnaire } from '../schema.ts';
import { touchSurveyConfig } from './survey-config.ts';
import { within } from './within.ts';

/** The newest version of a questionnaire template, by code. */
export async function latestQuestionnaire(db: Kysely<Database>, code: string): Promise<{ id: number; code: string; version: number } | undefined> {
  return db.selectFrom('questionnaires').select(['id', 'code', 'version']).where('code', '=', code).orderBy('version', 'desc').executeTakeFirst();
}

export interface QuestionnaireListing {
  id: number;
  code: string;
  version: number;
  kind: string;
  titleVi: string;
  titleEn: string;
  locked: boolean;
  desks: number;
  responses: number;
}

export async function listQuestionnaires(db: Kysely<Database>): Promise<QuestionnaireListing[]> {
  const rows = await db
    .selectFrom('questionnaires')
    .select((eb) => [
      'id', 'code', 'version', 'kind', 'title_vi', 'title_en', 'locked',
      eb.selectFrom('desks').select(eb.fn.countAll<number>().as('n')).whereRef('desks.questionnaire_id', '=', 'questionnaires.id').as('desks'),
      eb.selectFrom('responses').select(eb.fn.countAll<number>().as('n')).whereRef('responses.questionnaire_id', '=', 'questionnaires.id').as('responses'),
    ])
    .orderBy('code')
    .orderBy('version')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    code: r.code,
    version: r.version,
    kind: r.kind,
    titleVi: r.title_vi,
    titleEn: r.title_en,
    locked: r.locked === 1,
    desks: Number(r.desks ?? 0),
    responses: Number(r.responses ?? 0),
  }));
}

export interface QuestionnaireDetail {
  questionnaire: Questionnaire;
  elements: Element[];
  questions: Question[];
}

export async function findQuestionnaireDetail(db: Kysely<Database>, id: number): Promise<QuestionnaireDetail | undefined> {
  const questionnaire = await db.selectFrom('questionnaires').selectAll().where('id', '=', id).executeTakeFirst();
  if (!questionnaire) return undefined;
  const [elements, questions] = await Promise.all([
    db.selectFrom('elements').selectAll().where('questionnaire_id', '=', id).orderBy('position').execute(),
    db.selectFrom('questions').selectAll().where('questionnaire_id', '=', id).orderBy('position').execute(),
  ]);
  return { questionnaire, elements, questions };
}

/** A copy of a version as the next version of its code, unlocked, used by no desk yet (in the caller's transaction when given one). */
export async function copyAsNewVersion(db: Kysely<Database>, id: number, now: string): Promise<number> {
  return within(db, async (trx) => {
    const source = await trx.selectFrom('questionnaires').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    const latest = await trx.selectFrom('questionnaires').select('version').where('code', '=', source.code).orderBy('version', 'desc').executeTakeFirstOrThrow();
    const { id: _id, locked: _locked, created_at: _created, ...copied } = source;
    const { id: newId } = await trx
      .insertInto('questionnaires')
      .values({ ...copied, version: latest.version + 1, locked: 0, created_at: now })
      .returning('id')
      .executeTakeFirstOrThrow();
    const elements = await trx.selectFrom('elements').selectAll().where('questionnaire_id', '=', id).execute();
    if (elements.length > 0) {
      await trx.insertInto('elements').values(elements.map(({ id: _e, ...e }) => ({ ...e, questionnaire_id: newId }))).execute();
    }
    const questions = await trx.selectFrom('questions').selectAll().where('questionnaire_id', '=', id).execute();
    await trx.insertInto('questions').values(questions.map(({ id: _q, ...q }) => ({ ...q, questionnaire_id: newId }))).execute();
    return newId;
  });
}

export interface QuestionnaireEdit {
  titleVi: string;
  titleEn: string;
  introVi: string;
  introEn: string;
  elements: { id: number; nameVi: string; nameEn: string }[];
  questions: { id: number; textVi: string; textEn: string; shortVi: string | null; shortEn: string | null; required: boolean; element: string | null; position: number }[];
}

/**
 * Saves the words and layout of a version that has no answers yet. False when it is locked (a
 * response came first): the caller says so instead of changing what citizens already answered.
 * In the caller's transaction when given one (server/questionnaires/ writes its audit entry in it).
 */
export async function updateQuestionnaire(db: Kysely<Database>, id: number, edit: QuestionnaireEdit): Promise<boolean> {
  return within(db, async (trx) => {
    const unlocked = await trx
      .updateTable('questionnaires')
      .set({ title_vi: edit.titleVi, title_en: edit.titleEn, intro_vi: edit.introVi, intro_en: edit.introEn })
      .where('id', '=', id)
      .where('locked', '=', 0)
      .executeTakeFirst();
    if (Number(unlocked.numUpdatedRows) !== 1) return false;
    for (const e of edit.elements) {
      await trx.updateTable('elements').set({ name_vi: e.nameVi, name_en: e.nameEn }).where('id', '=', e.id).where('questionnaire_id', '=', id).execute();
    }
    for (const q of edit.questions) {
      await trx
        .updateTable('questions')
        .set({
          text_vi: q.textVi,
          text_en: q.textEn,
          short_vi: q.shortVi,
          short_en: q.shortEn,
          required: q.required ? 1 : 0,
          element_code: q.element,
          position: q.position,
        })
        .where('id', '=', q.id)
        .where('questionnaire_id', '=', id)
        .execute();
    }
    await touchSurveyConfig(trx);
    return true;
  });
}
