import { describe, expect, it } from 'vitest';
import type { MeasureResult } from './proportion.ts';
import { NO_RESULT, wilson } from './proportion.ts';
import { answers, cellOf, cellWithScores, times } from '../test/support/respondents.ts';
import { itemRate, sipasIndex } from './composite.ts';
import type { CellMoments } from './moments.ts';
import { FAR_TO_SETTLE, responsesToSettle } from './settle.ts';
import { FINAL, judge, PROVISIONAL } from './verdict.ts';

const at = (value: number, n: number, perRespondent = 1): MeasureResult => ({ value, n, nEff: n * perRespondent, ci: wilson(value, n * perRespondent) });

describe('how many more responses would settle an inconclusive verdict', () => {
  it('90% of 100 against 87%: n_eff must exceed 1.96² × 0.87 × 0.13 / 0.03² = 482.8, so 483 respondents, 383 more', () => {
    const s = responsesToSettle(at(0.9, 100), 0.87, FINAL);
    expect(s).toEqual({ more: 383, towards: 'met', reason: null });
    // At that many it is met; one fewer is still inconclusive.
    expect(judge(at(0.9, 483), 0.87, FINAL)).toBe('met');
    expect(judge(at(0.9, 482), 0.87, FINAL)).toBe('inconclusive');
  });

  it('below the target: 84% of 200 against 87% needs 483 (0.03 away either side), 283 more', () => {
    expect(responsesToSettle(at(0.84, 200), 0.87, FINAL)).toEqual({ more: 283, towards: 'not_met', reason: null });
    expect(judge(at(0.84, 483), 0.87, FINAL)).toBe('not_met');
    expect(judge(at(0.84, 482), 0.87, FINAL)).toBe('inconclusive');
  });

  it('a respondent worth two answers (composite) needs half as many; a provisional period needs more', () => {
    expect(responsesToSettle(at(0.9, 100, 2), 0.87, FINAL)).toEqual({ more: 142, towards: 'met', reason: null });
    const provisional = responsesToSettle(at(0.9, 200), 0.87, PROVISIONAL);
    expect(provisional?.more).toBe(Math.floor((PROVISIONAL.z ** 2 * 0.87 * 0.13) / 0.0009) + 1 - 200);
  });

  it('a value exactly at the target never settles; a settled verdict needs none; at least the minimum n', () => {
    expect(responsesToSettle(at(0.87, 1000), 0.87, FINAL)).toEqual({ more: null, towards: null, reason: 'on-target' });
    expect(responsesToSettle(at(0.99, 1000), 0.87, FINAL)).toEqual({ more: 0, towards: 'met', reason: null });
    expect(responsesToSettle(at(1, 5), 0.5, FINAL)).toEqual({ more: 25, towards: 'met', reason: null });
    expect(responsesToSettle(NO_RESULT, 0.87, FINAL)).toBeNull();
    expect(responsesToSettle(at(0.9, 100), 1, FINAL)).toBeNull();
  });

  it('a value a floating-point hair off the target is on it (issue 18: 4.68e30 for an index "on" 90%)', () => {
    // 90.00000000000003%: what a composite exactly on 90% comes out as.
    expect(responsesToSettle(at(0.9 + 3e-16, 500, 0.6), 0.9, PROVISIONAL)).toEqual({ more: null, towards: null, reason: 'on-target' });
    expect(responsesToSettle(at(0.1 + 0.2 + 0.6, 500), 0.9, FINAL)).toEqual({ more: null, towards: null, reason: 'on-target' });
    // 1e-8 away is not on the target, and is far beyond ten times the respondents.
    expect(responsesToSettle(at(0.87 + 1e-8, 500), 0.87, FINAL)).toEqual({ more: null, towards: 'met', reason: 'too-many' });
  });

  it('past ten times the respondents so far there is no number, with the reason; up to ten times there is', () => {
    // 88% of 100 against 87%: n_eff must exceed 1.96² × 0.87 × 0.13 / 0.01² = 4344.9: 4245 more, over 1000.
    expect(responsesToSettle(at(0.88, 100), 0.87, FINAL)).toEqual({ more: null, towards: 'met', reason: 'too-many' });
    // The same at 500 respondents: 3845 more, within 5000.
    expect(responsesToSettle(at(0.88, 500), 0.87, FINAL)).toEqual({ more: 3845, towards: 'met', reason: null });
    // Exactly ten times is still a number: 90% of 44 against 87% needs 483 respondents, 439 more, within 440.
    expect(responsesToSettle(at(0.9, 44), 0.87, FINAL)).toEqual({ more: 439, towards: 'met', reason: null });
    expect(responsesToSettle(at(0.9, 43), 0.87, FINAL)).toEqual({ more: null, towards: 'met', reason: 'too-many' });
  });

  it('on a grid of values 0.5–1 (exact targets among them, built as floating sums) and n 1–2000: finite, non-negative, null beyond 10x', () => {
    // Values in steps of 0.005 accumulated by addition, so 0.85, 0.87 and 0.9 come out a hair off.
    const values: number[] = [];
    for (let v = 0.5, i = 0; i <= 100; i++, v += 0.005) values.push(v);
    expect(values.some((v) => v !== 0.87 && Math.abs(v - 0.87) < 1e-12)).toBe(true);
    const targets = [0.85, 87 / 100, 0.9, 0.1 * 9];
    const sizes = [1, 2, 3, 7, 29, 30, 31, 44, 99, 100, 250, 483, 999, 1000, 1500, 2000];
    let numbers = 0;
    let tooMany = 0;
    let onTarget = 0;
    for (const target of targets) {
      for (const value of values) {
        for (const n of sizes) {
          for (const perRespondent of [1, 0.37]) {
            const m = at(value, n, perRespondent);
            for (const confidence of [FINAL, PROVISIONAL]) {
              const s = responsesToSettle(m, target, confidence);
              expect(s, `${value} of ${n} against ${target}`).not.toBeNull();
              if (s === null) continue;
              if (Math.abs(value - target) < 1e-9) {
                expect(s, `${value} against ${target}`).toEqual({ more: null, towards: null, reason: 'on-target' });
                onTarget++;
              } else if (s.more === null) {
                expect(s.reason).toBe('too-many');
                expect(s.towards).toBe(value > target ? 'met' : 'not_met');
                tooMany++;
              } else {
                expect(Number.isFinite(s.more) && Number.isInteger(s.more) && s.more >= 0, `${value} of ${n} against ${target}: ${s.more}`).toBe(true);
                expect(s.more).toBeLessThanOrEqual(FAR_TO_SETTLE * n);
                // It does settle: at n + more respondents (the same share per respondent) the verdict is reached.
                if (n + s.more >= 30) expect(judge(at(value, n + s.more, perRespondent), target, confidence)).toBe(s.towards);
                numbers++;
              }
            }
          }
        }
      }
    }
    expect(onTarget).toBeGreaterThan(0);
    expect(tooMany).toBeGreaterThan(0);
    expect(numbers).toBeGreaterThan(0);
  });
});

describe('a desk that moved to a new questionnaire version is settled by answers on the new one (issue 18)', () => {
  // Desk 1: 50 respondents on version 1 (used until October, ρ = 1), then 10 on version 2 (ρ = 10),
  // every score 95%. Against 90% the view is inconclusive; new respondents answer version 2.
  const precision = { scoreInformation: (q: number) => (q === 2 ? 10 : 1), itemDesignEffect: (q: number) => (q === 2 ? 1.5 : 5) };
  const view = (onNew: number): CellMoments[] => [
    { ...cellWithScores(Array<number>(50).fill(0.95), 1, 1), lastDay: '2026-10-31' },
    { ...cellWithScores(Array<number>(10 + onNew).fill(0.95), 1, 2), lastDay: '2026-11-20' },
  ];

  it('the figure is the number of version-2 respondents after which it is "met", and one fewer is not', () => {
    const s = responsesToSettle(sipasIndex(view(0), precision), 0.9, FINAL);
    expect(s?.towards).toBe('met');
    const more = s?.more ?? NaN;
    expect(judge(sipasIndex(view(more), precision), 0.9, FINAL)).toBe('met');
    expect(judge(sipasIndex(view(more - 1), precision), 0.9, FINAL)).toBe('inconclusive');
    // n_eff / n (70.6 / 60 a respondent) would have asked for far more: (E / 1.18) − 60.
    const old = responsesToSettle({ ...sipasIndex(view(0), precision), growth: undefined }, 0.9, FINAL);
    expect(old?.more).toBeGreaterThan(2 * more);
  });

  it('the item rate too: new answers at version 2’s design effect', () => {
    const cells = (onNew: number): CellMoments[] => [
      { ...cellOf(times(50, answers('A5 B5 C5 D5 E2'))), lastDay: '2026-10-31' },
      { ...cellOf(times(10 + onNew, answers('A5 B5 C5 D5 E2')), 1, 2), lastDay: '2026-11-20' },
    ];
    const s = responsesToSettle(itemRate(cells(0), precision), 0.7, FINAL);
    const more = s?.more ?? NaN;
    expect(s?.towards).toBe('met');
    expect(judge(itemRate(cells(more), precision), 0.7, FINAL)).toBe('met');
    expect(judge(itemRate(cells(more - 1), precision), 0.7, FINAL)).toBe('inconclusive');
  });

  it('without the day a cell was last used (old rollups), n_eff / n as before', () => {
    const cells = view(0).map(({ lastDay: _, ...c }) => c);
    expect(sipasIndex(cells, precision).growth).toBeUndefined();
  });
});
