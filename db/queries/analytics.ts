/**
 * Sums over the rollups for the dashboard and the API. Every figure on those pages comes from here:
 * the rollups per question and option (daily_rollups, monthly_rollups) and per questionnaire with
 * respondent-level moments (daily_responses, monthly_responses). A period is read as whole months
 * from the monthly tables and its ragged ends from the daily ones (spans, computed by the caller).
 * No query here reads responses or answers.
 */
import { type Kysely, type SelectQueryBuilder, sql } from 'kysely';
import type { Channel, Database, ResponseStatus } from '../schema.ts';

/** Part of a period: local days ('YYYY-MM-DD') for grain 'day', months ('YYYY-MM') for grain 'month'. */
export interface RollupSpan {
  grain: 'day' | 'month';
  from: string;
  to: string;
}

export interface RollupFilter {
  /** Inclusive local days of the whole period. */
  from: string;
  to: string;
  /** The same period split into spans of whole months and days (analytics/periods.ts rollupSpans). */
  spans: RollupSpan[];
  /** null = every unit. */
  unitIds: number[] | null;
  /** null = every field. */
  fieldIds: number[] | null;
  deskId: number | null;
  channel: Channel | null;
  statuses: ResponseStatus[];
}

export type Grouping = 'none' | 'month' | 'unit';

type Kind = 'rollups' | 'responses';

/**
 * The table of a span. The daily and monthly tables have the same columns but for the time key, so
 * one query shape serves both; the cast tells Kysely so.
 */
function tableOf(kind: Kind, span: RollupSpan): string {
  return `${span.grain === 'day' ? 'daily' : 'monthly'}_${kind}`;
}

function applyFilter<T extends 'daily_rollups' | 'daily_responses', O>(
  query: SelectQueryBuilder<Database, T, O>,
  f: RollupFilter,
  span: RollupSpan,
): SelectQueryBuilder<Database, T, O> {
  let q = query as unknown as SelectQueryBuilder<Database, 'daily_rollups', O>;
  const time = sql.ref(span.grain === 'day' ? 'day' : 'month');
  q = q.where(sql<boolean>`${time} >= ${span.from}`).where(sql<boolean>`${time} <= ${span.to}`).where('status', 'in', f.statuses);
  if (f.unitIds !== null) q = f.unitIds.length > 0 ? q.where('unit_id', 'in', f.unitIds) : q.where(sql<boolean>`1 = 0`);
  if (f.fieldIds !== null) q = f.fieldIds.length > 0 ? q.where('field_id', 'in', f.fieldIds) : q.where(sql<boolean>`1 = 0`);
  if (f.deskId !== null) q = q.where('desk_id', '=', f.deskId);
  if (f.channel !== null) q = q.where('channel', '=', f.channel);
  return q as unknown as SelectQueryBuilder<Database, T, O>;
}

function groupExpression(grouping: Grouping, span: RollupSpan) {
  switch (grouping) {
    case 'month':
      return span.grain === 'day' ? sql<string>`substr(day, 1, 7)` : sql<string>`month`;
    case 'unit':
      return sql<string>`cast(unit_id as text)`;
    case 'none':
      // A constant: PostgreSQL refuses it in GROUP BY, so callers leave it out there.
      return sql<string>`''`;
  }
}

/** Adds rows of several spans that share a key. */
function mergeBy<T extends object>(rows: T[], key: (row: T) => string, add: (into: T, row: T) => void): T[] {
  const merged = new Map<string, T>();
  for (const row of rows) {
    const k = key(row);
    const existing = merged.get(k);
    if (existing) add(existing, row);
    else merged.set(k, { ...row });
  }
  return [...merged.values()];
}

async function perSpan<T>(filter: RollupFilter, run: (span: RollupSpan) => Promise<T[]>): Promise<T[]> {
  return (await Promise.all(filter.spans.map(run))).flat();
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
  const rows = await perSpan(filter, async (span) => {
    const group = groupExpression(grouping, span);
    const base = db
      .selectFrom(tableOf('rollups', span) as 'daily_rollups')
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
    const result = await applyFilter(base, filter, span)
      .groupBy(grouping === 'none' ? ['field_id', 'question_id'] : [group, 'field_id', 'question_id'])
      .execute();
    return result.map((r) => ({
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
  });
  return mergeBy(
    rows,
    (r) => `${r.group}|${r.fieldId}|${r.questionId}`,
    (into, r) => {
      into.n0 += r.n0;
      into.n1 += r.n1;
      into.n2 += r.n2;
      into.n3 += r.n3;
      into.n4 += r.n4;
      into.n5 += r.n5;
      into.nChosen += r.nChosen;
    },
  );
}

export interface OptionTotalRow {
  fieldId: number;
  questionId: number;
  optionKey: string;
  n: number;
}

export async function optionTotals(db: Kysely<Database>, filter: RollupFilter): Promise<OptionTotalRow[]> {
  const rows = await perSpan(filter, async (span) => {
    const base = db
      .selectFrom(tableOf('rollups', span) as 'daily_rollups')
      .select((eb) => ['field_id', 'question_id', 'option_key', eb.fn.sum<number>('n_chosen').as('n')])
      .where('option_key', '!=', '');
    const result = await applyFilter(base, filter, span).groupBy(['field_id', 'question_id', 'option_key']).execute();
    return result.map((r) => ({ fieldId: r.field_id, questionId: r.question_id, optionKey: r.option_key, n: num(r.n) }));
  });
  return mergeBy(
    rows,
    (r) => `${r.fieldId}|${r.questionId}|${r.optionKey}`,
    (into, r) => {
      into.n += r.n;
    },
  );
}

/** Respondent-level sums per group, field, desk and questionnaire version. */
export interface MomentRow {
  group: string;
  fieldId: number;
  deskId: number;
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

const MOMENT_FIELDS = ['responses', 'scored', 'scoreSum', 'scoreSq', 'allSatisfied', 'itemX', 'itemY', 'itemXX', 'itemYY', 'itemXY'] as const;

export async function momentTotals(db: Kysely<Database>, filter: RollupFilter, grouping: Grouping): Promise<MomentRow[]> {
  const rows = await perSpan(filter, async (span) => {
    const group = groupExpression(grouping, span);
    const base = db.selectFrom(tableOf('responses', span) as 'daily_responses').select((eb) => [
      group.as('grp'),
      'field_id',
      'desk_id',
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
    const result = await applyFilter(base, filter, span)
      .groupBy(grouping === 'none' ? ['field_id', 'desk_id', 'questionnaire_id'] : [group, 'field_id', 'desk_id', 'questionnaire_id'])
      .execute();
    return result.map((r) => ({
      group: String(r.grp),
      fieldId: r.field_id,
      deskId: r.desk_id,
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
  });
  return mergeBy(
    rows,
    (r) => `${r.group}|${r.fieldId}|${r.deskId}|${r.questionnaireId}`,
    (into, r) => {
      for (const f of MOMENT_FIELDS) into[f] += r[f];
    },
  );
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
