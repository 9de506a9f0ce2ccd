/**
 * Direct standardisation of a unit's rate to a reference mix of strata (the province's mix of
 * fields). A commune can beat another in each of its fields and still rank below it overall just
 * because more of its citizens came for a harder field (issue 11: land 80 vs 78%, civil status 97
 * vs 95%, pooled 85.7 vs 93.1%). The standardised rate weighs each field's rate by the field's
 * share of the province's answers instead of the unit's own mix, so units are compared as if they
 * served the same citizens (Rothman, Greenland & Lash, Modern Epidemiology, 3rd ed., ch. 4).
 *
 * Only the fields the unit serves (has answers in) enter, with the province's weights rescaled to
 * sum to 1: a commune is not scored on hospital care. Sparse cells: in a field where the unit has
 * fewer than `minAnswers` answers its own rate there is too unsteady to weigh (2 of 3 would count
 * as 67%), so that field takes the unit's overall rate over all its fields instead. A unit whose
 * every field is sparse therefore keeps its plain rate; one with every field well answered gets the
 * textbook direct standardisation.
 */

export interface StratumCounts {
  stratum: number;
  satisfied: number;
  answered: number;
}

export const MIN_STRATUM_ANSWERS = 10;

export interface Standardised {
  value: number | null;
  /** Strata entered with their own rate. */
  strata: number;
  /** Strata too sparse for their own rate, entered at the unit's overall rate. */
  borrowed: number;
}

export function directStandardisation(unit: StratumCounts[], reference: ReadonlyMap<number, number>, minAnswers = MIN_STRATUM_ANSWERS): Standardised {
  const own = new Map<number, { satisfied: number; answered: number }>();
  let satisfied = 0;
  let answered = 0;
  for (const s of unit) {
    const c = own.get(s.stratum) ?? { satisfied: 0, answered: 0 };
    own.set(s.stratum, { satisfied: c.satisfied + s.satisfied, answered: c.answered + s.answered });
    satisfied += s.satisfied;
    answered += s.answered;
  }
  let weight = 0;
  let weighted = 0;
  let strata = 0;
  let borrowed = 0;
  for (const [stratum, c] of own) {
    const w = reference.get(stratum) ?? 0;
    if (w <= 0 || c.answered === 0) continue;
    const sparse = c.answered < minAnswers;
    weight += w;
    weighted += w * (sparse ? satisfied / answered : c.satisfied / c.answered);
    if (sparse) borrowed++;
    else strata++;
  }
  if (weight === 0) return { value: null, strata: 0, borrowed: 0 };
  return { value: weighted / weight, strata, borrowed };
}
