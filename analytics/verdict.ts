/**
 * A value against its target, in words officials can act on, at one of two confidence levels.
 *
 * "Trên 87%" is strictly above: `met` needs the whole interval above the target, `not_met` the
 * whole interval at or below it. Everything is a share 0..1.
 *
 * A period that has not ended yet (this month, this quarter, the year so far) is looked at again
 * and again as answers come in; at 95% each look has its own 2.5% chance of a wrong "met", and a
 * year-to-date figure checked every month said "met" at some point in about 9% of years whose truth
 * was exactly the target (issue 11). Such a view is provisional ("tạm tính") and uses a 99.9%
 * interval: the Haybittle–Peto rule of clinical trials (Haybittle 1971; Peto et al. 1976), under
 * which interim looks barely add to the error of the final one at 95%. Which views are provisional
 * (also a custom range ending inside the running year, issue 18) is decided in one place:
 * analytics/periods.ts isProvisional.
 */
import { normalUpperTail } from './normal.ts';
import { binomialInterval, incompleteBeta, type Interval, type MeasureResult, wilson, Z95 } from './proportion.ts';

export type Verdict = 'met' | 'not_met' | 'inconclusive' | 'insufficient';

export const DEFAULT_MIN_N = 30;

export interface Confidence {
  /** Two-sided level of the interval, e.g. 0.95. */
  level: number;
  z: number;
  /** One-sided error of a "met" (or a "not met") when the truth is exactly the target. */
  alpha: number;
}

export const FINAL: Confidence = { level: 0.95, z: Z95, alpha: 0.025 };
/** z of a two-sided 99.9% interval. */
export const PROVISIONAL: Confidence = { level: 0.999, z: 3.2905267314919255, alpha: 0.0005 };

export function confidenceFor(provisional: boolean): Confidence {
  return provisional ? PROVISIONAL : FINAL;
}

export function verdict(value: number | null, n: number, ci: Interval | null, target: number, minN = DEFAULT_MIN_N): Verdict {
  if (value === null || ci === null || n < minN) return 'insufficient';
  if (ci.low > target) return 'met';
  if (ci.high <= target) return 'not_met';
  return 'inconclusive';
}

/** The Wilson interval of a measure at a confidence level (its own 95% interval is `m.ci`). */
export function intervalAt(m: MeasureResult, confidence: Confidence): Interval | null {
  if (m.value === null) return null;
  // A plain proportion near 0% or 100% takes the exact bound where Wilson's would under-cover.
  return m.counts ? binomialInterval(m.counts.yes, m.counts.n, confidence.z, confidence.alpha) : wilson(m.value, m.nEff, confidence.z);
}

/** The verdict of a measure at a confidence level. */
export function judge(m: MeasureResult, target: number, confidence: Confidence, minN = DEFAULT_MIN_N): Verdict {
  return verdict(m.value, m.n, intervalAt(m, confidence), target, minN);
}

/**
 * One-sided p-values of "met" and "not met": the α at which the measure's bound at that level just
 * reaches the target, so "p ≤ α" and "the bound of the interval at z(α) clears the target" are the
 * same statement. For a composite (n_eff) that is the score test behind the Wilson bound. A plain
 * proportion's interval is the union of Wilson's and the exact Clopper–Pearson one (proportion.ts),
 * so its p-value is the larger of the score test's and the exact binomial tail's: near 87% the score
 * test's lower tail is too light (a table of 130 communes at the target got a false "not met" in
 * 0.26% of tables instead of at most 0.05%; issue 22's audit), and the multiplicity adjustment reads
 * these p-values (analytics/multiplicity.ts).
 */
export function pValues(m: MeasureResult, target: number): { met: number; notMet: number } | null {
  if (m.value === null || !(m.nEff > 0) || !(target > 0 && target < 1)) return null;
  const score = (m.value - target) / Math.sqrt((target * (1 - target)) / m.nEff);
  const scored = { met: normalUpperTail(score), notMet: normalUpperTail(-score) };
  if (!m.counts) return scored;
  const { yes, n } = m.counts;
  // P(X >= yes) and P(X <= yes) for X ~ Binomial(n, target).
  const atLeast = yes <= 0 ? 1 : incompleteBeta(target, yes, n - yes + 1);
  const atMost = yes >= n ? 1 : incompleteBeta(1 - target, n - yes, yes + 1);
  return { met: Math.max(scored.met, atLeast), notMet: Math.max(scored.notMet, atMost) };
}
