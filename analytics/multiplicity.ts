/**
 * Verdicts for a table of many units at once. Judged one by one at 95%, a table of 130 communes all
 * exactly at the target shows about 2.5 wrong "met" verdicts, and at least one in nine tables out
 * of ten (issue 11). The table controls the false discovery rate with the Benjamini–Hochberg
 * step-up procedure (Benjamini & Hochberg 1995), separately for "met" and for "not met", at the
 * level's one-sided α (2.5%, or 0.05% while the period is provisional): among the units the table
 * calls "met", the expected share wrongly called so is at most α, and when every unit is exactly at
 * its target the chance of any wrong "met" in the table is at most α. Units are independent
 * samples, the case the procedure is proven for. Each unit keeps its own verdict too, for the page.
 */
import type { MeasureResult } from './proportion.ts';
import { type Confidence, judge, pValues, type Verdict } from './verdict.ts';

export const TABLE_METHOD = 'benjamini-hochberg';

/** The largest p-value the step-up procedure rejects at level q; -1 when it rejects none. */
export function benjaminiHochbergThreshold(pValues: number[], q: number): number {
  const sorted = [...pValues].sort((a, b) => a - b);
  const m = sorted.length;
  for (let i = m; i >= 1; i--) {
    const p = sorted[i - 1] as number;
    if (p <= (i * q) / m) return p;
  }
  return -1;
}

export interface TableRow {
  result: MeasureResult;
  /** Share 0..1; null when no target applies. */
  target: number | null;
}

export interface TableVerdict {
  /** After the adjustment for the whole table; null without a target. */
  verdict: Verdict | null;
  /** The unit judged on its own at the same level. */
  own: Verdict | null;
}

export function tableVerdicts(rows: TableRow[], confidence: Confidence, minN: number): TableVerdict[] {
  const judged = rows.map((r) => {
    if (r.target === null) return { own: null, p: null };
    const own = judge(r.result, r.target, confidence, minN);
    return { own, p: own === 'insufficient' ? null : pValues(r.result, r.target) };
  });
  const family = judged.flatMap((j) => (j.p ? [j.p] : []));
  const metThreshold = benjaminiHochbergThreshold(family.map((p) => p.met), confidence.alpha);
  const notMetThreshold = benjaminiHochbergThreshold(family.map((p) => p.notMet), confidence.alpha);
  return judged.map(({ own, p }) => {
    if (own === null || p === null) return { verdict: own, own };
    // Never stronger than the unit's own interval says.
    if (own === 'met' && p.met <= metThreshold) return { verdict: 'met', own };
    if (own === 'not_met' && p.notMet <= notMetThreshold) return { verdict: 'not_met', own };
    return { verdict: 'inconclusive', own };
  });
}
