/**
 * The SIPAS index and the intervals of the composite measures.
 *
 * Index (design.md): criterion rate = answers 4-5 / answers 1-5; element index = mean of its
 * criterion rates; SIPAS index = mean of the element indices. Over several questionnaire versions
 * (say tthc-short at some desks, tthc-full at others) each version's index is computed on its own
 * criteria and the results are averaged weighted by their respondents.
 *
 * Interval (our documented method): respondents answer several correlated criteria, so neither
 * "n = respondents" nor "n = answers" gives an honest Wilson interval. We estimate the variance of
 * the composite from respondent-level moments kept in the daily rollups (Taylor linearisation: the
 * variance of the mean of the respondents' own composite scores, or of the ratio Σ satisfied /
 * Σ answered for the item rate), turn it into an effective sample size n_eff = p(1−p)/Var (Kish),
 * bounded between the number of respondents and the number of answers, and report the Wilson
 * interval at n_eff. With one criterion per respondent this is exactly the Wilson interval.
 */
import { type Interval, wilson } from './proportion.ts';
import { answered, type RatingCounts, satisfied } from './ratings.ts';

export interface CriterionCounts {
  element: string;
  counts: RatingCounts;
}

export interface ElementIndex {
  element: string;
  value: number | null;
  criteria: number;
}

/** SIPAS index of one questionnaire version from its criteria's counts. */
export function sipasIndex(criteria: CriterionCounts[]): { value: number | null; elements: ElementIndex[] } {
  const byElement = new Map<string, number[]>();
  for (const c of criteria) {
    const list = byElement.get(c.element) ?? [];
    const n = answered(c.counts);
    if (n > 0) list.push(satisfied(c.counts) / n);
    byElement.set(c.element, list);
  }
  const elements: ElementIndex[] = [...byElement.entries()].map(([element, rates]) => ({
    element,
    value: rates.length > 0 ? rates.reduce((a, b) => a + b, 0) / rates.length : null,
    criteria: rates.length,
  }));
  const answeredElements = elements.filter((e) => e.value !== null);
  const value = answeredElements.length > 0 ? answeredElements.reduce((a, e) => a + (e.value ?? 0), 0) / answeredElements.length : null;
  return { value, elements };
}

/** Respondent-level moments of the composite score of one questionnaire version. */
export interface ScoreMoments {
  /** Respondents with at least one criterion answered. */
  n: number;
  sum: number;
  sumSq: number;
  /** Criteria in the questionnaire: n·criteria bounds the information in the sample. */
  criteria: number;
}

function sampleVariance(n: number, sum: number, sumSq: number): number | null {
  if (n < 2) return null;
  return Math.max(0, (sumSq - (sum * sum) / n) / (n - 1));
}

/** Wilson interval at the Kish effective sample size, bounded to [minN, maxN]. */
export function intervalFromVariance(p: number, variance: number | null, minN: number, maxN: number): Interval | null {
  if (minN <= 0) return null;
  const binomial = p * (1 - p);
  let nEff: number;
  if (binomial === 0 || variance === null) nEff = minN; // all 0% or 100%, or one respondent: no better than binomial
  else if (variance === 0) nEff = maxN;
  else nEff = Math.min(maxN, Math.max(minN, binomial / variance));
  return wilson(p, nEff);
}

/** Interval of a respondent-weighted SIPAS index over one or more questionnaire versions. */
export function compositeInterval(value: number, groups: ScoreMoments[]): Interval | null {
  const total = groups.reduce((a, g) => a + g.n, 0);
  if (total === 0) return null;
  let variance = 0;
  for (const g of groups) {
    if (g.n === 0) continue;
    const s2 = sampleVariance(g.n, g.sum, g.sumSq);
    // A version with a single respondent has no variance estimate: assume the binomial worst case.
    const mean = g.sum / g.n;
    const v = s2 ?? mean * (1 - mean);
    variance += (g.n / total) ** 2 * (v / g.n);
  }
  const maxN = groups.reduce((a, g) => a + g.n * Math.max(1, g.criteria), 0);
  return intervalFromVariance(value, total >= 2 ? variance : null, total, maxN);
}

/** Respondent-level moments of the item rate (ratio Σ satisfied items / Σ answered items). */
export interface RatioMoments {
  respondents: number;
  /** Σ x: items answered; Σ y: items satisfied; and their squares and cross-products. */
  x: number;
  y: number;
  xx: number;
  yy: number;
  xy: number;
}

export function ratioInterval(m: RatioMoments): Interval | null {
  if (m.respondents === 0 || m.x === 0) return null;
  const r = m.y / m.x;
  if (m.respondents < 2) return intervalFromVariance(r, null, m.respondents, m.x);
  // Σ (y − r·x)² over respondents, expanded so it can be computed from running sums.
  const sumD2 = Math.max(0, m.yy - 2 * r * m.xy + r * r * m.xx);
  const variance = (m.respondents * sumD2) / ((m.respondents - 1) * m.x * m.x);
  return intervalFromVariance(r, variance, m.respondents, m.x);
}
