import { describe, expect, it } from 'vitest';
import { answers, cellOf, cellWithScores, times } from '../test/support/respondents.ts';
import { itemDesignEffect, MIN_POOL_RESPONDENTS, precisionFromPool, scoreInformation } from './precision.ts';

describe('information per respondent, from the pool (hand-computed)', () => {
  it('ρ = p(1−p)/s²: half the pool at 100%, half at 60% on a 5-criterion form', () => {
    const pool = cellOf([...times(150, answers('A5 B5 C5 D5 E5')), ...times(150, answers('A5 B5 C5 D2 E2'))]);
    // p = 0.8; Σx = 240, Σx² = 150 + 54 = 204; s² = (204 − 240²/300) / 299 = 12/299; ρ = 0.16 / (12/299) = 3.9867
    expect(scoreInformation(pool)).toBeCloseTo((0.16 * 299) / 12, 10);
  });

  it('is kept between 1 and the mean number of criteria answered', () => {
    // Answers independent would give ρ ≈ 5, but a respondent answers only 2 criteria here.
    const pool = cellOf([...times(160, answers('A5 B5')), ...times(80, answers('A5 B2')), ...times(60, answers('A2 B5'))]);
    expect(scoreInformation(pool)).toBeLessThanOrEqual(2);
    // Everyone either 0 or 1: one answer's worth.
    const zeroOrOne = Array.from({ length: 300 }, (_, i) => (i < 200 ? 1 : 0));
    expect(scoreInformation({ ...cellWithScores(zeroOrOne, 1, 1), ratio: { respondents: 300, x: 1500, y: 1000, xx: 7500, yy: 5000, xy: 5000 } })).toBe(1);
  });

  it('no usable pool: under 300 respondents, or all at 100%', () => {
    expect(MIN_POOL_RESPONDENTS).toBe(300);
    expect(scoreInformation(cellOf(times(299, answers('A5 B2'))))).toBeNull();
    expect(scoreInformation(cellOf(times(400, answers('A5 B5'))))).toBeNull();
    expect(itemDesignEffect(cellOf(times(400, answers('A5 B5'))))).toBeNull();
  });

  it('design effect of the item rate: answers that always agree within a respondent cost the full cluster size', () => {
    const alike = cellOf([...times(200, answers('A5 B5 C5 D5')), ...times(200, answers('A2 B2 C2 D2'))]);
    expect(itemDesignEffect(alike)).toBeCloseTo(4, 2);
  });

  it('the safe side without a pool: ρ = 1 and deff = the number of criteria', () => {
    const p = precisionFromPool([], (q) => (q === 3 ? 22 : 5));
    expect(p.scoreInformation(3)).toBe(1);
    expect(p.itemDesignEffect(3)).toBe(22);
  });

  it('pools a version’s rows from several desks and fields before measuring', () => {
    const rows = [cellOf(times(150, answers('A5 B5 C5 D5 E5')), 1, 4), cellOf(times(150, answers('A5 B5 C5 D2 E2')), 2, 4)];
    expect(precisionFromPool(rows, () => 5).scoreInformation(4)).toBeCloseTo((0.16 * 299) / 12, 10);
    expect(precisionFromPool(rows, () => 5).itemDesignEffect(4)).toBeLessThan(5);
  });
});
