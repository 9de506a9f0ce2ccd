/** Everything the dashboard shows, computed from rollups in a handful of grouped queries. */
import type { Kysely } from 'kysely';
import { comprehensiveSatisfaction, noOpinionShare } from '../../analytics/indicators.ts';
import { TABLE_METHOD, tableVerdicts } from '../../analytics/multiplicity.ts';
import { hasEnded, monthsOf, type Period, rollupSpans } from '../../analytics/periods.ts';
import { type MeasureResult, NO_RESULT, type Proportion } from '../../analytics/proportion.ts';
import { addCounts, criterionRate, EMPTY_COUNTS, expectationShares, type RatingCounts } from '../../analytics/ratings.ts';
import { directStandardisation, type Standardised } from '../../analytics/standardise.ts';
import { type Confidence, confidenceFor, type Verdict } from '../../analytics/verdict.ts';
import { type OptionTotalRow, optionTotals, questionTotals, type QuestionMetaRow, type RollupFilter } from '../../db/queries/analytics.ts';
import { type CommentRow, latestComments } from '../../db/queries/comments.ts';
import type { Database, Field, Unit } from '../../db/schema.ts';
import type { ReportContext } from './context.ts';
import { judgeService, readRows, regroup, serviceTarget } from './groups.ts';
import {
  byGroup,
  computeIndicators,
  type IndicatorResult,
  type Judging,
  measureFor,
  overallByField,
  overallOf,
  type RowSet,
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

/** How verdicts of a report on this filter are read, with the province pool's precision. */
export async function judgingFor(db: Kysely<Database>, ctx: ReportContext, filter: RollupFilter, opts: { minN: number; today: string }): Promise<Judging> {
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
  const [rows, judging] = await Promise.all([readRows(db, filter, 'none'), judgingFor(db, ctx, filter, opts)]);
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

/** Per choice question (expectations, "would you come back"): respondents and the share choosing each option. */
export function choiceStats(rows: RowSet, options: OptionTotalRow[], ctx: ReportContext): ExpectationStat[] {
  const stats: ExpectationStat[] = [];
  for (const meta of ctx.questions.values()) {
    if (meta.type !== 'multi_choice' && meta.type !== 'single_choice') continue;
    const respondents = rows.questions.filter((r) => r.questionId === meta.id).reduce((a, r) => a + r.nChosen, 0);
    if (respondents === 0) continue;
    const chosen = new Map<string, number>();
    for (const o of options) if (o.questionId === meta.id) chosen.set(o.optionKey, (chosen.get(o.optionKey) ?? 0) + o.n);
    const labels = JSON.parse(meta.optionsJson ?? '[]') as { key: string; vi: string; en: string }[];
    const shares = expectationShares(labels.map((l) => l.key), chosen, respondents);
    stats.push({
      meta,
      respondents,
      options: shares.map((s) => {
        const label = labels.find((l) => l.key === s.key);
        return { ...s, vi: label?.vi ?? s.key, en: label?.en ?? s.key };
      }),
    });
  }
  return stats;
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
    readRows(db, filter, 'month'),
    readRows(db, previousFilter, 'none'),
    readRows(db, filter, 'unit'),
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

  const byField = regroup(current, 'field', ctx).flatMap((g) => {
    const field = ctx.fieldById.get(Number(g.key));
    const judgement = judgeService(g.rows, ctx, judging);
    return field ? [{ field, responses: judgement.responses, overall: judgement.overall }] : [];
  });

  const sipas = ctx.indicators.find((i) => i.code === 'sipas');
  // A unit is judged against the target of its kind of service (groups.ts), adjusted for the whole table.
  const reference = new Map<number, number>();
  for (const s of overallByField(provinceRows, ctx)) reference.set(s.stratum, (reference.get(s.stratum) ?? 0) + s.answered);
  const units = [...byGroup(byUnitRows).entries()].flatMap(([unitId, rows]) => {
    const unit = ctx.unitById.get(Number(unitId));
    if (!unit) return [];
    const target = serviceTarget(rows, ctx, period.to);
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
    expectations: choiceStats(current, options, ctx),
    comments,
  };
}
