import { describe, expect, it } from 'vitest';
import { directStandardisation } from './standardise.ts';

const LAND = 1;
const CIVIL = 2;
const HEALTH = 3;

describe('direct standardisation to the province’s field mix', () => {
  // Commune X: land 160/200 = 80%, civil status 97/100 = 97% -> pooled 257/300 = 85.7%.
  // Commune Y: land 39/50 = 78%, civil status 380/400 = 95% -> pooled 419/450 = 93.1%.
  const X = [{ stratum: LAND, satisfied: 160, answered: 200 }, { stratum: CIVIL, satisfied: 97, answered: 100 }];
  const Y = [{ stratum: LAND, satisfied: 39, answered: 50 }, { stratum: CIVIL, satisfied: 380, answered: 400 }];
  // The province (X and Y together): land 250, civil status 500 answers -> weights 1/3, 2/3.
  const province = new Map([[LAND, 250], [CIVIL, 500]]);

  it('X beats Y in both fields, ranks below it pooled, and above it standardised: 91.3% vs 89.3%', () => {
    expect(257 / 300).toBeLessThan(419 / 450);
    const x = directStandardisation(X, province);
    const y = directStandardisation(Y, province);
    expect(x.value).toBeCloseTo(0.8 / 3 + (0.97 * 2) / 3, 12);
    expect(y.value).toBeCloseTo(0.78 / 3 + (0.95 * 2) / 3, 12);
    expect((x.value ?? 0) > (y.value ?? 0)).toBe(true);
    expect(x).toMatchObject({ strata: 2, borrowed: 0 });
  });

  it('a field with fewer than 10 answers at the unit takes the unit’s overall rate instead of its own', () => {
    // Land 2 of 9 is too unsteady to weigh; the unit's overall rate is 97/109.
    const sparse = [{ stratum: LAND, satisfied: 2, answered: 9 }, { stratum: CIVIL, satisfied: 95, answered: 100 }];
    const result = directStandardisation(sparse, province);
    expect(result.value).toBeCloseTo((1 / 3) * (97 / 109) + (2 / 3) * 0.95, 12);
    expect(result).toMatchObject({ strata: 1, borrowed: 1 });
  });

  it('a small unit whose every field is sparse keeps its plain rate', () => {
    const small = [{ stratum: LAND, satisfied: 8, answered: 8 }, { stratum: CIVIL, satisfied: 5, answered: 7 }];
    expect(directStandardisation(small, province).value).toBeCloseTo(13 / 15, 12);
  });

  it('only the fields the unit serves enter, re-weighted among themselves', () => {
    const civilOnly = [{ stratum: CIVIL, satisfied: 95, answered: 100 }];
    expect(directStandardisation(civilOnly, province)).toEqual({ value: 0.95, strata: 1, borrowed: 0 });
  });

  it('rows of one field from several months or desks are added first', () => {
    const split = [{ stratum: LAND, satisfied: 100, answered: 120 }, { stratum: LAND, satisfied: 60, answered: 80 }, { stratum: CIVIL, satisfied: 97, answered: 100 }];
    expect(directStandardisation(split, province).value).toBeCloseTo(directStandardisation(X, province).value ?? NaN, 12);
  });

  it('a unit with no field of the reference has no standardised rate', () => {
    expect(directStandardisation([{ stratum: HEALTH, satisfied: 40, answered: 50 }], province).value).toBeNull();
    expect(directStandardisation([], new Map()).value).toBeNull();
  });
});
