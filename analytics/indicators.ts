/**
 * The three measures of design.md, computed from rollup totals already restricted to an
 * indicator's scope (fields or questionnaire kinds) and to the filters of the view.
 */
import { compositeInterval, type RatioMoments, ratioInterval, type ScoreMoments, sipasIndex } from './composite.ts';
import { type Interval, proportion } from './proportion.ts';
import { addCounts, criterionRate, EMPTY_COUNTS, type RatingCounts } from './ratings.ts';

export type Measure = 'overall_rate' | 'sipas_index' | 'item_rate';

/** Counts of one rating question; a question may come in several rows (per field, per month). */
export interface QuestionTotal {
  questionId: number;
  questionnaireId: number;
  role: string;
  element: string | null;
  counts: RatingCounts;
}

/** Respondent-level moments of one questionnaire version (from daily_responses). */
export interface QuestionnaireMoments {
  questionnaireId: number;
  respondents: number;
  criteria: number;
  scored: number;
  scoreSum: number;
  scoreSq: number;
  allSatisfied: number;
  ratio: RatioMoments;
}

export interface MeasureResult {
  /** Share 0..1; null when n is 0. */
  value: number | null;
  /** Respondents behind the value. */
  n: number;
  ci: Interval | null;
}

const EMPTY: MeasureResult = { value: null, n: 0, ci: null };

export function overallRate(totals: QuestionTotal[]): MeasureResult {
  const counts = totals.filter((t) => t.role === 'overall').reduce((acc, t) => addCounts(acc, t.counts), EMPTY_COUNTS);
  const rate = criterionRate(counts);
  return { value: rate.value, n: rate.n, ci: rate.ci };
}

export function sipasMeasure(totals: QuestionTotal[], moments: QuestionnaireMoments[]): MeasureResult {
  const groups: (ScoreMoments & { index: number })[] = [];
  for (const m of moments) {
    if (m.scored === 0) continue;
    // A criterion's rate pools all its rows: rates per field or per month are not averaged.
    const pooled = new Map<number, { element: string; counts: RatingCounts }>();
    for (const t of totals) {
      if (t.questionnaireId !== m.questionnaireId || t.role !== 'criterion' || t.element === null) continue;
      const current = pooled.get(t.questionId);
      pooled.set(t.questionId, { element: t.element, counts: current ? addCounts(current.counts, t.counts) : t.counts });
    }
    const criteria = [...pooled.values()];
    const index = sipasIndex(criteria).value;
    if (index === null) continue;
    groups.push({ n: m.scored, sum: m.scoreSum, sumSq: m.scoreSq, criteria: m.criteria, index });
  }
  const n = groups.reduce((a, g) => a + g.n, 0);
  if (n === 0) return EMPTY;
  const value = groups.reduce((a, g) => a + g.index * g.n, 0) / n;
  return { value, n, ci: compositeInterval(value, groups) };
}

export function itemRate(moments: QuestionnaireMoments[]): MeasureResult {
  const ratio = moments.reduce<RatioMoments>(
    (a, m) => ({
      respondents: a.respondents + m.ratio.respondents,
      x: a.x + m.ratio.x,
      y: a.y + m.ratio.y,
      xx: a.xx + m.ratio.xx,
      yy: a.yy + m.ratio.yy,
      xy: a.xy + m.ratio.xy,
    }),
    { respondents: 0, x: 0, y: 0, xx: 0, yy: 0, xy: 0 },
  );
  if (ratio.x === 0) return EMPTY;
  return { value: ratio.y / ratio.x, n: ratio.respondents, ci: ratioInterval(ratio) };
}

/** Share of respondents with 4-5 on every criterion they answered ("hài lòng toàn diện"). */
export function comprehensiveSatisfaction(moments: QuestionnaireMoments[]): MeasureResult {
  const n = moments.reduce((a, m) => a + m.scored, 0);
  const yes = moments.reduce((a, m) => a + m.allSatisfied, 0);
  const { value, ci } = proportion(yes, n);
  return { value, n, ci };
}

export function computeMeasure(measure: Measure, totals: QuestionTotal[], moments: QuestionnaireMoments[]): MeasureResult {
  switch (measure) {
    case 'overall_rate':
      return overallRate(totals);
    case 'sipas_index':
      return sipasMeasure(totals, moments);
    case 'item_rate':
      return itemRate(moments);
  }
}
