/**
 * "How many more responses would settle it": for an inconclusive verdict, the number of further
 * respondents after which the interval would clear the target — if the value stayed exactly where
 * it is and the new respondents carried as much information each as the current ones (n_eff / n
 * unchanged), at the same confidence level, for this measure on its own (a ranking table's
 * adjustment for many units is not counted). It is a planning figure, not a promise: the value
 * will move as answers come in, and a value exactly at the target never settles.
 *
 * Closed form: the Wilson bound at n_eff clears target t exactly when
 * (p − t)² · n_eff > z² · t(1 − t)  (the score test the interval inverts).
 */
import type { MeasureResult } from './proportion.ts';
import { type Confidence, DEFAULT_MIN_N } from './verdict.ts';

export interface Settling {
  /** Respondents to add; 0 when the verdict is already settled. */
  more: number;
  towards: 'met' | 'not_met';
}

export function responsesToSettle(m: MeasureResult, target: number, confidence: Confidence, minN = DEFAULT_MIN_N): Settling | null {
  if (m.value === null || m.n === 0 || !(m.nEff > 0) || m.value === target || !(target > 0 && target < 1)) return null;
  const gap = m.value - target;
  const neededEff = (confidence.z * confidence.z * target * (1 - target)) / (gap * gap);
  const perRespondent = m.nEff / m.n;
  // "met" needs strictly more than neededEff; "not met" (upper bound at or below) needs at least it.
  const needed = gap > 0 ? Math.floor(neededEff / perRespondent) + 1 : Math.ceil(neededEff / perRespondent);
  return { more: Math.max(0, Math.max(needed, minN) - m.n), towards: gap > 0 ? 'met' : 'not_met' };
}
