/**
 * The number the unit ranking is ordered by: a unit's overall satisfaction, standardised to the
 * province's mix of fields, with each field's rate shrunk toward the province's rate in that field
 * by how few answers the unit has there.
 *
 * Standardisation. A commune can beat another in each of its fields and still rank below it just
 * because more of its citizens came for a harder field (issue 11: land 80 vs 78%, civil status 97
 * vs 95%, pooled 85.7 vs 93.1%). Each field's rate therefore counts with the field's share of the
 * province's answers instead of the unit's own mix, so units are compared as if they served the same
 * citizens (direct standardisation: Rothman, Greenland & Lash, Modern Epidemiology, 3rd ed., ch. 4).
 * Only the fields the unit serves enter, the province's weights rescaled to sum to 1: a commune is not
 * scored on hospital care.
 *
 * Shrinkage (issue 18, finding 8). A rate read from few answers is unsteady, and ordering on point
 * estimates put a unit with 30 of 30 satisfied above one with 2,910 of 3,000. An earlier rule gave a
 * field with fewer than 10 answers the unit's own overall rate, which is the unit's own mix again: a
 * unit better than another in both of its fields ranked below it when its easy field was the sparse
 * one. Now every field's rate is the empirical-Bayes (beta-binomial) estimate
 *   (satisfied + k·p) / (answered + k),
 * p the province's rate in that field over the same period and filter, k = PRIOR_ANSWERS: as if the
 * unit had k more answers in the field at the province's rate. A field with 2 answers is almost the
 * province's rate; one with 450 keeps 90% of its own. The prior is a Beta(k·p, k·(1 − p)): k = 50
 * says the units' true rates in a field spread around the province's with a standard deviation of
 * about √(p(1 − p)/51), 4.7 points at 87% — units from about 78 to 96%. A fixed, stated k rather than
 * one fitted to each table: a table of two units cannot estimate a spread, and the same k on every
 * page keeps a unit's number comparable between pages (Efron & Morris 1975; Gelman et al., Bayesian
 * Data Analysis, 3rd ed., §5.3).
 */

export interface StratumCounts {
  stratum: number;
  satisfied: number;
  answered: number;
}

/** k: the province's rate in a field counts as this many answers of the unit's in that field. */
export const PRIOR_ANSWERS = 50;

export interface Standardised {
  /** Share 0..1, null when the unit has answers in no field of the reference. */
  value: number | null;
  /** Fields that entered. */
  strata: number;
}

/** Rows of strata added up by stratum (several months, desks or units of one field). */
export function addStrata(rows: Iterable<StratumCounts>): Map<number, StratumCounts> {
  const sums = new Map<number, StratumCounts>();
  for (const r of rows) {
    const c = sums.get(r.stratum) ?? { stratum: r.stratum, satisfied: 0, answered: 0 };
    sums.set(r.stratum, { stratum: r.stratum, satisfied: c.satisfied + r.satisfied, answered: c.answered + r.answered });
  }
  return sums;
}

/**
 * The unit's rate standardised to the province's field mix, each field shrunk toward the province's
 * rate in it. `province` holds the province's answers per field: their shares are the weights, their
 * rates the values shrunk toward. `priorAnswers` 0 gives textbook direct standardisation.
 */
export function directStandardisation(unit: Iterable<StratumCounts>, province: ReadonlyMap<number, StratumCounts>, priorAnswers = PRIOR_ANSWERS): Standardised {
  let weight = 0;
  let weighted = 0;
  let strata = 0;
  for (const [stratum, c] of addStrata(unit)) {
    const p = province.get(stratum);
    if (!p || p.answered <= 0 || c.answered === 0) continue;
    const prior = p.satisfied / p.answered;
    weight += p.answered;
    weighted += (p.answered * (c.satisfied + priorAnswers * prior)) / (c.answered + priorAnswers);
    strata++;
  }
  if (weight === 0) return { value: null, strata: 0 };
  return { value: weighted / weight, strata };
}
