import { describe, expect, it } from 'vitest';
import { normalQuantile, normalUpperTail } from './normal.ts';
import { Z95 } from './proportion.ts';
import { PROVISIONAL } from './verdict.ts';

describe('standard normal tail and quantile (published values)', () => {
  it('z of 95% and 99.9% two-sided intervals', () => {
    expect(normalQuantile(0.975)).toBeCloseTo(Z95, 7);
    expect(normalQuantile(0.9995)).toBeCloseTo(PROVISIONAL.z, 7);
    expect(normalQuantile(0.01)).toBeCloseTo(-2.326347874, 7);
    expect(normalQuantile(0.5)).toBe(0);
    expect(normalQuantile(0)).toBe(-Infinity);
    expect(normalQuantile(1)).toBe(Infinity);
  });

  it('tail probabilities, relative error below 1e-6 far into the tail', () => {
    expect(normalUpperTail(Z95)).toBeCloseTo(0.025, 8);
    expect(normalUpperTail(-Z95)).toBeCloseTo(0.975, 8);
    expect(normalUpperTail(5) / 2.866515718791939e-7).toBeCloseTo(1, 6);
    expect(normalUpperTail(0)).toBeCloseTo(0.5, 7);
  });
});
