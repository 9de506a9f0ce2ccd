/**
 * "How many more responses would settle it": for an inconclusive verdict, the number of further
 * respondents after which the interval would clear the target — if the value stayed exactly where
 * it is and the new respondents carried as much information each as the current ones (n_eff / n
 * unchanged), at the same confidence level, for this measure on its own (a ranking table's
 * adjustment for many units is not counted). It is a planning figure, not a promise: the value
 * will move as answers come in, and a value exactly at the target never settles.
 *
 * Two cases give no number, each with its reason (issue 18):
 *   - 'on-target': the value is within ON_TARGET (1e-9) of the target. Floating sums land a hair off
 *     an exact target (an index "on" 90% is 0.9000000000000003), and the formula then asked for
 *     4.68e30 more respondents.
 *   - 'too-many': more than FAR_TO_SETTLE (10) times the respondents so far. Past that, "about N
 *     more" is no plan anyone can act on (up to 1.7e9 on the overall rate's grid): the value is too
 *     close to the target for collecting alone to settle it. The dashboard words this, and the API
 *     gives null with the reason.
 *
 * The information per extra respondent: for the composite measures, what the view's cells say
 * (MeasureResult.growth: each desk's current questionnaire version, in the desk's share of the
 * view; issue 18 found 1,268 asked of a two-version desk that 27 more answers on its current
 * version settle); for a plain proportion, n_eff / n (one respondent, one answer).
 *
 * Closed form: the Wilson bound at n_eff clears target t exactly when
 * (p − t)² · n_eff > z² · t(1 − t)  (the score test the interval inverts).
 */
import type { MeasureResult } from './proportion.ts';
import { type Confidence, DEFAULT_MIN_N } from './verdict.ts';

/** A value closer to its target than this is on the target (shares 0..1; 1e-7 percentage points). */
export const ON_TARGET = 1e-9;

/** Past this many times the respondents so far, no number is given ('too-many'). */
export const FAR_TO_SETTLE = 10;

export type Direction = 'met' | 'not_met';
export type UnsettledReason = 'on-target' | 'too-many';

export type Settling =
  /** Respondents to add (0 when the verdict is already settled), and the verdict they would give. */
  | { more: number; towards: Direction; reason: null }
  /** No useful number: on the target (no direction), or too many more respondents (the direction they would settle towards). */
  | { more: null; towards: Direction | null; reason: UnsettledReason };

/** Whether a value counts as exactly on its target (within ON_TARGET), for the settle figure and the words beside the value. */
export function isOnTarget(value: number, target: number): boolean {
  return Math.abs(value - target) < ON_TARGET;
}

/**
 * The (fractional) number of further respondents at which n_eff reaches `target`. With growth:
 * the positive root of (W + m·w)² = target · (V + m·v), a quadratic in m; n_eff(0) is below the
 * target for an unsettled verdict, so exactly one root is positive. Without: linear, n_eff / n each.
 */
function respondentsFor(target: number, m: MeasureResult): number {
  const g = m.growth;
  if (!g || !(g.weightPerRespondent > 0)) return target / (m.nEff / m.n) - m.n;
  const a = g.weightPerRespondent * g.weightPerRespondent;
  const b = 2 * g.weight * g.weightPerRespondent - target * g.variancePerRespondent;
  const c = g.weight * g.weight - target * g.variance;
  if (c >= 0) return 0;
  return (-b + Math.sqrt(b * b - 4 * a * c)) / (2 * a);
}

/**
 * The settle figure of a measure against a target (share strictly between 0 and 1); null when there
 * is nothing to settle from (no value, no respondents, a target of 0 or 1).
 */
export function responsesToSettle(m: MeasureResult, target: number, confidence: Confidence, minN = DEFAULT_MIN_N): Settling | null {
  if (m.value === null || !Number.isFinite(m.value) || !(m.n > 0) || !(m.nEff > 0) || !(target > 0 && target < 1)) return null;
  if (isOnTarget(m.value, target)) return { more: null, towards: null, reason: 'on-target' };
  const gap = m.value - target;
  const towards: Direction = gap > 0 ? 'met' : 'not_met';
  const neededEff = (confidence.z * confidence.z * target * (1 - target)) / (gap * gap);
  const extra = respondentsFor(neededEff, m);
  // "met" needs strictly more than neededEff; "not met" (upper bound at or below) needs at least it.
  const needed = m.n + (gap > 0 ? Math.floor(extra) + 1 : Math.ceil(extra));
  const more = Math.max(0, Math.max(needed, minN) - m.n);
  // Also catches an infinite or NaN count (n_eff per respondent vanishingly small).
  if (!(more <= FAR_TO_SETTLE * m.n)) return { more: null, towards, reason: 'too-many' };
  return { more, towards, reason: null };
}
