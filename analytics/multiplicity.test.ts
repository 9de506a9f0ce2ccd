import { describe, expect, it } from 'vitest';
import { benjaminiHochbergThreshold, tableVerdicts } from './multiplicity.ts';
import { normalUpperTail } from './normal.ts';
import { binomialInterval, proportion } from './proportion.ts';
import { seeded } from '../test/support/respondents.ts';
import { FINAL, judge, PROVISIONAL, pValues } from './verdict.ts';

const unit = (yes: number, n: number) => {
  const p = proportion(yes, n);
  return { result: { value: p.value, n, nEff: n, ci: p.ci }, target: 0.87 };
};

describe('Benjamini–Hochberg step-up', () => {
  it('rejects up to the largest p(i) ≤ i·q/m (hand-computed)', () => {
    // m = 5, q = 5%: thresholds 1%, 2%, 3%, 4%, 5%. 0.001 and 0.008 pass; 0.039 > 3%, 0.041 > 4%, 0.6 > 5%.
    expect(benjaminiHochbergThreshold([0.6, 0.039, 0.001, 0.041, 0.008], 0.05)).toBe(0.008);
    // Step-up: 0.045 ≤ 5% lets every smaller one through, even 0.035 > 3%.
    expect(benjaminiHochbergThreshold([0.035, 0.04, 0.045, 0.03, 0.02], 0.05)).toBe(0.045);
    expect(benjaminiHochbergThreshold([0.2, 0.3], 0.05)).toBe(-1);
  });
});

describe('verdicts of a small ranking table against 87%', () => {
  it('units decided on their own but not after the adjustment read "inconclusive", with their own verdict kept', () => {
    const rows = [unit(960, 1000), unit(95, 100), unit(30, 30), unit(870, 1000), unit(80, 100), unit(700, 1000), unit(10, 20)];
    // One-sided p-values from the score z = (p − 0.87) / √(0.87·0.13/n):
    const z = (p: number, n: number) => (p - 0.87) / Math.sqrt((0.87 * 0.13) / n);
    expect(pValues(rows[1]?.result as never, 0.87)?.met).toBeCloseTo(normalUpperTail(z(0.95, 100)), 12); // 0.0087
    expect(pValues(rows[2]?.result as never, 0.87)?.met).toBeCloseTo(normalUpperTail(z(1, 30)), 12); // 0.0171
    expect(pValues(rows[4]?.result as never, 0.87)?.notMet).toBeCloseTo(normalUpperTail(-z(0.8, 100)), 12); // 0.0187
    // Six units judged (the last has too few responses): BH thresholds i × 2.5% / 6 = 0.42%, 0.83%, 1.25%, ...
    // "met": ~0 passes 0.42%; 0.87% > 0.83% and 1.71% > 1.25%: only the first is met.
    // "not met": ~0 passes 0.42%; 1.87% > 0.83%: only 700/1000 is not met.
    const verdicts = tableVerdicts(rows, FINAL, 30);
    expect(verdicts.map((v) => v.own)).toEqual(['met', 'met', 'met', 'inconclusive', 'not_met', 'not_met', 'insufficient']);
    expect(verdicts.map((v) => v.verdict)).toEqual(['met', 'inconclusive', 'inconclusive', 'inconclusive', 'inconclusive', 'not_met', 'insufficient']);
    // With only the first three units in the table: 0.87% ≤ 1.67% and 1.71% ≤ 2.5%, all three are met.
    expect(tableVerdicts(rows.slice(0, 3), FINAL, 30).map((v) => v.verdict)).toEqual(['met', 'met', 'met']);
  });

  it('the p-value and the interval say the same thing: p ≤ 2.5% exactly when the 95% lower bound clears the target', () => {
    for (const [yes, n] of [[95, 100], [94, 100], [30, 30], [29, 30], [900, 1000], [890, 1000]] as const) {
      const r = unit(yes, n).result;
      expect((pValues(r, 0.87)?.met ?? 1) <= 0.025, `${yes}/${n}`).toBe((r.ci?.low ?? 0) > 0.87);
    }
  });

  it('with counts, the p-values agree with the exact-and-Wilson interval at both levels, both ways', () => {
    const counted = (yes: number, n: number) => ({ ...unit(yes, n).result, counts: { yes, n } });
    for (const [yes, n] of [[42, 60], [44, 60], [71, 100], [75, 100], [95, 100], [30, 30], [10, 30], [870, 1000], [845, 1000]] as const) {
      for (const level of [FINAL, PROVISIONAL]) {
        const r = counted(yes, n);
        const p = pValues(r, 0.87);
        const ci = binomialInterval(yes, n, level.z, level.alpha);
        expect((p?.notMet ?? 1) <= level.alpha, `${yes}/${n} not met at ${level.level}`).toBe((ci?.high ?? 1) <= 0.87);
        expect((p?.met ?? 1) <= level.alpha, `${yes}/${n} met at ${level.level}`).toBe((ci?.low ?? 0) > 0.87);
      }
    }
    // 71 of 100 at 87%: the score test says 9.6e-7 (z = −4.76), the exact tail P(X ≤ 71) = 1.9e-5, twenty times more.
    expect(pValues(counted(71, 100), 0.87)?.notMet).toBeCloseTo(1.94e-5, 6);
  });

  it('a unit without a target is not judged and does not count in the family', () => {
    const verdicts = tableVerdicts([{ ...unit(95, 100), target: null }, unit(95, 100)], FINAL, 30);
    expect(verdicts).toEqual([{ verdict: null, own: null }, { verdict: 'met', own: 'met' }]);
  });
});

describe('the alerts\' false alarms (issue 22): 130 units exactly at the target', () => {
  it('2,000 tables of 130 units, 100 answers each drawn at a true 87%: a false "under the target" in at most 1 table in 2,000 or so', () => {
    const random = seeded(7);
    let tablesWithAny = 0;
    let falseUnits = 0;
    let ownFalse = 0;
    for (let table = 0; table < 2000; table++) {
      const rows = Array.from({ length: 130 }, () => {
        let yes = 0;
        for (let i = 0; i < 100; i++) if (random() < 0.87) yes++;
        const p = proportion(yes, 100);
        return { result: { value: p.value, n: 100, nEff: 100, ci: p.ci, counts: { yes, n: 100 } }, target: 0.87 };
      });
      const wrong = tableVerdicts(rows, PROVISIONAL, 30).filter((v) => v.verdict === 'not_met').length;
      if (wrong > 0) tablesWithAny++;
      falseUnits += wrong;
      ownFalse += rows.filter((r) => judge(r.result, 0.87, PROVISIONAL, 30) === 'not_met').length;
    }
    // Measured with this seed: no table of 2,000 (it was 4, 0.2%, while the p-values were the score
    // test's alone); each unit on its own at 99.9%: 92 of 260,000 (0.035%, under the 0.05% of a
    // one-sided exact bound). docs/alerts.md states these rates.
    // What any seed must keep: each unit's own false "under" within the interval's 0.05%, and far
    // fewer tables with a false alert than the 130 × 0.05% = 6.5% that 130 separate looks allow.
    expect(ownFalse / 260_000).toBeLessThan(0.0005);
    expect(tablesWithAny / 2000).toBeLessThan(0.0025);
    expect(falseUnits).toBeLessThan(2 * tablesWithAny + 1);
  });
});
