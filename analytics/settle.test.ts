import { describe, expect, it } from 'vitest';
import type { MeasureResult } from './proportion.ts';
import { wilson } from './proportion.ts';
import { responsesToSettle } from './settle.ts';
import { FINAL, judge, PROVISIONAL } from './verdict.ts';

const at = (value: number, n: number, perRespondent = 1): MeasureResult => ({ value, n, nEff: n * perRespondent, ci: wilson(value, n * perRespondent) });

describe('how many more responses would settle an inconclusive verdict', () => {
  it('90% of 100 against 87%: n_eff must exceed 1.96² × 0.87 × 0.13 / 0.03² = 482.8, so 483 respondents, 383 more', () => {
    const s = responsesToSettle(at(0.9, 100), 0.87, FINAL);
    expect(s).toEqual({ more: 383, towards: 'met' });
    // At that many it is met; one fewer is still inconclusive.
    expect(judge(at(0.9, 483), 0.87, FINAL)).toBe('met');
    expect(judge(at(0.9, 482), 0.87, FINAL)).toBe('inconclusive');
  });

  it('below the target: 84% of 200 against 87% needs 483 (0.03 away either side), 283 more', () => {
    expect(responsesToSettle(at(0.84, 200), 0.87, FINAL)).toEqual({ more: 283, towards: 'not_met' });
    expect(judge(at(0.84, 483), 0.87, FINAL)).toBe('not_met');
    expect(judge(at(0.84, 482), 0.87, FINAL)).toBe('inconclusive');
  });

  it('a respondent worth two answers (composite) needs half as many; a provisional period needs more', () => {
    expect(responsesToSettle(at(0.9, 100, 2), 0.87, FINAL)).toEqual({ more: 142, towards: 'met' });
    const provisional = responsesToSettle(at(0.9, 100), 0.87, PROVISIONAL);
    expect(provisional?.more).toBe(Math.floor((PROVISIONAL.z ** 2 * 0.87 * 0.13) / 0.0009) + 1 - 100);
  });

  it('a value exactly at the target never settles; a settled verdict needs none; at least the minimum n', () => {
    expect(responsesToSettle(at(0.87, 1000), 0.87, FINAL)).toBeNull();
    expect(responsesToSettle(at(0.99, 1000), 0.87, FINAL)).toEqual({ more: 0, towards: 'met' });
    expect(responsesToSettle(at(1, 5), 0.5, FINAL)).toEqual({ more: 25, towards: 'met' });
  });
});
