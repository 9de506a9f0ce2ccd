/** Everything the dashboard shows, computed from rollups in a handful of grouped queries. */
import type { Kysely } from 'kysely';
import { comprehensiveSatisfaction, noOpinionShare } from '../../analytics/measures.ts';
import { TABLE_METHOD, tableVerdicts } from '../../analytics/multiplicity.ts';
import { NO_FIGURES, type NoOpinionFigures } from '../../analytics/no-opinion.ts';
import { isProvisional, monthsOf, type Period, rollupSpans } from '../../analytics/periods.ts';
import { type MeasureResult, NO_RESULT, type Proportion } from '../../analytics/proportion.ts';
import { addCounts, criterionRate, EMPTY_COUNTS, expectationShares, type RatingCounts } from '../../analytics/ratings.ts';
import { addStrata, directStandardisation, type Standardised, type StratumCounts } from '../../analytics/standardise.ts';
import { type Confidence, confidenceFor, type Verdict } from '../../analytics/verdict.ts';
import { type OptionTotalRow, optionTotals, questionTotals, type QuestionMetaRow, type RollupFilter } from '../../db/queries/analytics.ts';
import { type CommentRow, commentPage } from '../../db/queries/comments.ts';
import type { Database, Field, Indicator, Unit } from '../../db/schema.ts';
import type { ReportContext } from './context.ts';
import { type DossierFigures, dossierFigures, type DossierIndicatorResult, dossierIndicators, type ServedRow } from './dossiers.ts';
import { judgeService, readRows, regroup, sectionOfKind, sectionTarget, UNIT_SECTIONS, type UnitSectionKey } from './groups.ts';
import {
  byGroup,
  computeIndicators,
  type IndicatorResult,
  type Judging,
  measureFor,
  noOpinionFor,
  overallByField,
  overallOf,
  type RowSet,
  toCells,
  toQuestionTotals,
} from './indicator-results.ts';
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
  /**
   * The ranking's order: overall satisfaction standardised to the province's mix of fields, each
   * field shrunk toward the province's rate in it by how few answers the unit has there (standardise.ts).
   */
  standardised: Standardised;
  sipas: MeasureResult;
  /** Beside the SIPAS index: its no-opinion share and its value if every "Không ý kiến" were dissatisfied. */
  sipasNoOpinion: NoOpinionFigures;
  /** The verdict on overall satisfaction after the adjustment for the whole table. */
  verdict: Verdict | null;
  /** The unit's verdict on its own interval, at the same level. */
  ownVerdict: Verdict | null;
  /** Its dossiers and response rate, where counts were imported (figures/dossiers.ts). */
  served: ServedRow | null;
  /** Its on-time share against the plan's target, beside its satisfaction; null without counts. */
  onTime: DossierIndicatorResult | null;
}

/** Units of one kind of service ranked among themselves against their own target; who sent nothing, named. */
export interface UnitSection {
  key: UnitSectionKey;
  /** The indicator whose target applies (its name is shown with the target). */
  indicator: Indicator | null;
  /** Percent: the target the section's overall satisfaction is judged against. */
  target: number | null;
  ranked: UnitRank[];
  /** Active units in the report's scope with no response in the period ("chưa có phiếu trong kỳ"). */
  withoutResponses: Unit[];
  /** Dossiers resolved by each silent unit that has counts ("1.240 hồ sơ, chưa có phiếu nào"). */
  silentDossiers: Map<number, number>;
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
  /** The period is still open to new looks (analytics/periods.ts isProvisional): verdicts are provisional and read at the stricter level. */
  provisional: boolean;
  confidence: Confidence;
  /** How the ranking's verdicts are adjusted for comparing many units (analytics/multiplicity.ts). */
  tableMethod: typeof TABLE_METHOD;
  trend: { month: string; indicators: IndicatorResult[] }[];
  byField: { field: Field; responses: number; overall: MeasureResult }[];
  unitSections: UnitSection[];
  questions: QuestionnaireStats[];
  expectations: ExpectationStat[];
  /** The newest few comments and how many there are: the comments page lists them all. */
  comments: { total: number; rows: CommentRow[] };
  /** The one-stop software's counts beside the survey: response rates, weighted indices, the dossier targets. */
  dossiers: DossierFigures;
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
  const provisional = isProvisional(filter, opts.today);
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

/** How many of the newest comments the dashboard shows before linking to the comments page. */
export const DASHBOARD_COMMENTS = 3;

/** The active units a report covers: its scope, or the desk's unit when one desk is asked for. */
function unitsInScope(ctx: ReportContext, filter: RollupFilter): Unit[] {
  const deskUnit = filter.deskId === null ? null : (ctx.desks.find((d) => d.id === filter.deskId)?.unitId ?? null);
  return ctx.units.filter(
    (u) => u.active === 1 && (filter.unitIds === null || filter.unitIds.includes(u.id)) && (deskUnit === null || u.id === deskUnit),
  );
}

/**
 * The ranking, one section per kind of service (groups.ts): a hospital is compared with hospitals
 * against the health and education target, a commune with communes against the procedures' target.
 * Each section is its own table for the multiplicity adjustment. Units with responses are ranked by
 * the standardised rate shrunk toward the province's (so few answers cannot put a unit on top); the
 * province itself, which serves no desk, is never listed as silent.
 */
function rankUnitSections(
  groups: Map<string, RowSet>,
  scope: Unit[],
  ctx: ReportContext,
  opts: { reference: ReadonlyMap<number, StratumCounts>; judging: Judging; periodEnd: string; dossiers: DossierFigures },
): UnitSection[] {
  const sipas = ctx.indicators.find((i) => i.code === 'sipas');
  const onTimeIndicator = ctx.dossierIndicators.filter((i) => i.code === 'on_time');
  const servedBy = (unitId: number) => {
    const served = opts.dossiers.byUnit.get(unitId) ?? null;
    const fields = opts.dossiers.byUnitField.get(unitId);
    const onTime = served && fields && served.dossiers.rows > 0 ? (dossierIndicators(fields, onTimeIndicator, ctx, opts.periodEnd)[0] ?? null) : null;
    return { served, onTime };
  };
  return UNIT_SECTIONS.flatMap((section) => {
    const applies = sectionTarget(section, ctx, opts.periodEnd);
    const target = applies?.target?.threshold ?? null;
    const units = [...groups.entries()].flatMap(([unitId, rows]) => {
      const unit = ctx.unitById.get(Number(unitId));
      if (!unit || sectionOfKind(unit.kind).key !== section.key) return [];
      return [
        {
          unit,
          responses: rows.moments.reduce((a, m) => a + m.responses, 0),
          overall: overallOf(rows.questions, ctx),
          standardised: directStandardisation(overallByField(rows.questions, ctx), opts.reference),
          sipas: sipas ? measureFor(sipas, rows, ctx, opts.judging.precision) : NO_RESULT,
          sipasNoOpinion: sipas ? noOpinionFor(sipas, rows, ctx) : NO_FIGURES,
          ...servedBy(Number(unitId)),
        },
      ];
    });
    const verdicts = tableVerdicts(
      units.map((u) => ({ result: u.overall, target: target === null ? null : target / 100 })),
      opts.judging.confidence,
      opts.judging.minN,
    );
    const minN = opts.judging.minN;
    const ranked: UnitRank[] = units
      .map((u, i) => ({ ...u, verdict: verdicts[i]?.verdict ?? null, ownVerdict: verdicts[i]?.own ?? null }))
      // Units with enough responses for a verdict first, then by the shrunken standardised rate.
      .sort(
        (a, b) =>
          Number(b.overall.n >= minN) - Number(a.overall.n >= minN) ||
          (b.standardised.value ?? -1) - (a.standardised.value ?? -1) ||
          (b.overall.value ?? -1) - (a.overall.value ?? -1) ||
          b.responses - a.responses,
      );
    const answered = new Set(ranked.map((u) => u.unit.id));
    const withoutResponses = scope.filter((u) => u.kind !== 'province' && sectionOfKind(u.kind).key === section.key && !answered.has(u.id));
    if (ranked.length === 0 && withoutResponses.length === 0) return [];
    const silentDossiers = new Map<number, number>();
    for (const u of withoutResponses) {
      const resolved = opts.dossiers.byUnit.get(u.id)?.dossiers.resolved ?? 0;
      if (resolved > 0) silentDossiers.set(u.id, resolved);
    }
    return [{ key: section.key, indicator: applies?.indicator ?? null, target, ranked, withoutResponses, silentDossiers }];
  });
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
  const judged = judgingFor(db, ctx, filter, opts);
  const [monthly, previousRows, byUnitRows, provinceRows, options, comments, judging, dossiers] = await Promise.all([
    readRows(db, filter, 'month'),
    readRows(db, previousFilter, 'none'),
    readRows(db, filter, 'unit'),
    questionTotals(db, provinceFilter, 'none'),
    optionTotals(db, filter),
    commentPage(db, filter, { includeHidden: opts.includeHiddenComments, overall: null, offset: 0, limit: DASHBOARD_COMMENTS }),
    judged,
    judged.then((j) => dossierFigures(db, ctx, filter, j)),
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

  const reference = addStrata(overallByField(provinceRows, ctx));
  const unitSections = rankUnitSections(byGroup(byUnitRows), unitsInScope(ctx, filter), ctx, { reference, judging, periodEnd: period.to, dossiers });
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
    unitSections,
    questions: questionStats(current, ctx),
    expectations: choiceStats(current, options, ctx),
    comments,
    dossiers,
  };
}
