/** Everything the dashboard shows, computed from rollups in a handful of grouped queries. */
import type { Kysely } from 'kysely';
import { comprehensiveSatisfaction, type MeasureResult } from '../../analytics/indicators.ts';
import { monthsOf, type Period, rollupSpans } from '../../analytics/periods.ts';
import type { Proportion } from '../../analytics/proportion.ts';
import { addCounts, criterionRate, EMPTY_COUNTS, expectationShares, type RatingCounts } from '../../analytics/ratings.ts';
import type { Verdict } from '../../analytics/verdict.ts';
import { type OptionTotalRow, optionTotals, type QuestionMetaRow, type RollupFilter } from '../../db/queries/analytics.ts';
import { type CommentRow, latestComments } from '../../db/queries/comments.ts';
import type { Database, Field, Unit } from '../../db/schema.ts';
import type { ReportContext } from './context.ts';
import { judgeService, readRows, regroup } from './groups.ts';
import { byGroup, computeIndicators, type IndicatorResult, measureFor, type RowSet, toMoments } from './indicators.ts';

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
  sipas: MeasureResult;
  verdict: Verdict | null;
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

/** Just the indicators of one filter: what the API and the headline cards share. */
export async function indicatorReport(db: Kysely<Database>, ctx: ReportContext, filter: RollupFilter, minN: number): Promise<IndicatorResult[]> {
  return computeIndicators(await readRows(db, filter, 'none'), ctx, filter.to, minN);
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
  opts: { minN: number; includeHiddenComments: boolean; previous: Period },
): Promise<DashboardReport> {
  const period = { from: filter.from, to: filter.to };
  const previous = opts.previous;
  const [monthly, previousRows, byUnitRows, options, comments] = await Promise.all([
    readRows(db, filter, 'month'),
    readRows(db, { ...filter, ...previous, spans: rollupSpans(previous) }, 'none'),
    readRows(db, filter, 'unit'),
    optionTotals(db, filter),
    latestComments(db, filter, { limit: 20, includeHidden: opts.includeHiddenComments }),
  ]);
  const monthGroups = byGroup(monthly);
  const current = sumRows(monthGroups);
  const responses = current.moments.reduce((a, m) => a + m.responses, 0);

  const trend = monthsOf(period).map((month) => ({
    month,
    indicators: computeIndicators(monthGroups.get(month) ?? { questions: [], moments: [] }, ctx, period.to, opts.minN),
  }));

  const judge = (rows: RowSet) => judgeService(rows, ctx, period.to, opts.minN);
  const byField = regroup(current, 'field', ctx).flatMap((g) => {
    const field = ctx.fieldById.get(Number(g.key));
    const judgement = judge(g.rows);
    return field ? [{ field, responses: judgement.responses, overall: judgement.overall }] : [];
  });

  const sipas = ctx.indicators.find((i) => i.code === 'sipas');
  // A unit is judged against the target of its kind of service (groups.ts).
  const byUnit: UnitRank[] = [...byGroup(byUnitRows).entries()]
    .map(([unitId, rows]) => {
      const unit = ctx.unitById.get(Number(unitId));
      if (!unit) return null;
      const judgement = judge(rows);
      return {
        unit,
        responses: judgement.responses,
        overall: judgement.overall,
        sipas: sipas ? measureFor(sipas, rows, ctx) : { value: null, n: 0, ci: null },
        verdict: judgement.verdict,
        target: judgement.target,
      };
    })
    .filter((u): u is UnitRank => u !== null)
    .sort((a, b) => (b.overall.value ?? -1) - (a.overall.value ?? -1) || b.responses - a.responses);

  return {
    period,
    previous,
    responses,
    indicators: computeIndicators(current, ctx, period.to, opts.minN),
    previousIndicators: computeIndicators(previousRows, ctx, previous.to, opts.minN),
    comprehensive: comprehensiveSatisfaction(toMoments(current.moments, ctx)),
    trend,
    byField,
    byUnit,
    questions: questionStats(current, ctx),
    expectations: choiceStats(current, options, ctx),
    comments,
  };
}
