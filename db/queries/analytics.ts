/**
 * Sums over the rollups for the dashboard and the API. Every figure on those pages comes from here:
 * the rollups per question and option (daily_rollups, monthly_rollups) and per questionnaire with
 * respondent-level moments (daily_responses, monthly_responses). A period is read as whole months
 * from the monthly tables and its ragged ends from the daily ones (spans, computed by the caller).
 * No query here reads responses or answers.
 */
import { type Kysely, type SelectQueryBuilder, sql } from 'kysely';
import { QUESTION_COUNTS, type QuestionCount, RESPONSE_SUMS, type ResponseSum } from '../rollups.ts';
import type { Channel, Database, ResponseStatus } from '../schema.ts';
import { addDays } from '../../analytics/time.ts';
import { historyVersion, openFrom, openVersion } from './history.ts';

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
  /**
   * The local day the report is made. With it, the sums of spans that ended before yesterday are
   * kept in memory until the past changes (history.ts); without it, every span is read afresh.
   */
  today?: string;
}

export type Grouping = 'none' | 'month' | 'unit' | 'desk';

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
    case 'desk':
      return sql<string>`cast(desk_id as text)`;
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

/** Sums of past spans, by version of the past, query, span and filter; the oldest go first. */
const pastSums = new Map<string, unknown[]>();
const PAST_SUMS_KEPT = 3_000;

/**
 * The spans of a filter, with days still moving (yesterday and today) split off from the past, so
 * that the past part of a period can be served from memory and only the moving part is read.
 */
function spansOf(filter: RollupFilter): { span: RollupSpan; past: boolean }[] {
  if (filter.today === undefined) return filter.spans.map((span) => ({ span, past: false }));
  const open = openFrom(filter.today);
  const out: { span: RollupSpan; past: boolean }[] = [];
  for (const span of filter.spans) {
    if (span.grain === 'month') out.push({ span, past: span.to < open.slice(0, 7) });
    else if (span.to < open) out.push({ span, past: true });
    else if (span.from >= open) out.push({ span, past: false });
    else {
      out.push({ span: { grain: 'day', from: span.from, to: addDays(open, -1) }, past: true });
      out.push({ span: { grain: 'day', from: open, to: span.to }, past: false });
    }
  }
  return out;
}

/**
 * Sums of the days still moving, by query, span and filter: only the latest, with the versions it
 * was read at. They are read again once a response arrives (openVersion) or the past changes; until
 * then a report of a running period reads no rollup at all, however many responses the days hold.
 */
const openSums = new Map<string, { version: string; rows: unknown[] }>();
const OPEN_SUMS_KEPT = 500;

function keep<T>(map: Map<string, T>, limit: number, key: string, value: T): void {
  map.delete(key);
  if (map.size >= limit) map.delete(map.keys().next().value as string);
  map.set(key, value);
}

/**
 * The rows of every span merged by `merge` (mergeBy, which copies before adding). Kept span rows are
 * shared, never changed; so is a merged result, which is kept while every span it was made of is
 * the very same kept array (a dashboard asks for the same year by desk on every view, some 200,000
 * span rows merged into 15,000). Callers only read the rows they get.
 */
async function perSpan<T>(db: Kysely<Database>, filter: RollupFilter, query: string, run: (span: RollupSpan) => Promise<T[]>, merge: (rows: T[]) => T[]): Promise<T[]> {
  const parts = spansOf(filter);
  const today = filter.today;
  const version = today !== undefined ? await historyVersion(db) : '';
  const open = today !== undefined && parts.some((p) => !p.past) ? `${version}|${await openVersion(db, today)}` : null;
  const filterKey = JSON.stringify([filter.unitIds, filter.fieldIds, filter.deskId, filter.channel, filter.statuses]);
  const results = await Promise.all(
    parts.map(async ({ span, past }) => {
      const key = `${query}|${span.grain}|${span.from}|${span.to}|${filterKey}`;
      if (!past) {
        if (open === null) return run(span);
        const kept = openSums.get(key);
        if (kept?.version === open) return kept.rows as T[];
        const rows = await run(span);
        keep(openSums, OPEN_SUMS_KEPT, key, { version: open, rows });
        return rows;
      }
      const kept = pastSums.get(`${version}|${key}`) as T[] | undefined;
      if (kept) return kept;
      const rows = await run(span);
      keep(pastSums, PAST_SUMS_KEPT, `${version}|${key}`, rows);
      return rows;
    }),
  );
  // Without a day to split the past off, nothing was kept: nothing merged is either.
  if (today === undefined) return merge(results.flat());
  const mergedKey = `${query}|${filterKey}|${parts.map((p) => `${p.span.grain}:${p.span.from}:${p.span.to}`).join(',')}`;
  const known = mergedSums.get(mergedKey);
  if (known && known.parts.length === results.length && known.parts.every((part, i) => part === results[i])) {
    mergedSums.delete(mergedKey);
    mergedSums.set(mergedKey, known);
    return known.rows as T[];
  }
  const rows = merge(results.flat());
  if (known) mergedRows -= known.rows.length;
  mergedSums.delete(mergedKey);
  mergedSums.set(mergedKey, { parts: results, rows });
  mergedRows += rows.length;
  // The least recently used go first once the rows kept pass MERGED_ROWS_KEPT (some 40 MB).
  for (const [key, value] of mergedSums) {
    if (mergedRows <= MERGED_ROWS_KEPT || key === mergedKey) break;
    mergedSums.delete(key);
    mergedRows -= value.rows.length;
  }
  return rows;
}

/** Merged rows of a query and filter, with the span arrays they were merged from. */
const mergedSums = new Map<string, { parts: unknown[][]; rows: unknown[] }>();
const MERGED_ROWS_KEPT = 200_000;
let mergedRows = 0;

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

/** The count columns of the question rollups, as QuestionTotalRow names them. */
const QUESTION_FIELDS: Record<QuestionCount, Exclude<keyof QuestionTotalRow, 'group' | 'fieldId' | 'questionId'>> = {
  n0: 'n0',
  n1: 'n1',
  n2: 'n2',
  n3: 'n3',
  n4: 'n4',
  n5: 'n5',
  n_chosen: 'nChosen',
};

export async function questionTotals(db: Kysely<Database>, filter: RollupFilter, grouping: Grouping): Promise<QuestionTotalRow[]> {
  return perSpan(db, filter, `questions|${grouping}`, async (span) => {
    const group = groupExpression(grouping, span);
    const base = db
      .selectFrom(tableOf('rollups', span) as 'daily_rollups')
      .select((eb) => [group.as('grp'), 'field_id', 'question_id', ...QUESTION_COUNTS.map((c) => eb.fn.sum<number>(c).as(c))])
      .where('option_key', '=', '');
    const result = await applyFilter(base, filter, span)
      .groupBy(grouping === 'none' ? ['field_id', 'question_id'] : [group, 'field_id', 'question_id'])
      .execute();
    return result.map((r) => {
      const row: QuestionTotalRow = { group: String(r.grp), fieldId: r.field_id, questionId: r.question_id, n0: 0, n1: 0, n2: 0, n3: 0, n4: 0, n5: 0, nChosen: 0 };
      for (const c of QUESTION_COUNTS) row[QUESTION_FIELDS[c]] = num((r as Record<string, unknown>)[c]);
      return row;
    });
  }, (rows) =>
    mergeBy(
      rows,
      (r) => `${r.group}|${r.fieldId}|${r.questionId}`,
      (into, r) => {
        for (const c of QUESTION_COUNTS) into[QUESTION_FIELDS[c]] += r[QUESTION_FIELDS[c]];
      },
    ),
  );
}

export interface OptionTotalRow {
  fieldId: number;
  questionId: number;
  optionKey: string;
  n: number;
}

export async function optionTotals(db: Kysely<Database>, filter: RollupFilter): Promise<OptionTotalRow[]> {
  return perSpan(db, filter, 'options', async (span) => {
    const base = db
      .selectFrom(tableOf('rollups', span) as 'daily_rollups')
      .select((eb) => ['field_id', 'question_id', 'option_key', eb.fn.sum<number>('n_chosen').as('n')])
      .where('option_key', '!=', '');
    const result = await applyFilter(base, filter, span).groupBy(['field_id', 'question_id', 'option_key']).execute();
    return result.map((r) => ({ fieldId: r.field_id, questionId: r.question_id, optionKey: r.option_key, n: num(r.n) }));
  }, (rows) =>
    mergeBy(
      rows,
      (r) => `${r.fieldId}|${r.questionId}|${r.optionKey}`,
      (into, r) => {
        into.n += r.n;
      },
    ),
  );
}

/** Respondent-level sums per group, field, desk and questionnaire version. */
export interface MomentRow {
  group: string;
  fieldId: number;
  deskId: number;
  questionnaireId: number;
  /** The latest day (or month, 'YYYY-MM', from the monthly rollup) with a response in the group. */
  lastDay: string;
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

/** The sums of the response rollups, as MomentRow names them. */
const MOMENT_FIELDS: Record<ResponseSum, Exclude<keyof MomentRow, 'group' | 'fieldId' | 'deskId' | 'questionnaireId' | 'lastDay'>> = {
  n: 'responses',
  scored: 'scored',
  score_sum: 'scoreSum',
  score_sq: 'scoreSq',
  all_satisfied: 'allSatisfied',
  item_x: 'itemX',
  item_y: 'itemY',
  item_xx: 'itemXX',
  item_yy: 'itemYY',
  item_xy: 'itemXY',
};

export async function momentTotals(db: Kysely<Database>, filter: RollupFilter, grouping: Grouping): Promise<MomentRow[]> {
  return perSpan(db, filter, `moments|${grouping}`, async (span) => {
    const group = groupExpression(grouping, span);
    const base = db
      .selectFrom(tableOf('responses', span) as 'daily_responses')
      .select((eb) => [
        group.as('grp'),
        'field_id',
        'desk_id',
        'questionnaire_id',
        sql<string>`max(${sql.ref(span.grain === 'day' ? 'day' : 'month')})`.as('last_day'),
        ...RESPONSE_SUMS.map((c) => eb.fn.sum<number>(c).as(c)),
      ]);
    const result = await applyFilter(base, filter, span)
      .groupBy(grouping === 'none' ? ['field_id', 'desk_id', 'questionnaire_id'] : [group, 'field_id', 'desk_id', 'questionnaire_id'])
      .execute();
    return result.map((r) => {
      const row: MomentRow = {
        group: String(r.grp), fieldId: r.field_id, deskId: r.desk_id, questionnaireId: r.questionnaire_id, lastDay: String(r.last_day),
        responses: 0, scored: 0, scoreSum: 0, scoreSq: 0, allSatisfied: 0, itemX: 0, itemY: 0, itemXX: 0, itemYY: 0, itemXY: 0,
      };
      for (const c of RESPONSE_SUMS) row[MOMENT_FIELDS[c]] = num((r as Record<string, unknown>)[c]);
      return row;
    });
  }, (rows) =>
    mergeBy(
      rows,
      (r) => `${r.group}|${r.fieldId}|${r.deskId}|${r.questionnaireId}`,
      (into, r) => {
        for (const c of RESPONSE_SUMS) into[MOMENT_FIELDS[c]] += r[MOMENT_FIELDS[c]];
        if (r.lastDay > into.lastDay) into.lastDay = r.lastDay;
      },
    ),
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
  /** The element's name as the questionnaire gives it ("Tiếp cận dịch vụ"), for people; null without one. */
  elementNameVi: string | null;
  elementNameEn: string | null;
  position: number;
  type: string;
  role: string;
  textVi: string;
  textEn: string;
  /** The question's short name for charts and tables, when its template gives one. */
  shortVi: string | null;
  shortEn: string | null;
  optionsJson: string | null;
}

/** Every question of every questionnaire version: a few hundred rows, read once per page. */
export async function questionMeta(db: Kysely<Database>): Promise<QuestionMetaRow[]> {
  const rows = await db
    .selectFrom('questions')
    .innerJoin('questionnaires', 'questionnaires.id', 'questions.questionnaire_id')
    .leftJoin('elements', (j) => j.onRef('elements.questionnaire_id', '=', 'questions.questionnaire_id').onRef('elements.code', '=', 'questions.element_code'))
    .select([
      'elements.name_vi as element_name_vi', 'elements.name_en as element_name_en',
      'questions.id', 'questions.questionnaire_id', 'questionnaires.code', 'questionnaires.version', 'questionnaires.kind',
      'questionnaires.title_vi as questionnaire_title_vi', 'questionnaires.title_en as questionnaire_title_en',
      'questions.key', 'questions.element_code', 'questions.position', 'questions.type', 'questions.role',
      'questions.text_vi', 'questions.text_en', 'questions.short_vi', 'questions.short_en', 'questions.options_json',
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
    elementNameVi: r.element_name_vi,
    elementNameEn: r.element_name_en,
    position: r.position,
    type: r.type,
    role: r.role,
    textVi: r.text_vi,
    textEn: r.text_en,
    shortVi: r.short_vi,
    shortEn: r.short_en,
    optionsJson: r.options_json,
  }));
}
