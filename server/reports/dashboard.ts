/** Everything the dashboard shows, computed from rollups in a handful of grouped queries. */
import type { Kysely } from 'kysely';
import { comprehensiveSatisfaction, noOpinionShare } from '../../analytics/indicators.ts';
import { TABLE_METHOD, tableVerdicts } from '../../analytics/multiplicity.ts';
import { hasEnded, monthsOf, type Period, rollupSpans } from '../../analytics/periods.ts';
import { type MeasureResult, NO_RESULT, type Proportion } from '../../analytics/proportion.ts';
import { addCounts, criterionRate, EMPTY_COUNTS, expectationShares, type RatingCounts } from '../../analytics/ratings.ts';
import { directStandardisation, type Standardised } from '../../analytics/standardise.ts';
import { type Confidence, confidenceFor, type Verdict } from '../../analytics/verdict.ts';
import { momentTotals, optionTotals, questionTotals, type QuestionMetaRow, type RollupFilter } from '../../db/queries/analytics.ts';
import { type CommentRow, latestComments } from '../../db/queries/comments.ts';
import type { Database, Field, Unit } from '../../db/schema.ts';
import type { ReportContext } from './context.ts';
import {
  byGroup,
  computeIndicators,
  type IndicatorResult,
  type Judging,
  measureFor,
  overallByField,
  overallOf,
  type RowSet,
  targetFor,
  toCells,
  toQuestionTotals,
} from './indicators.ts';
import { loadPrecision } from './precision.ts';

export interface QuestionStat {
  meta: QuestionMetaRow;
  counts: RatingCounts;
  rate: Proportion;
}

export interface ExpectationStat {
  meta: QuestionMetaRow;
  respondents: number;
  options: { key: string; vi: string; en: string; count: number; share: number | null }[];
}

export interface UnitRank {
  unit: Unit;
  responses: number;
  overall: MeasureResult;
  /** Overall satisfaction standardised to the province's mix of fields (the ranking's order). */
  standardised: Standardised;
  sipas: MeasureResult;
  /** The verdict on overall satisfaction after the adjustment for the whole table. */
  verdict: Verdict | null;
  /** The unit's verdict on its own interval, at the same level. */
  ownVerdict: Verdict | null;
  /** Percent: the target the unit's overall satisfaction is judged against. */
  target: number | null;
}

export interface DashboardReport {
  period: Period;
  previous: Period;
  responses: number;
  indicators: IndicatorResult[];
  previousIndicators: IndicatorResult[];
  comprehensive: MeasureResult;
  /** Share of criterion answers that were "Không ý kiến", shown beside comprehensive satisfaction. */
  comprehensiveNoOpinion: number | null;
  /** The period has not ended: verdicts are provisional and read at the stricter level. */
  provisional: boolean;
  confidence: Confidence;
  /** How the ranking's verdicts are adjusted for comparing many units (analytics/multiplicity.ts). */
  tableMethod: typeof TABLE_METHOD;
  trend: { month: string; indicators: IndicatorResult[] }[];
  byField: { field: Field; responses: number; overall: MeasureResult }[];
  byUnit: UnitRank[];
  questions: QuestionnaireStats[];
  expectations: ExpectationStat[];
  comments: CommentRow[];
}

function sumRows(groups: Map<string, RowSet>): RowSet {
  const all: RowSet = { questions: [], moments: [] };
  for (const g of groups.values()) {
    all.questions.push(...g.questions);
    all.moments.push(...g.moments);
  }
  return all;
}

async function rowsFor(db: Kysely<Database>, filter: RollupFilter, grouping: 'none' | 'month' | 'unit'): Promise<RowSet> {
  const [questions, moments] = await Promise.all([questionTotals(db, filter, grouping), momentTotals(db, filter, grouping)]);
  return { questions, moments };
}

/** How verdicts of a report on this filter are read, with the province pool's precision. */
async function judgingFor(db: Kysely<Database>, ctx: ReportContext, filter: RollupFilter, opts: { minN: number; today: string }): Promise<Judging> {
  const provisional = !hasEnded(filter, opts.today);
  return { periodEnd: filter.to, minN: opts.minN, provisional, confidence: confidenceFor(provisional), precision: await loadPrecision(db, ctx, filter) };
}

/** Just the indicators of one filter: what the API and the headline cards share. */
export async function indicatorReport(
  db: Kysely<Database>,
  ctx: ReportContext,
  filter: RollupFilter,
  opts: { minN: number; today: string },
): Promise<IndicatorResult[]> {
  const [rows, judging] = await Promise.all([rowsFor(db, filter, 'none'), judgingFor(db, ctx, filter, opts)]);
  return computeIndicators(rows, ctx, judging);
}

/** Per rating question of every questionnaire version with answers in the filter. */
export interface QuestionnaireStats {
  questionnaireId: number;
  questions: QuestionStat[];
}

export function questionStats(rows: RowSet, ctx: ReportContext): QuestionnaireStats[] {
  const counts = new Map<number, RatingCounts>();
  for (const r of rows.questions) counts.set(r.questionId, addCounts(counts.get(r.questionId) ?? EMPTY_COUNTS, r));
  const byQuestionnaire = new Map<number, QuestionStat[]>();
  for (const meta of ctx.questions.values()) {
    const c = counts.get(meta.id);
    if (meta.type !== 'rating5' || !c) continue;
    const list = byQuestionnaire.get(meta.questionnaireId) ?? [];
    list.push({ meta, counts: c, rate: criterionRate(c) });
    byQuestionnaire.set(meta.questionnaireId, list);
  }
  return [...byQuestionnaire.entries()].map(([questionnaireId, questions]) => ({ questionnaireId, questions }));
}

export async function dashboardReport(
  db: Kysely<Database>,
  ctx: ReportContext,
  filter: RollupFilter,
  opts: { minN: number; includeHiddenComments: boolean; previous: Period; today: string },
): Promise<DashboardReport> {
  const period = { from: filter.from, to: filter.to };
  const previous = opts.previous;
  const previousFilter = { ...filter, ...previous, spans: rollupSpans(previous) };
  // The province in the same period, channel and field: the reference mix of the standardised ranking.
  const provinceFilter = { ...filter, unitIds: null, deskId: null };
  const [monthly, previousRows, byUnitRows, provinceRows, options, comments, judging] = await Promise.all([
    rowsFor(db, filter, 'month'),
    rowsFor(db, previousFilter, 'none'),
    rowsFor(db, filter, 'unit'),
    questionTotals(db, provinceFilter, 'none'),
    optionTotals(db, filter),
    latestComments(db, filter, { limit: 20, includeHidden: opts.includeHiddenComments }),
    judgingFor(db, ctx, filter, opts),
  ]);
  const monthGroups = byGroup(monthly);
  const current = sumRows(monthGroups);
  const responses = current.moments.reduce((a, m) => a + m.responses, 0);

  const trend = monthsOf(period).map((month) => ({
    month,
    indicators: computeIndicators(monthGroups.get(month) ?? { questions: [], moments: [] }, ctx, judging),
  }));

  const byField = ctx.fields
    .map((field) => {
      const questions = current.questions.filter((r) => r.fieldId === field.id);
      const fieldResponses = current.moments.filter((m) => m.fieldId === field.id).reduce((a, m) => a + m.responses, 0);
      return { field, responses: fieldResponses, overall: overallOf(questions, ctx) };
    })
    .filter((f) => f.responses > 0);

  const sipas = ctx.indicators.find((i) => i.code === 'sipas');
  // A unit is judged against the target of its kind of service: 87% for administrative procedures,
  // 85% for hospitals and schools (the indicators' own thresholds, in force at the period's end).
  const targetOf = (code: string) => {
    const indicator = ctx.indicators.find((i) => i.code === code);
    return indicator ? targetFor(indicator.id, ctx.targets, period.to) : null;
  };
  const tthcTarget = targetOf('tthc');
  const serviceTarget = targetOf('health_education');
  const isService = (rows: RowSet) =>
    rows.moments.length > 0 && rows.moments.every((m) => ['health', 'education'].includes(ctx.questionnaireKind.get(m.questionnaireId) ?? ''));
  const reference = new Map<number, number>();
  for (const s of overallByField(provinceRows, ctx)) reference.set(s.stratum, (reference.get(s.stratum) ?? 0) + s.answered);
  const units = [...byGroup(byUnitRows).entries()].flatMap(([unitId, rows]) => {
    const unit = ctx.unitById.get(Number(unitId));
    if (!unit) return [];
    const target = isService(rows) ? serviceTarget : tthcTarget;
    return [
      {
        unit,
        responses: rows.moments.reduce((a, m) => a + m.responses, 0),
        overall: overallOf(rows.questions, ctx),
        standardised: directStandardisation(overallByField(rows.questions, ctx), reference),
        sipas: sipas ? measureFor(sipas, rows, ctx, judging.precision) : NO_RESULT,
        target: target?.threshold ?? null,
      },
    ];
  });
  const verdicts = tableVerdicts(
    units.map((u) => ({ result: u.overall, target: u.target === null ? null : u.target / 100 })),
    judging.confidence,
    opts.minN,
  );
  const byUnit: UnitRank[] = units
    .map((u, i) => ({ ...u, verdict: verdicts[i]?.verdict ?? null, ownVerdict: verdicts[i]?.own ?? null }))
    // Units with enough responses for a verdict first, then by the standardised rate.
    .sort(
      (a, b) =>
        Number(b.overall.n >= opts.minN) - Number(a.overall.n >= opts.minN) ||
        (b.standardised.value ?? -1) - (a.standardised.value ?? -1) ||
        (b.overall.value ?? -1) - (a.overall.value ?? -1) ||
        b.responses - a.responses,
    );

  const expectations: ExpectationStat[] = [];
  for (const meta of ctx.questions.values()) {
    if (meta.type !== 'multi_choice' && meta.type !== 'single_choice') continue;
    const respondents = current.questions.filter((r) => r.questionId === meta.id).reduce((a, r) => a + r.nChosen, 0);
    if (respondents === 0) continue;
    const chosen = new Map<string, number>();
    for (const o of options) if (o.questionId === meta.id) chosen.set(o.optionKey, (chosen.get(o.optionKey) ?? 0) + o.n);
    const labels = JSON.parse(meta.optionsJson ?? '[]') as { key: string; vi: string; en: string }[];
    const shares = expectationShares(labels.map((l) => l.key), chosen, respondents);
    expectations.push({
      meta,
      respondents,
      options: shares.map((s) => {
        const label = labels.find((l) => l.key === s.key);
        return { ...s, vi: label?.vi ?? s.key, en: label?.en ?? s.key };
      }),
    });
  }

  return {
    period,
    previous,
    responses,
    indicators: computeIndicators(current, ctx, judging),
    previousIndicators: computeIndicators(previousRows, ctx, { ...judging, periodEnd: previous.to }),
    comprehensive: comprehensiveSatisfaction(toCells(current.moments)),
    comprehensiveNoOpinion: noOpinionShare(toQuestionTotals(current.questions, ctx)),
    provisional: judging.provisional,
    confidence: judging.confidence,
    tableMethod: TABLE_METHOD,
    trend,
    byField,
    byUnit,
    questions: questionStats(current, ctx),
    expectations,
    comments,
  };
}
