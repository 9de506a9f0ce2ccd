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
 * Known limit: the information per extra respondent is the view's n_eff / n. At a desk that used two
 * questionnaire versions in the period, new answers arrive on its current version only, whose cell
 * alone would give a different (often larger) n_eff per respondent; MeasureResult does not carry the
 * cells, so that refinement is left to the composite (analytics/composite.ts).
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
 * The settle figure of a measure against a target (share strictly between 0 and 1); null when there
 * is nothing to settle from (no value, no respondents, a target of 0 or 1).
 */
export function responsesToSettle(m: MeasureResult, target: number, confidence: Confidence, minN = DEFAULT_MIN_N): Settling | null {
  if (m.value === null || !Number.isFinite(m.value) || !(m.n > 0) || !(m.nEff > 0) || !(target > 0 && target < 1)) return null;
  if (isOnTarget(m.value, target)) return { more: null, towards: null, reason: 'on-target' };
  const gap = m.value - target;
  const towards: Direction = gap > 0 ? 'met' : 'not_met';
  const neededEff = (confidence.z * confidence.z * target * (1 - target)) / (gap * gap);
  const perRespondent = m.nEff / m.n;
  // "met" needs strictly more than neededEff; "not met" (upper bound at or below) needs at least it.
  const needed = gap > 0 ? Math.floor(neededEff / perRespondent) + 1 : Math.ceil(neededEff / perRespondent);
  const more = Math.max(0, Math.max(needed, minN) - m.n);
  // Also catches an infinite or NaN count (n_eff per respondent vanishingly small).
  if (!(more <= FAR_TO_SETTLE * m.n)) return { more: null, towards, reason: 'too-many' };
  return { more, towards, reason: null };
}
