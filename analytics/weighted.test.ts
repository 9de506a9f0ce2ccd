/**
 * The weighted figure (post-stratification by dossiers) and its interval: hand-computed cases, and
 * the interval's coverage simulated where a province's desks are (few answers per desk and field,
 * response rates that differ tenfold, true rates from 60% to 99.5%), with a seeded generator so the
 * same citizens are drawn every run.
 */
import { describe, expect, it } from 'vitest';
import { seeded } from '../test/support/respondents.ts';
import { NO_RESULT } from './proportion.ts';
import { postStratify, type WeightedCell } from './weighted.ts';

const cell = (dossiers: number, yes: number, n: number): WeightedCell => ({ dossiers, result: { value: yes / n, n, nEff: n, ci: null } });

describe('post-stratification by dossiers resolved', () => {
  it('weights by dossiers, not by answers: a desk answered ten times as often no longer decides', () => {
    // 90 of 100 at a desk of 100 dossiers, 5 of 10 at a desk of 1,000: as answered 95/110 = 86.4%, weighted (100·0.9 + 1,000·0.5)/1,100 = 53.6%.
    const w = postStratify([cell(100, 90, 100), cell(1000, 5, 10)]);
    expect(w.value).toBeCloseTo(590 / 1100, 12);
    expect(w.uncoveredShare).toBe(0);
    expect(w.n).toBe(110);
  });

  it('never fills a cell without answers: its dossiers are the share not covered', () => {
    const w = postStratify([cell(300, 27, 30), { dossiers: 100, result: NO_RESULT }]);
    expect(w.value).toBeCloseTo(0.9, 12);
    expect([w.dossiers, w.uncovered, w.uncoveredShare]).toEqual([400, 100, 0.25]);
    expect(postStratify([{ dossiers: 50, result: NO_RESULT }])).toMatchObject({ value: null, ci: null, uncoveredShare: 1 });
    expect(postStratify([])).toMatchObject({ value: null, uncoveredShare: null });
  });

  it('a unanimous small cell keeps its uncertainty, and weights proportional to answers lose nothing', () => {
    // 3 of 3 satisfied: q = 4/5, Var = 0.8·0.2/3 = 0.05333, n_eff = 0.16/0.05333 = 3.
    const small = postStratify([cell(10, 3, 3)]);
    expect(small.value).toBe(1);
    expect(small.nEff).toBeCloseTo(3, 9);
    expect(small.ci?.low).toBeCloseTo(0.438503, 5);
    // Dossiers in proportion to answers: n_eff stays near n (smoothing takes a little).
    const even = postStratify([cell(100, 80, 100), cell(200, 180, 200)]);
    expect(even.value).toBeCloseTo(260 / 300, 12);
    expect(even.nEff).toBeGreaterThan(290);
    expect(even.nEff).toBeLessThanOrEqual(300);
  });

  it.each([false, true])('its interval at 95 in 100 (exact: %s) holds the truth in at least 94 of 100 draws where desks are', (exact) => {
    const draw = seeded(20);
    // [dossiers, answers, true rate] per cell.
    const provinces: [number, number, number][][] = [
      [[100, 10, 0.8], [300, 30, 0.9], [200, 40, 0.75]],
      [[1000, 5, 0.95], [200, 60, 0.9], [50, 100, 0.99]],
      [[400, 8, 0.97], [400, 12, 0.92], [400, 40, 0.85], [100, 200, 0.9]],
      [[300, 30, 0.99], [300, 30, 0.98], [300, 30, 0.995]],
      [[1000, 3, 0.9], [1000, 3, 0.6], [10, 300, 0.95]],
      [[500, 15, 0.5], [500, 15, 0.7]],
    ];
    const REPEATS = 3000;
    for (const province of provinces) {
      const dossiers = province.reduce((a, [d]) => a + d, 0);
      const truth = province.reduce((a, [d, , p]) => a + d * p, 0) / dossiers;
      let held = 0;
      for (let r = 0; r < REPEATS; r++) {
        const cells = province.map(([d, n, p]) => {
          let yes = 0;
          for (let i = 0; i < n; i++) if (draw() < p) yes++;
          return cell(d, yes, n);
        });
        const ci = postStratify(cells, { exact }).ci;
        if (ci && ci.low <= truth && truth <= ci.high) held++;
      }
      expect(held / REPEATS, `coverage at a true rate of ${truth}`).toBeGreaterThanOrEqual(0.94);
    }
  });
});
