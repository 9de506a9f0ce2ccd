/**
 * Why: every index "as answered" is weighted by respondents, so the desk whose poster is scanned most
 * decides the province's figure. Post-stratification weights each desk x field cell by its share of
 * the dossiers resolved in the period instead (issue 20): the figure for the citizens served, not
 * for those who answered. Cells with dossiers but no response cannot be estimated: their share is
 * reported as what the figure does not cover, never imputed.
 *
 * Estimate: p_w = sum_h W_h p_h over the cells with responses, W_h = D_h / sum D (renormalised over
 * those cells). Variance: sum_h W_h^2 v_h with v_h = q_h (1 - q_h) / m_h, where m_h is the cell's
 * effective sample size (its own design effect included) and q_h = (p_h m_h + 1) / (m_h + 2), one
 * satisfied and one dissatisfied answer added (Agresti and Coull), so a cell of 3 answers that are all
 * "satisfied" still carries uncertainty (a 100% from 3 people is not certain). The interval is Wilson's at the Kish-style effective size n_w = q (1 - q) / Var, with q the
 * weighted mean of the q_h: bounded in [0, 1], and as wide as the weights make it. Unequal weights
 * widen it: a cell of 5% of the answers and 40% of the dossiers counts eight times its answers.
 * Simulated coverage of the 95% interval (weighted.test.ts): 95-98% for cells of 3 to 300 answers and
 * true rates of 60-99.5%; it falls to about 91% only when cells of 2 answers hold nearly every dossier,
 * where n_eff is far below the 30 a verdict needs (server/figures/dossiers.ts judges on n_eff).
 */
import { binomialInterval, type Interval, type MeasureResult, NO_RESULT, wilson } from './proportion.ts';

export interface WeightedCell {
  /** Dossiers resolved in the cell in the period. */
  dossiers: number;
  /** The measure on the cell's own responses; NO_RESULT (value null) when it has none. */
  result: MeasureResult;
}

export interface WeightedResult extends MeasureResult {
  /** Dossiers resolved in every cell given (with or without responses). */
  dossiers: number;
  /** Of those, the dossiers of cells with no responses: the part the figure does not cover. */
  uncovered: number;
  /** uncovered / dossiers (0..1); null without dossiers. */
  uncoveredShare: number | null;
}

/** A cell's share with one satisfied and one dissatisfied answer added, so a unanimous small cell keeps some variance. */
function smoothed(value: number, m: number): number {
  return (value * m + 1) / (m + 2);
}

/**
 * `exact`: for a plain proportion (the overall rate), the interval is the one the figure as answered
 * uses (binomialInterval: Wilson's joined with Clopper-Pearson's) at the effective counts n_w p_w of
 * n_w, as Korn and Graubard (1998) do for survey data, so a weighted figure from a few answers is never
 * narrower than the same answers unweighted. Composites keep Wilson's at n_w, as their own intervals do.
 */
export function postStratify(cells: readonly WeightedCell[], opts: { exact?: boolean } = {}): WeightedResult {
  const dossiers = cells.reduce((a, c) => a + c.dossiers, 0);
  const covered = cells.filter((c) => c.dossiers > 0 && c.result.value !== null && c.result.nEff > 0);
  const coveredDossiers = covered.reduce((a, c) => a + c.dossiers, 0);
  const uncovered = dossiers - coveredDossiers;
  const uncoveredShare = dossiers > 0 ? uncovered / dossiers : null;
  if (coveredDossiers === 0) return { ...NO_RESULT, dossiers, uncovered, uncoveredShare };
  let value = 0;
  let q = 0;
  let variance = 0;
  let n = 0;
  let effective = 0;
  for (const c of covered) {
    const w = c.dossiers / coveredDossiers;
    const p = c.result.value as number;
    const qh = smoothed(p, c.result.nEff);
    value += w * p;
    q += w * qh;
    variance += (w * w * qh * (1 - qh)) / c.result.nEff;
    n += c.result.n;
    effective += c.result.nEff;
  }
  // Never more information than the cells' own effective sizes hold together (n for a plain proportion).
  const nEff = Math.min(effective, (q * (1 - q)) / variance);
  if (opts.exact) {
    const counts = { yes: value * nEff, n: nEff };
    return { value, n, nEff, ci: binomialInterval(counts.yes, counts.n), counts, dossiers, uncovered, uncoveredShare };
  }
  const ci: Interval | null = wilson(value, nEff);
  return { value, n, nEff, ci, dossiers, uncovered, uncoveredShare };
}
