/**
 * Sums over the daily rollups for the dashboard and the API. Every figure on those pages comes
 * from here: daily_rollups (per question and option) and daily_responses (per questionnaire, with
 * respondent-level moments). No query here reads responses or answers.
 */
import { type Kysely, type SelectQueryBuilder, sql } from 'kysely';
import type { Channel, Database, ResponseStatus } from '../schema.ts';

export interface RollupFilter {
  /** Inclusive local days. */
  from: string;
  to: string;
  /** null = every unit. */
  unitIds: number[] | null;
  /** null = every field. */
  fieldIds: number[] | null;
  deskId: number | null;
  channel: Channel | null;
  statuses: ResponseStatus[];
}

export type Grouping = 'none' | 'month' | 'unit';

type RollupTable = 'daily_rollups' | 'daily_responses';

function applyFilter<T extends RollupTable, O>(query: SelectQueryBuilder<Database, T, O>, f: RollupFilter): SelectQueryBuilder<Database, T, O> {
  // Kysely cannot see that both tables share these columns; the casts only restate that.
  let q = query as unknown as SelectQueryBuilder<Database, 'daily_rollups', O>;
  q = q.where('day', '>=', f.from).where('day', '<=', f.to).where('status', 'in', f.statuses);
  if (f.unitIds !== null) q = f.unitIds.length > 0 ? q.where('unit_id', 'in', f.unitIds) : q.where(sql<boolean>`1 = 0`);
  if (f.fieldIds !== null) q = f.fieldIds.length > 0 ? q.where('field_id', 'in', f.fieldIds) : q.where(sql<boolean>`1 = 0`);
  if (f.deskId !== null) q = q.where('desk_id', '=', f.deskId);
  if (f.channel !== null) q = q.where('channel', '=', f.channel);
  return q as unknown as SelectQueryBuilder<Database, T, O>;
}

function groupExpression(grouping: Grouping) {
  switch (grouping) {
    case 'month':
      return sql<string>`substr(day, 1, 7)`;
    case 'unit':
      return sql<string>`cast(unit_id as text)`;
    case 'none':
      // A constant: PostgreSQL refuses it in GROUP BY, so callers leave it out there.
      return sql<string>`''`;
  }
}

const num = (v: unknown) => Number(v ?? 0);

export interface QuestionTotalRow {
  group: string;
  fieldId: number;
  questionId: number;
  n0: number;
  n1: number;
  n2: number;
  n3: number;
  n4: number;
  n5: number;
  /** For choice questions: respondents who answered it. */
  nChosen: number;
}

export async function questionTotals(db: Kysely<Database>, filter: RollupFilter, grouping: Grouping): Promise<QuestionTotalRow[]> {
  const group = groupExpression(grouping);
  const base = db
    .selectFrom('daily_rollups')
    .select((eb) => [
      group.as('grp'),
      'field_id',
      'question_id',
      eb.fn.sum<number>('n0').as('n0'),
      eb.fn.sum<number>('n1').as('n1'),
      eb.fn.sum<number>('n2').as('n2'),
      eb.fn.sum<number>('n3').as('n3'),
      eb.fn.sum<number>('n4').as('n4'),
      eb.fn.sum<number>('n5').as('n5'),
      eb.fn.sum<number>('n_chosen').as('n_chosen'),
    ])
    .where('option_key', '=', '');
  const rows = await applyFilter(base, filter).groupBy(grouping === 'none' ? ['field_id', 'question_id'] : [group, 'field_id', 'question_id']).execute();
  return rows.map((r) => ({
    group: String(r.grp),
    fieldId: r.field_id,
    questionId: r.question_id,
    n0: num(r.n0),
    n1: num(r.n1),
    n2: num(r.n2),
    n3: num(r.n3),
    n4: num(r.n4),
    n5: num(r.n5),
    nChosen: num(r.n_chosen),
  }));
}

export interface OptionTotalRow {
  fieldId: number;
  questionId: number;
  optionKey: string;
  n: number;
}

export async function optionTotals(db: Kysely<Database>, filter: RollupFilter): Promise<OptionTotalRow[]> {
  const base = db
    .selectFrom('daily_rollups')
    .select((eb) => ['field_id', 'question_id', 'option_key', eb.fn.sum<number>('n_chosen').as('n')])
    .where('option_key', '!=', '');
  const rows = await applyFilter(base, filter).groupBy(['field_id', 'question_id', 'option_key']).execute();
  return rows.map((r) => ({ fieldId: r.field_id, questionId: r.question_id, optionKey: r.option_key, n: num(r.n) }));
}

export interface MomentRow {
  group: string;
  fieldId: number;
  questionnaireId: number;
  responses: number;
  scored: number;
  scoreSum: number;
  scoreSq: number;
  allSatisfied: number;
  itemX: number;
  itemY: number;
  itemXX: number;
  itemYY: number;
  itemXY: number;
}

export async function momentTotals(db: Kysely<Database>, filter: RollupFilter, grouping: Grouping): Promise<MomentRow[]> {
  const group = groupExpression(grouping);
  const base = db
    .selectFrom('daily_responses')
    .select((eb) => [
      group.as('grp'),
      'field_id',
      'questionnaire_id',
      eb.fn.sum<number>('n').as('n'),
      eb.fn.sum<number>('scored').as('scored'),
      eb.fn.sum<number>('score_sum').as('score_sum'),
      eb.fn.sum<number>('score_sq').as('score_sq'),
      eb.fn.sum<number>('all_satisfied').as('all_satisfied'),
      eb.fn.sum<number>('item_x').as('item_x'),
      eb.fn.sum<number>('item_y').as('item_y'),
      eb.fn.sum<number>('item_xx').as('item_xx'),
      eb.fn.sum<number>('item_yy').as('item_yy'),
      eb.fn.sum<number>('item_xy').as('item_xy'),
    ]);
  const rows = await applyFilter(base, filter).groupBy(grouping === 'none' ? ['field_id', 'questionnaire_id'] : [group, 'field_id', 'questionnaire_id']).execute();
  return rows.map((r) => ({
    group: String(r.grp),
    fieldId: r.field_id,
    questionnaireId: r.questionnaire_id,
    responses: num(r.n),
    scored: num(r.scored),
    scoreSum: num(r.score_sum),
    scoreSq: num(r.score_sq),
    allSatisfied: num(r.all_satisfied),
    itemX: num(r.item_x),
    itemY: num(r.item_y),
    itemXX: num(r.item_xx),
    itemYY: num(r.item_yy),
    itemXY: num(r.item_xy),
  }));
}

export interface QuestionMetaRow {
  id: number;
  questionnaireId: number;
  questionnaireCode: string;
  questionnaireVersion: number;
  questionnaireKind: string;
  questionnaireTitleVi: string;
  questionnaireTitleEn: string;
  key: string;
  element: string | null;
  position: number;
  type: string;
  role: string;
  textVi: string;
  textEn: string;
  optionsJson: string | null;
}

/** Every question of every questionnaire version: a few hundred rows, read once per page. */
export async function questionMeta(db: Kysely<Database>): Promise<QuestionMetaRow[]> {
  const rows = await db
    .selectFrom('questions')
    .innerJoin('questionnaires', 'questionnaires.id', 'questions.questionnaire_id')
    .select([
      'questions.id', 'questions.questionnaire_id', 'questionnaires.code', 'questionnaires.version', 'questionnaires.kind',
      'questionnaires.title_vi as questionnaire_title_vi', 'questionnaires.title_en as questionnaire_title_en',
      'questions.key', 'questions.element_code', 'questions.position', 'questions.type', 'questions.role',
      'questions.text_vi', 'questions.text_en', 'questions.options_json',
    ])
    .orderBy('questions.questionnaire_id')
    .orderBy('questions.position')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    questionnaireId: r.questionnaire_id,
    questionnaireCode: r.code,
    questionnaireVersion: r.version,
    questionnaireKind: r.kind,
    questionnaireTitleVi: r.questionnaire_title_vi,
    questionnaireTitleEn: r.questionnaire_title_en,
    key: r.key,
    element: r.element_code,
    position: r.position,
    type: r.type,
    role: r.role,
    textVi: r.text_vi,
    textEn: r.text_en,
    optionsJson: r.options_json,
  }));
}
