/**
 * The overall rate's interval holds what it says where a province's desks really are: near 100% at
 * a few dozen answers. Coverage is computed exactly, not simulated: for every n from 30 to 2,000 and
 * every true rate from 50% to 99.9% (steps of 0.1 point), the probability that the interval of the
 * count a desk would see contains the true rate, summed over the binomial distribution of that count.
 * Wilson's interval alone falls to 83.8% (n = 32, 99.45%); issue 18 asked for at least 93%.
 *
 * The interval (binomialInterval) is the union of Wilson's and Clopper–Pearson's. Clopper–Pearson's
 * lower bound for x lies at or below p exactly when P(X ≥ x | p) ≥ α/2, and its upper bound at or
 * above p when P(X ≤ x | p) ≥ α/2, so the sweep reads both from the binomial tails of each p (fast),
 * and a separate test checks that binomialInterval's bounds are those tail crossings.
 */
import { describe, expect, it } from 'vitest';
import { binomialInterval, incompleteBeta, type Interval, logGamma, wilson } from './proportion.ts';

const HALF_ALPHA = 0.025;

/**
 * The smallest exact coverage over the true rates `ps` at n. `exact`: the union with
 * Clopper–Pearson's interval; otherwise Wilson's alone.
 */
function worstCoverage(n: number, ps: number[], exact: boolean): { coverage: number; p: number } {
  const wilsons = Array.from({ length: n + 1 }, (_, yes) => wilson(yes / n, n) as Interval);
  const logN = logGamma(n + 1);
  let worst = { coverage: 1, p: NaN };
  for (const p of ps) {
    // Counts more than 12 standard deviations away carry under 1e-30 of the probability.
    const sd = Math.sqrt(n * p * (1 - p));
    const from = Math.max(0, Math.floor(n * p - 12 * sd - 3));
    const to = Math.min(n, Math.ceil(n * p + 12 * sd + 3));
    const pmf: number[] = [];
    let log = logN - logGamma(from + 1) - logGamma(n - from + 1) + from * Math.log(p) + (n - from) * Math.log1p(-p);
    const step = Math.log(p) - Math.log1p(-p);
    for (let yes = from; yes <= to; yes++) {
      pmf.push(Math.exp(log));
      log += Math.log((n - yes) / (yes + 1)) + step;
    }
    let below = 0; // P(X < yes)
    const total = pmf.reduce((a, b) => a + b, 0);
    let coverage = 0;
    for (let i = 0; i < pmf.length; i++) {
      const yes = from + i;
      const mass = pmf[i] as number;
      const w = wilsons[yes] as Interval;
      const atLeast = total - below; // P(X ≥ yes)
      const atMost = below + mass; // P(X ≤ yes)
      const lowOk = w.low <= p || (exact && (yes === 0 || atLeast >= HALF_ALPHA));
      const highOk = w.high >= p || (exact && (yes === n || atMost >= HALF_ALPHA));
      if (lowOk && highOk) coverage += mass;
      below += mass;
    }
    if (coverage < worst.coverage) worst = { coverage, p };
  }
  return worst;
}

const RATES = Array.from({ length: 500 }, (_, i) => 0.5 + i * 0.001);

describe('the overall rate’s 95% interval, exact coverage', () => {
  it('Wilson’s alone under-covers next to 100%: 83.8% at n = 32 (the finding this rule answers)', () => {
    expect(worstCoverage(32, [0.9945], false).coverage).toBeCloseTo(0.8382, 3);
  });

  it('the union of Wilson’s and Clopper–Pearson’s: at least 95% for every n from 30 to 2,000 and rate from 50% to 99.9%', () => {
    let worst = { coverage: 1, p: NaN, n: 0 };
    for (let n = 30; n <= 2_000; n++) {
      const w = worstCoverage(n, RATES, true);
      if (w.coverage < worst.coverage) worst = { ...w, n };
    }
    // The sum of probabilities is exact to about 1e-12.
    expect(worst.coverage, `n = ${worst.n}, p = ${worst.p}`).toBeGreaterThanOrEqual(0.95 - 1e-9);
  }, 120_000);

  it('binomialInterval’s exact bounds are the tail crossings the sweep reads', () => {
    for (const n of [30, 31, 77, 400]) {
      for (let yes = 1; yes < n; yes += Math.max(1, Math.floor(n / 13))) {
        const ci = binomialInterval(yes, n) as Interval;
        const w = wilson(yes / n, n) as Interval;
        // Where the exact bound is the one taken, P(X ≥ yes | low) = α/2 = P(X ≤ yes | high).
        if (ci.low < w.low) expect(1 - incompleteBeta(1 - ci.low, n - yes + 1, yes)).toBeCloseTo(HALF_ALPHA, 9);
        if (ci.high > w.high) expect(incompleteBeta(1 - ci.high, n - yes, yes + 1)).toBeCloseTo(HALF_ALPHA, 9);
      }
    }
  });

  it('the incomplete beta function against known values', () => {
    // I_x(1, 1) = x; I_x(a, 1) = x^a; I_0.5(a, a) = 0.5; I_0.3(2, 3) = 1 − 0.7⁴ − 4 · 0.3 · 0.7³.
    expect(incompleteBeta(0.37, 1, 1)).toBeCloseTo(0.37, 13);
    expect(incompleteBeta(0.9, 31, 1)).toBeCloseTo(0.9 ** 31, 13);
    expect(incompleteBeta(0.5, 800, 800)).toBeCloseTo(0.5, 10);
    expect(incompleteBeta(0.3, 2, 3)).toBeCloseTo(1 - 0.7 ** 4 - 4 * 0.3 * 0.7 ** 3, 13);
  });

  it('Clopper–Pearson by hand: 29 of 31 gives [78.6%, 99.2%] and 31 of 31 gives [88.8%, 100%]', () => {
    const few = binomialInterval(29, 31) as Interval;
    expect(few.low).toBeCloseTo(0.7858, 3);
    expect(few.high).toBeCloseTo(0.9921, 3);
    // 31 of 31: the lower bound is (α/2)^(1/n).
    const all = binomialInterval(31, 31) as Interval;
    expect(all.low).toBeCloseTo(0.025 ** (1 / 31), 10);
    expect(all.high).toBe(1);
    // Wilson's upper bound for 29 of 31 was 98.2%: a desk truly at 99.4% was left out of it.
    expect(wilson(29 / 31, 31)?.high).toBeCloseTo(0.9821, 4);
  });
});
