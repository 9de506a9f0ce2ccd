import { describe, expect, it } from 'vitest';
import { addStrata, directStandardisation, PRIOR_ANSWERS, type StratumCounts } from './standardise.ts';

const LAND = 1;
const CIVIL = 2;
const HEALTH = 3;

const provinceOf = (rows: StratumCounts[]) => addStrata(rows);

describe('direct standardisation to the province’s field mix', () => {
  // Commune X: land 160/200 = 80%, civil status 97/100 = 97% -> pooled 257/300 = 85.7%.
  // Commune Y: land 39/50 = 78%, civil status 380/400 = 95% -> pooled 419/450 = 93.1%.
  const X = [{ stratum: LAND, satisfied: 160, answered: 200 }, { stratum: CIVIL, satisfied: 97, answered: 100 }];
  const Y = [{ stratum: LAND, satisfied: 39, answered: 50 }, { stratum: CIVIL, satisfied: 380, answered: 400 }];
  // The province (X and Y together): land 199/250, civil status 477/500 -> weights 1/3, 2/3.
  const province = provinceOf([...X, ...Y]);

  it('textbook (no shrinkage): X beats Y in both fields, ranks below it pooled, and above it standardised: 91.3% vs 89.3%', () => {
    expect(257 / 300).toBeLessThan(419 / 450);
    const x = directStandardisation(X, province, 0);
    const y = directStandardisation(Y, province, 0);
    expect(x.value).toBeCloseTo(0.8 / 3 + (0.97 * 2) / 3, 12);
    expect(y.value).toBeCloseTo(0.78 / 3 + (0.95 * 2) / 3, 12);
    expect((x.value ?? 0) > (y.value ?? 0)).toBe(true);
    expect(x).toEqual({ value: x.value, strata: 2 });
  });

  it('with the province’s rates added as 50 answers per field: X 91.0%, Y 89.6%, still X first', () => {
    expect(PRIOR_ANSWERS).toBe(50);
    // Land: province 199/250 = 79.6%; civil status 477/500 = 95.4%.
    // X: land (160 + 39.8)/250 = 79.92%, civil (97 + 47.7)/150 = 96.47% -> 79.92/3 + 96.47·2/3 = 90.95%.
    // Y: land (39 + 39.8)/100 = 78.80%, civil (380 + 47.7)/450 = 95.04% -> 78.80/3 + 95.04·2/3 = 89.63%.
    const x = directStandardisation(X, province).value ?? NaN;
    const y = directStandardisation(Y, province).value ?? NaN;
    expect(x).toBeCloseTo(199.8 / 250 / 3 + ((144.7 / 150) * 2) / 3, 12);
    expect(y).toBeCloseTo(78.8 / 100 / 3 + ((427.7 / 450) * 2) / 3, 12);
    expect(x).toBeCloseTo(0.9095, 4);
    expect(y).toBeCloseTo(0.8963, 4);
  });

  it('finding 8: a unit better in both fields ranks above, though its easy field is sparse (was 85.4 vs 88.0%, now 91.8 vs 88.2%)', () => {
    // A: land 170/200 = 85%, civil status 9/9 = 100%. B: land 300/375 = 80%, civil status 368/400 = 92%.
    const A = [{ stratum: LAND, satisfied: 170, answered: 200 }, { stratum: CIVIL, satisfied: 9, answered: 9 }];
    const B = [{ stratum: LAND, satisfied: 300, answered: 375 }, { stratum: CIVIL, satisfied: 368, answered: 400 }];
    // The province: land 800/1,000 = 80%, civil status 1,900/2,000 = 95% -> weights 1/3, 2/3.
    const prov = provinceOf([{ stratum: LAND, satisfied: 800, answered: 1000 }, { stratum: CIVIL, satisfied: 1900, answered: 2000 }]);
    // The old rule filled A's sparse civil status with A's own pooled rate 179/209 = 85.6%:
    // A = 85/3 + 85.6·2/3 = 85.4% < B = 80/3 + 92·2/3 = 88.0%.
    expect(0.85 / 3 + ((179 / 209) * 2) / 3).toBeLessThan(0.8 / 3 + (0.92 * 2) / 3);
    // Now: A land (170 + 40)/250 = 84%, civil (9 + 47.5)/59 = 95.76% -> 84/3 + 95.76·2/3 = 91.84%.
    //      B land (300 + 40)/425 = 80%, civil (368 + 47.5)/450 = 92.33% -> 80/3 + 92.33·2/3 = 88.22%.
    const a = directStandardisation(A, prov).value ?? NaN;
    const b = directStandardisation(B, prov).value ?? NaN;
    expect(a).toBeCloseTo(0.84 / 3 + ((56.5 / 59) * 2) / 3, 12);
    expect(b).toBeCloseTo(0.8 / 3 + ((415.5 / 450) * 2) / 3, 12);
    expect(a).toBeCloseTo(0.9184, 4);
    expect(b).toBeCloseTo(0.8822, 4);
    expect(a).toBeGreaterThan(b);
  });

  it('finding 8: 30 of 30 does not rank above 2,910 of 3,000 (was 100 vs 97.0%, now 91.9 vs 96.8%)', () => {
    // One field; the province at 87% (8,700 of 10,000).
    const prov = provinceOf([{ stratum: CIVIL, satisfied: 8700, answered: 10000 }]);
    const small = directStandardisation([{ stratum: CIVIL, satisfied: 30, answered: 30 }], prov).value ?? NaN;
    const large = directStandardisation([{ stratum: CIVIL, satisfied: 2910, answered: 3000 }], prov).value ?? NaN;
    // (30 + 50·0.87)/(30 + 50) = 73.5/80 = 91.875%; (2,910 + 43.5)/3,050 = 96.836%.
    expect(small).toBeCloseTo(73.5 / 80, 12);
    expect(large).toBeCloseTo(2953.5 / 3050, 12);
    expect(large).toBeGreaterThan(small);
    // On point estimates (no shrinkage) the order was the other way round.
    expect(directStandardisation([{ stratum: CIVIL, satisfied: 30, answered: 30 }], prov, 0).value).toBe(1);
  });

  it('a sparse field is filled from the province’s rate in that field, never from the unit’s own mix', () => {
    const prov = provinceOf([{ stratum: LAND, satisfied: 800, answered: 1000 }, { stratum: CIVIL, satisfied: 1900, answered: 2000 }]);
    // Two units alike in civil status, one with 2/3 and one with 3/3 in land: the land field barely moves them,
    // and what it moves toward is the province's 80%, whatever their civil status.
    const civil = { stratum: CIVIL, satisfied: 95, answered: 100 };
    const low = directStandardisation([{ stratum: LAND, satisfied: 2, answered: 3 }, civil], prov).value ?? NaN;
    expect(low).toBeCloseTo((1 / 3) * ((2 + 40) / 53) + (2 / 3) * ((95 + 47.5) / 150), 12);
    const none = directStandardisation([{ stratum: LAND, satisfied: 0, answered: 1 }, civil], prov).value ?? NaN;
    expect(none).toBeCloseTo((1 / 3) * (40 / 51) + (2 / 3) * (142.5 / 150), 12);
  });

  it('only the fields the unit serves enter, re-weighted among themselves', () => {
    const civilOnly = [{ stratum: CIVIL, satisfied: 95, answered: 100 }];
    expect(directStandardisation(civilOnly, province, 0)).toEqual({ value: 0.95, strata: 1 });
    expect(directStandardisation(civilOnly, province).value).toBeCloseTo((95 + 47.7) / 150, 12);
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
