import { describe, expect, it } from 'vitest';
import { proportion, recommendedSampleSize, wilson } from './proportion.ts';

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

  it('n = 1, satisfied: 20.65% to 100%', () => {
    const ci = proportion(1, 1).ci;
    expect(ci?.low).toBeCloseTo(0.2065, 4);
    expect(ci?.high).toBe(1);
  });

  it('a desk with 10 of 12 satisfied (83%) is roughly 55% to 95% (domain.md)', () => {
    const p = proportion(10, 12);
    expect(p.value).toBeCloseTo(0.8333, 4);
    expect(p.ci?.low).toBeCloseTo(0.5520, 3);
    expect(p.ci?.high).toBeCloseTo(0.9530, 3);
  });

  it('870 of 1000: 84.8% to 88.9%', () => {
    const ci = proportion(870, 1000).ci;
    expect(ci?.low).toBeCloseTo(0.8478, 3);
    expect(ci?.high).toBeCloseTo(0.8891, 3);
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
