/**
 * Indicators of plan 2228/QĐ-UBND from rollup rows: restricts the rows to what each indicator covers
 * (data in the indicators table) and hands them to the pure measures of analytics/.
 */
import { missingElements } from '../../analytics/composite.ts';
import { computeMeasure, type Measure, overallRate } from '../../analytics/measures.ts';
import type { CellMoments } from '../../analytics/moments.ts';
import { NO_FIGURES, noOpinionFigures, type NoOpinionFigures, worstCaseFailsTarget } from '../../analytics/no-opinion.ts';
import type { Precision } from '../../analytics/precision.ts';
import type { Interval, MeasureResult } from '../../analytics/proportion.ts';
import { answered, type QuestionTotal, satisfied } from '../../analytics/ratings.ts';
import { responsesToSettle, type Settling } from '../../analytics/settle.ts';
import type { StratumCounts } from '../../analytics/standardise.ts';
import { type Confidence, intervalAt, judge, type Verdict } from '../../analytics/verdict.ts';
import type { MomentRow, QuestionTotalRow } from '../../db/queries/analytics.ts';
import type { Indicator, Target } from '../../db/schema.ts';
import type { ReportContext, SurveyIndicator } from './context.ts';

export interface IndicatorResult {
  code: string;
  nameVi: string;
  nameEn: string;
  measure: Measure;
  /** Percent 0..100, the value must be strictly above it; null when no target covers the period. */
  target: number | null;
  targetSource: string | null;
  value: number | null;
  n: number;
  nEff: number;
  /** The 95% interval. */
  ci: Interval | null;
  verdict: Verdict | null;
  /** The period has not ended: the verdict is provisional ("tạm tính") and read at the stricter level. */
  provisional: boolean;
  confidence: Confidence;
  /** The interval the verdict was read from: the 95% interval, or the 99.9% one while provisional. */
  verdictCi: Interval | null;
  /** For an inconclusive verdict: how many more respondents would settle it (analytics/settle.ts). */
  settle: Settling | null;
  /** SIPAS index only: elements of a questionnaire version nobody answered in the slice. */
  missingElements: { questionnaireId: number; elements: string[] }[];
  /**
   * Composites only (SIPAS index, item rate; null for the overall rate and without data): the share
   * of criterion answers that were "Không ý kiến", and the value if every one of them (and every
   * blank criterion) were dissatisfied (analytics/no-opinion.ts).
   */
  noOpinionShare: number | null;
  valueIfNoOpinionDissatisfied: number | null;
  /** The verdict is "met" but the worst case is not above the target: the reports say so in words. */
  worstCaseFailsTarget: boolean;
}

/** How a report judges its values: the period's end (targets), the minimum n, the level, the pooled precision. */
export interface Judging {
  periodEnd: string;
  minN: number;
  provisional: boolean;
  confidence: Confidence;
  precision: Precision;
}

type Covers = { field_groups: string[] } | { fields: string[] } | { questionnaire_kinds: string[] };

/** Whether a rollup row (its field and questionnaire) counts towards the indicator. */
export function coversPredicate(indicator: Indicator, ctx: ReportContext): (fieldId: number, questionnaireId: number) => boolean {
  const covers = JSON.parse(indicator.covers_json) as Covers;
  if ('field_groups' in covers) {
    return (fieldId) => covers.field_groups.includes(ctx.fieldById.get(fieldId)?.field_group ?? '');
  }
  if ('fields' in covers) return (fieldId) => covers.fields.includes(ctx.fieldById.get(fieldId)?.code ?? '');
  return (_fieldId, questionnaireId) => covers.questionnaire_kinds.includes(ctx.questionnaireKind.get(questionnaireId) ?? '');
}

/**
 * Whether a field's dossiers count towards the indicator: a dossier has a field but no questionnaire,
 * so an indicator that covers questionnaire kinds covers the fields of the same group (a hospital's
 * fields are in the health group and answered on the health questionnaire).
 */
export function coversField(indicator: Indicator, ctx: ReportContext): (fieldId: number) => boolean {
  const covers = JSON.parse(indicator.covers_json) as Covers;
  const groupOf = (fieldId: number) => ctx.fieldById.get(fieldId)?.field_group ?? '';
  if ('field_groups' in covers) return (fieldId) => covers.field_groups.includes(groupOf(fieldId));
  if ('fields' in covers) return (fieldId) => covers.fields.includes(ctx.fieldById.get(fieldId)?.code ?? '');
  return (fieldId) => covers.questionnaire_kinds.includes(groupOf(fieldId));
}

/** The target valid on the last day of the period, else the latest one that started before it. */
export function targetFor(indicatorId: number, targets: Target[], periodEnd: string): Target | null {
  const own = targets.filter((t) => t.indicator_id === indicatorId && t.valid_from <= periodEnd);
  return own.find((t) => t.valid_to >= periodEnd) ?? own.sort((a, b) => b.valid_from.localeCompare(a.valid_from))[0] ?? null;
}

export function toQuestionTotals(rows: QuestionTotalRow[], ctx: ReportContext): QuestionTotal[] {
  const totals: QuestionTotal[] = [];
  for (const r of rows) {
    const q = ctx.questions.get(r.questionId);
    if (!q || q.type !== 'rating5') continue;
    totals.push({ questionId: q.id, questionnaireId: q.questionnaireId, role: q.role, element: q.element, counts: r });
  }
  return totals;
}

/** Rollup rows of respondent-level sums as desk × version cells (rows of several fields or months stay separate; analytics merges). */
export function toCells(rows: MomentRow[]): CellMoments[] {
  return rows.map((r) => ({
    deskId: r.deskId,
    questionnaireId: r.questionnaireId,
    lastDay: r.lastDay,
    respondents: r.responses,
    scored: r.scored,
    scoreSum: r.scoreSum,
    scoreSq: r.scoreSq,
    allSatisfied: r.allSatisfied,
    ratio: { respondents: r.scored, x: r.itemX, y: r.itemY, xx: r.itemXX, yy: r.itemYY, xy: r.itemXY },
  }));
}

/** Each version's rated criteria, as the questionnaire lists them (loadReportContext). */
const criteriaOf = (ctx: ReportContext) => (questionnaireId: number) => ctx.criteriaOf.get(questionnaireId) ?? [];

function questionnaireOf(row: QuestionTotalRow, ctx: ReportContext): number {
  return ctx.questions.get(row.questionId)?.questionnaireId ?? 0;
}

export interface RowSet {
  questions: QuestionTotalRow[];
  moments: MomentRow[];
}

/** The rows an indicator covers, as the measures take them. */
function coveredRows(indicator: Indicator, rows: RowSet, ctx: ReportContext): { totals: QuestionTotal[]; cells: CellMoments[] } {
  const covered = coversPredicate(indicator, ctx);
  return {
    totals: toQuestionTotals(rows.questions.filter((r) => covered(r.fieldId, questionnaireOf(r, ctx))), ctx),
    cells: toCells(rows.moments.filter((r) => covered(r.fieldId, r.questionnaireId))),
  };
}

export function measureFor(indicator: SurveyIndicator, rows: RowSet, ctx: ReportContext, precision: Precision): MeasureResult {
  const { totals, cells } = coveredRows(indicator, rows, ctx);
  return computeMeasure(indicator.measure, totals, cells, precision);
}

/**
 * The precision an indicator's parts are read at when they make one figure (the weighted one,
 * server/figures/dossiers.ts): the pool without the whole figure's respondents, as the figure as
 * answered reads it (analytics/precision.ts), once, so that no part moves the precision of another.
 */
export function precisionWithout(indicator: SurveyIndicator, rows: RowSet, ctx: ReportContext, precision: Precision): Precision {
  const own = precision.without?.(coveredRows(indicator, rows, ctx).cells) ?? precision;
  // The same figures with no `without` of their own: a part read at them is not taken out again.
  return {
    scoreInformation: (q, deskId) => own.scoreInformation(q, deskId),
    itemDesignEffect: (q, deskId) => own.itemDesignEffect(q, deskId),
    deskLevel: (q, deskId) => own.deskLevel?.(q, deskId) ?? null,
  };
}

/** The no-opinion share and the worst case of a composite indicator on any slice of rows (analytics/no-opinion.ts). */
export function noOpinionFor(indicator: SurveyIndicator, rows: RowSet, ctx: ReportContext): NoOpinionFigures {
  const { totals, cells } = coveredRows(indicator, rows, ctx);
  return noOpinionFigures(indicator.measure, totals, cells, criteriaOf(ctx));
}

export function computeIndicators(rows: RowSet, ctx: ReportContext, judging: Judging): IndicatorResult[] {
  return ctx.indicators.map((indicator) => {
    const { totals, cells } = coveredRows(indicator, rows, ctx);
    const result = computeMeasure(indicator.measure, totals, cells, judging.precision);
    const target = targetFor(indicator.id, ctx.targets, judging.periodEnd);
    const share = target ? target.threshold / 100 : null;
    const verdict = share === null ? null : judge(result, share, judging.confidence, judging.minN);
    const noOpinion = result.value === null ? NO_FIGURES : noOpinionFigures(indicator.measure, totals, cells, criteriaOf(ctx));
    return {
      code: indicator.code,
      nameVi: indicator.name_vi,
      nameEn: indicator.name_en,
      measure: indicator.measure,
      target: target?.threshold ?? null,
      targetSource: target?.source ?? null,
      value: result.value,
      n: result.n,
      nEff: result.nEff,
      ci: result.ci,
      verdict,
      provisional: judging.provisional,
      confidence: judging.confidence,
      verdictCi: intervalAt(result, judging.confidence),
      settle: verdict === 'inconclusive' && share !== null ? responsesToSettle(result, share, judging.confidence, judging.minN) : null,
      missingElements: indicator.measure === 'sipas_index' ? missingElements(totals, cells, (q) => ctx.elementsOf.get(q) ?? []) : [],
      noOpinionShare: noOpinion.share,
      valueIfNoOpinionDissatisfied: noOpinion.worst,
      worstCaseFailsTarget: verdict === 'met' && worstCaseFailsTarget(noOpinion.worst, share),
    };
  });
}

/** Overall satisfaction (share 4-5 on the overall question) of any slice of rows. */
export function overallOf(rows: QuestionTotalRow[], ctx: ReportContext): MeasureResult {
  return overallRate(toQuestionTotals(rows, ctx));
}

/** Answers to the overall question per field: the strata of a standardised rate. */
export function overallByField(rows: QuestionTotalRow[], ctx: ReportContext): StratumCounts[] {
  return rows.flatMap((r) => {
    const q = ctx.questions.get(r.questionId);
    return q?.role === 'overall' && q.type === 'rating5' ? [{ stratum: r.fieldId, satisfied: satisfied(r), answered: answered(r) }] : [];
  });
}

/** Splits rows by their group key (month or unit). */
export function byGroup(rows: RowSet): Map<string, RowSet> {
  const groups = new Map<string, RowSet>();
  const get = (key: string) => {
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { questions: [], moments: [] }));
    return g;
  };
  for (const r of rows.questions) get(r.group).questions.push(r);
  for (const r of rows.moments) get(r.group).moments.push(r);
  return groups;
}
