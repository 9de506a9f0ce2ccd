/**
 * The three measures of design.md, computed from rollup totals already restricted to an
 * indicator's scope (fields or questionnaire kinds) and to the filters of the view.
 */
import { itemRate, sipasIndex } from './composite.ts';
import type { CellMoments } from './moments.ts';
import type { Precision } from './precision.ts';
import { type MeasureResult, NO_RESULT, proportion } from './proportion.ts';
import { addCounts, answered, criterionRate, EMPTY_COUNTS, type QuestionTotal } from './ratings.ts';

export type Measure = 'overall_rate' | 'sipas_index' | 'item_rate';

export const SURVEY_MEASURES: readonly Measure[] = ['overall_rate', 'sipas_index', 'item_rate'];

/** The survey's measures, as against the dossier counts' (analytics/dossiers.ts). */
export const isSurveyMeasure = (measure: string): measure is Measure => (SURVEY_MEASURES as readonly string[]).includes(measure);

/** Share of 4-5 on the overall question among those who answered it 1..5: a plain proportion (binomialInterval). */
export function overallRate(totals: QuestionTotal[]): MeasureResult {
  const counts = totals.filter((t) => t.role === 'overall').reduce((acc, t) => addCounts(acc, t.counts), EMPTY_COUNTS);
  const rate = criterionRate(counts);
  return rate.value === null ? NO_RESULT : { value: rate.value, n: rate.n, nEff: rate.n, ci: rate.ci, counts: { yes: rate.successes, n: rate.n } };
}

/** Share of respondents with 4-5 on every criterion they answered ("hài lòng toàn diện"). */
export function comprehensiveSatisfaction(cells: CellMoments[]): MeasureResult {
  const n = cells.reduce((a, c) => a + c.scored, 0);
  const yes = cells.reduce((a, c) => a + c.allSatisfied, 0);
  const { value, ci } = proportion(yes, n);
  return value === null ? NO_RESULT : { value, n, nEff: n, ci, counts: { yes, n } };
}

/**
 * Share of criterion answers that were "Không ý kiến". Shown beside comprehensive satisfaction:
 * a citizen who answers one criterion and skips the rest is "satisfied on everything answered".
 */
export function noOpinionShare(totals: QuestionTotal[]): number | null {
  const criteria = totals.filter((t) => t.role === 'criterion').reduce((acc, t) => addCounts(acc, t.counts), EMPTY_COUNTS);
  const all = criteria.n0 + answered(criteria);
  return all === 0 ? null : criteria.n0 / all;
}

export function computeMeasure(measure: Measure, totals: QuestionTotal[], cells: CellMoments[], precision: Precision): MeasureResult {
  switch (measure) {
    case 'overall_rate':
      return overallRate(totals);
    case 'sipas_index':
      return sipasIndex(cells, precision);
    case 'item_rate':
      return itemRate(cells, precision);
  }
}
