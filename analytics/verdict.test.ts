import { describe, expect, it } from 'vitest';
import { type MeasureResult, proportion, wilson } from './proportion.ts';
import { confidenceFor, FINAL, intervalAt, judge, PROVISIONAL, verdict } from './verdict.ts';

describe('verdict against a target ("trên 87%" is strictly above)', () => {
  it('met when the whole interval is above the target', () => {
    const p = proportion(960, 1000); // 94.7% .. 97.1%
    expect(verdict(p.value, p.n, p.ci, 0.9)).toBe('met');
  });

  it('not met when the whole interval is at or below it', () => {
    const p = proportion(700, 1000);
    expect(verdict(p.value, p.n, p.ci, 0.87)).toBe('not_met');
  });

  it('inconclusive when the interval straddles the target', () => {
    const p = proportion(88, 100);
    expect(verdict(p.value, p.n, p.ci, 0.87)).toBe('inconclusive');
  });

  it('an interval whose upper bound is exactly the target is not met; a lower bound exactly at it is not yet met', () => {
    expect(verdict(0.8, 100, { low: 0.7, high: 0.87 }, 0.87)).toBe('not_met');
    expect(verdict(0.9, 100, { low: 0.87, high: 0.95 }, 0.87)).toBe('inconclusive');
  });

  it('a value exactly at the target with a tight interval is inconclusive, never met', () => {
    const p = proportion(8700, 10000);
    expect(verdict(p.value, p.n, p.ci, 0.87)).toBe('inconclusive');
  });

  it('too few responses under the minimum n (default 30, configurable)', () => {
    const p = proportion(29, 29);
    expect(verdict(p.value, p.n, p.ci, 0.87)).toBe('insufficient');
    expect(verdict(p.value, p.n, p.ci, 0.5, 20)).toBe('met');
    expect(verdict(null, 0, null, 0.87)).toBe('insufficient');
  });
});

describe('provisional verdicts use a 99.9% interval until the period ends', () => {
  const m = (yes: number, n: number): MeasureResult => ({ value: yes / n, n, nEff: n, ci: wilson(yes / n, n) });

  it('920 of 1000 against 90%: met at 95% (lower bound 90.2%), inconclusive while provisional (lower bound 88.7%)', () => {
    expect(intervalAt(m(920, 1000), FINAL)?.low).toBeCloseTo(0.9015, 3);
    expect(intervalAt(m(920, 1000), PROVISIONAL)?.low).toBeCloseTo(0.8871, 3);
    expect(judge(m(920, 1000), 0.9, confidenceFor(false))).toBe('met');
    expect(judge(m(920, 1000), 0.9, confidenceFor(true))).toBe('inconclusive');
  });

  it('a clear result is met either way; the 95% interval of a measure is its own', () => {
    expect(judge(m(980, 1000), 0.9, PROVISIONAL)).toBe('met');
    expect(judge(m(700, 1000), 0.87, PROVISIONAL)).toBe('not_met');
    expect(intervalAt(m(920, 1000), FINAL)).toEqual(m(920, 1000).ci);
    expect(PROVISIONAL).toMatchObject({ level: 0.999, alpha: 0.0005 });
  });
});
