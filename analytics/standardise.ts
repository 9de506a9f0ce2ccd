/**
 * Direct standardisation of a unit's rate to a reference mix of strata (the province's mix of
 * fields). A commune can beat another in each of its fields and still rank below it overall just
 * because more of its citizens came for a harder field (issue 11: land 80 vs 78%, civil status 97
 * vs 95%, pooled 85.7 vs 93.1%). The standardised rate weighs each field's rate by the field's
 * share of the province's answers instead of the unit's own mix, so units are compared as if they
 * served the same citizens (Rothman, Modern Epidemiology, ch. "Standardization").
 *
 * Sparse cells: a field enters a unit's standardised rate only with at least `minAnswers` answers
 * there; the province's weights of the fields that enter are rescaled to sum to 1. A unit with no
 * such field has no standardised rate. `coverage` tells how much of the province's mix the unit's
 * rate stands for (1 = every field).
 */

export interface StratumCounts {
  stratum: number;
  satisfied: number;
  answered: number;
}

export const MIN_STRATUM_ANSWERS = 10;

export interface Standardised {
  value: number | null;
  /** Strata that entered. */
  strata: number;
  /** Share of the reference weight those strata carry. */
  coverage: number;
}

export function directStandardisation(unit: StratumCounts[], reference: ReadonlyMap<number, number>, minAnswers = MIN_STRATUM_ANSWERS): Standardised {
  const totalWeight = [...reference.values()].reduce((a, w) => a + w, 0);
  const own = new Map<number, { satisfied: number; answered: number }>();
  for (const s of unit) {
    const c = own.get(s.stratum) ?? { satisfied: 0, answered: 0 };
    own.set(s.stratum, { satisfied: c.satisfied + s.satisfied, answered: c.answered + s.answered });
  }
  let weight = 0;
  let weighted = 0;
  let strata = 0;
  for (const [stratum, c] of own) {
    const w = reference.get(stratum) ?? 0;
    if (w <= 0 || c.answered < minAnswers) continue;
    weight += w;
    weighted += (w * c.satisfied) / c.answered;
    strata++;
  }
  if (weight === 0 || totalWeight === 0) return { value: null, strata: 0, coverage: 0 };
  return { value: weighted / weight, strata, coverage: weight / totalWeight };
}
