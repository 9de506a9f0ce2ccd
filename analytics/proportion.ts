/** Proportions and their 95% intervals. Values are shares 0..1 here; presenters turn them into %. */

/** z for a two-sided 95% interval. */
export const Z95 = 1.959963984540054;

export interface Interval {
  low: number;
  high: number;
}

/**
 * Wilson score interval. Unlike the textbook p ± z·√(p(1−p)/n) it stays inside [0, 1] and does
 * not collapse to zero width at 0% or 100%, which matters for a desk with 12 responses. n may be
 * fractional (an effective sample size). Null when n is 0.
 */
export function wilson(p: number, n: number, z = Z95): Interval | null {
  if (!(n > 0)) return null;
  const z2 = z * z;
  const denom = 1 + z2 / n;
  const centre = (p + z2 / (2 * n)) / denom;
  const half = (z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / denom;
  // At 0% and 100% the bound is exactly 0 or 1; floating point would leave 0.9999999999999999.
  return { low: p === 0 ? 0 : Math.max(0, centre - half), high: p === 1 ? 1 : Math.min(1, centre + half) };
}

export interface Proportion {
  /** successes / n, null when n is 0 */
  value: number | null;
  n: number;
  successes: number;
  ci: Interval | null;
}

export function proportion(successes: number, n: number): Proportion {
  if (n <= 0) return { value: null, n: 0, successes: 0, ci: null };
  const p = successes / n;
  return { value: p, n, successes, ci: wilson(p, n) };
}

/**
 * A measure's value with the number of respondents behind it and its effective sample size: the
 * number of independent yes/no answers that would carry the same information. The 95% interval is
 * the Wilson interval at n_eff, and so is an interval at any other level (verdict.ts), which is why
 * n_eff travels with the value.
 */
export interface MeasureResult {
  /** Share 0..1; null when n is 0. */
  value: number | null;
  /** Respondents behind the value. */
  n: number;
  nEff: number;
  ci: Interval | null;
}

export const NO_RESULT: MeasureResult = { value: null, n: 0, nEff: 0, ci: null };

/** A share with its Wilson 95% interval at n_eff (rounding can leave a mean a hair outside [0, 1]). */
export function measured(value: number, n: number, nEff: number): MeasureResult {
  const p = Math.min(1, Math.max(0, value));
  return { value: p, n, nEff, ci: wilson(p, nEff) };
}

/**
 * Recommended sample size for a proportion with margin of error e at 95% and worst-case p = 0.5,
 * using the simplified formula of provincial survey guidance: n = N / (1 + N·e²) (Yamane).
 */
export function recommendedSampleSize(population: number, margin = 0.05): number {
  if (population <= 0) return 0;
  return Math.ceil(population / (1 + population * margin * margin));
}
