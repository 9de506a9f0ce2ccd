import { describe, expect, it } from 'vitest';
import { fallPValue, significantFalls } from './change.ts';

describe('fallPValue', () => {
  it('is the pooled z test worked by hand', () => {
    // 90/100 then 75/100: pooled 165/200 = 0.825, se = √(0.825·0.175·(2/100)) = 0.053735, z = −0.15/0.053735 = −2.7915,
    // P(Z ≤ −2.7915) = 0.002623.
    expect(fallPValue({ yes: 90, n: 100 }, { yes: 75, n: 100 })).toBeCloseTo(0.002623, 5);
  });

  it('a rise is no fall, an unchanged share is a coin toss, and nothing to compare is null', () => {
    expect(fallPValue({ yes: 75, n: 100 }, { yes: 90, n: 100 })).toBeGreaterThan(0.99);
    expect(fallPValue({ yes: 40, n: 50 }, { yes: 80, n: 100 })).toBeCloseTo(0.5, 6);
    expect(fallPValue({ yes: 0, n: 0 }, { yes: 5, n: 10 })).toBeNull();
    expect(fallPValue({ yes: 10, n: 10 }, { yes: 20, n: 20 })).toBeNull();
  });
});

describe('significantFalls', () => {
  it('steps up like Benjamini–Hochberg: with q = 0.05 over four, p ≤ 0.0125·i for the i-th smallest', () => {
    // Sorted: 0.001 (≤ 0.0125), 0.02 (≤ 0.025), 0.04 (> 0.0375), 0.3: the largest rejected is 0.02.
    expect(significantFalls([0.04, 0.001, null, 0.3, 0.02], 0.05)).toEqual([false, true, false, false, true]);
    expect(significantFalls([0.2, 0.3], 0.05)).toEqual([false, false]);
  });
});
