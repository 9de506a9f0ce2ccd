/**
 * Whether a share fell between two periods of the same length (issue 22's "significant fall"). Each
 * period is an independent sample of its citizens; under "no change" both estimate one share, so the
 * pooled two-proportion z test applies (Agresti, Categorical Data Analysis, §3.1.3): z = (p₂ − p₁) /
 * √(p̄(1 − p̄)(1/n₁ + 1/n₂)), and the one-sided p-value of a fall is P(Z ≤ z). Many units are looked at
 * at once, so the alerts control the false discovery rate across them (analytics/multiplicity.ts)
 * rather than calling each unit at its own level.
 */
import { benjaminiHochbergThreshold } from './multiplicity.ts';
import { normalUpperTail } from './normal.ts';

export interface Counts {
  yes: number;
  n: number;
}

/** One-sided p-value that `after`'s share is below `before`'s; null when either is empty or nothing varies. */
export function fallPValue(before: Counts, after: Counts): number | null {
  if (before.n <= 0 || after.n <= 0) return null;
  const pooled = (before.yes + after.yes) / (before.n + after.n);
  const variance = pooled * (1 - pooled) * (1 / before.n + 1 / after.n);
  if (!(variance > 0)) return null;
  const z = (after.yes / after.n - before.yes / before.n) / Math.sqrt(variance);
  return normalUpperTail(-z);
}

/**
 * Which of many comparisons are falls at a false discovery rate q (Benjamini–Hochberg): index i is
 * true when its p-value is at or under the step-up threshold. Null p-values are not looked at.
 */
export function significantFalls(pValues: readonly (number | null)[], q: number): boolean[] {
  const threshold = benjaminiHochbergThreshold(pValues.filter((p): p is number => p !== null), q);
  return pValues.map((p) => p !== null && p <= threshold);
}
