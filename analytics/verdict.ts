/** A value against its target, in words officials can act on. */
import type { Interval } from './proportion.ts';

export type Verdict = 'met' | 'not_met' | 'inconclusive' | 'insufficient';

export const DEFAULT_MIN_N = 30;

/**
 * "Trên 87%" is strictly above: `met` needs the whole interval above the target, `not_met` the
 * whole interval at or below it. Everything is a share 0..1.
 */
export function verdict(value: number | null, n: number, ci: Interval | null, target: number, minN = DEFAULT_MIN_N): Verdict {
  if (value === null || ci === null || n < minN) return 'insufficient';
  if (ci.low > target) return 'met';
  if (ci.high <= target) return 'not_met';
  return 'inconclusive';
}
