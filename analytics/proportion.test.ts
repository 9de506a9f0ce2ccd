import { describe, expect, it } from 'vitest';
import { binomialInterval, proportion, recommendedSampleSize, wilson } from './proportion.ts';

describe('Wilson 95% interval (hand-computed)', () => {
  it('n = 0 has no value and no interval', () => {
    expect(wilson(0, 0)).toBeNull();
    expect(proportion(0, 0)).toEqual({ value: null, n: 0, successes: 0, ci: null });
  });

  it('0% of 10 is 0 to 27.75%, not a zero-width interval', () => {
    const ci = wilson(0, 10);
    expect(ci?.low).toBe(0);
    expect(ci?.high).toBeCloseTo(0.2775, 4);
  });

  it('100% of 10 is 72.25% to 100%', () => {
    const ci = wilson(1, 10);
    expect(ci?.low).toBeCloseTo(0.7225, 4);
    expect(ci?.high).toBe(1);
  });

  it('n = 1, satisfied: 2.5% to 100% (Wilson’s 20.65% claimed too much from one answer)', () => {
    const ci = proportion(1, 1).ci;
    expect(ci?.low).toBeCloseTo(0.025, 12);
    expect(ci?.high).toBe(1);
    expect(wilson(1, 1)?.low).toBeCloseTo(0.2065, 4);
  });

  it('a desk with 10 of 12 satisfied (83%) is 51.6% to 97.9% (domain.md: "roughly 55% to 95%" was Wilson’s)', () => {
    const p = proportion(10, 12);
    expect(p.value).toBeCloseTo(0.8333, 4);
    // Clopper–Pearson: the Beta(10, 3) 2.5% point and the Beta(11, 2) 97.5% point, wider than Wilson's 55.2–95.3.
    expect(p.ci?.low).toBeCloseTo(0.5159, 4);
    expect(p.ci?.high).toBeCloseTo(0.9791, 4);
  });

  it('870 of 1000: 84.8% to 89.0%, Wilson’s and the exact interval within 0.1 point of each other', () => {
    const ci = proportion(870, 1000).ci;
    expect(ci?.low).toBeCloseTo(0.8476, 4);
    expect(ci?.high).toBeCloseTo(0.8902, 4);
    expect(Math.abs((ci?.low ?? NaN) - (wilson(0.87, 1000)?.low ?? NaN))).toBeLessThan(0.001);
  });

  it('always holds Wilson’s interval and Clopper–Pearson’s: the lower of the lower bounds, the higher of the upper', () => {
    for (const [yes, n] of [[0, 10], [3, 40], [20, 40], [39, 40], [40, 40], [900, 1000]] as const) {
      const ci = binomialInterval(yes, n);
      const w = wilson(yes / n, n);
      expect(ci?.low).toBeLessThanOrEqual(w?.low ?? NaN);
      expect(ci?.high).toBeGreaterThanOrEqual(w?.high ?? NaN);
    }
    // 0 of 10: the exact upper bound 1 − 0.025^(1/10) = 30.85%, above Wilson's 27.75%.
    expect(binomialInterval(0, 10)?.high).toBeCloseTo(1 - 0.025 ** 0.1, 10);
  });
});

describe('recommended sample size n = N / (1 + N·e²)', () => {
  it('1000 transactions at e = 5% need 286 responses', () => {
    expect(recommendedSampleSize(1000)).toBe(286);
  });
  it('grows towards 400 for large N, and is 0 for none', () => {
    expect(recommendedSampleSize(1_000_000)).toBe(400);
    expect(recommendedSampleSize(0)).toBe(0);
    expect(recommendedSampleSize(10)).toBe(10);
  });
});
