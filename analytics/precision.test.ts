import { describe, expect, it } from 'vitest';
import { answers, cellOf, cellWithScores, times } from '../test/support/respondents.ts';
import { sipasIndex } from './composite.ts';
import { DESK_FULL, deskTrust, itemDesignEffect, MIN_POOL_RESPONDENTS, poolTrust, precisionFromPool, RAMP_FULL, scoreInformation } from './precision.ts';

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
    const rows = [cellOf(times(750, answers('A5 B5 C5 D5 E5')), 1, 4), cellOf(times(750, answers('A5 B5 C5 D2 E2')), 2, 4)];
    // p = 0.8, s² = 0.04 × 1500 / 1499: ρ = 0.16 × 1499 / 60; 1,500 respondents are trusted fully.
    expect(precisionFromPool(rows, () => 5).scoreInformation(4)).toBeCloseTo((0.16 * 1499) / 60, 10);
    expect(precisionFromPool(rows, () => 5).itemDesignEffect(4)).toBeLessThan(5);
  });
});

describe('no respondent is a step (issue 18)', () => {
  const pool = (n: number) => cellOf([...times(n / 2, answers('A5 B5 C5 D5 E5')), ...times(n / 2, answers('A5 B5 C5 D2 E2'))], 1, 4);

  it('a pool is trusted in proportion between 300 and 1,500 respondents: ρ moves from 1 to its measured value smoothly', () => {
    expect([poolTrust(299), poolTrust(300), poolTrust(900), poolTrust(1_500), poolTrust(5_000)]).toEqual([0, 0, 0.5, 1, 1]);
    expect(RAMP_FULL).toBe(1_500);
    // 900 respondents: measured ρ = 0.16 × 899 / 36 = 3.996, half-trusted: 1 + 0.5 × 2.996.
    expect(precisionFromPool([pool(900)], () => 5).scoreInformation(4)).toBeCloseTo(1 + 0.5 * ((0.16 * 899) / 36 - 1), 10);
    // The design effect moves down from the number of criteria the same way.
    const deff = precisionFromPool([pool(900)], () => 5).itemDesignEffect(4);
    expect(deff).toBeCloseTo(5 + 0.5 * ((itemDesignEffect(pool(900)) ?? NaN) - 5), 10);
    // From 298 to 302 respondents ρ changes by less than 0.01: there was a jump from 1 to 4 at 300.
    const at = (n: number) => precisionFromPool([pool(n)], () => 5).scoreInformation(4);
    expect(Math.abs(at(302) - at(298))).toBeLessThan(0.01);
  });

  it('a view’s own respondents are taken out of the pool its precision is read from', () => {
    const view = cellOf(times(600, answers('A5 B5 C5 D5 E5')), 9, 4);
    const all = precisionFromPool([pool(1_800), view], () => 5);
    // Without the view the pool is the 1,800 half-and-half respondents: ρ = 0.16 × 1799 / 72.
    expect(all.without?.([view]).scoreInformation(4)).toBeCloseTo((0.16 * 1799) / 72, 10);
    // With it, the 600 perfect scores would have counted in their own favour.
    expect(all.scoreInformation(4)).not.toBeCloseTo((0.16 * 1799) / 72, 3);
    // A view that is the whole pool leaves nothing: the safe side.
    expect(all.without?.([pool(1_800), view]).scoreInformation(4)).toBe(1);
  });
});

describe('a desk whose citizens answer alike is read at its own, smaller information (issue 18: a counter tablet)', () => {
  // The province: 1,500 respondents at desks 1 and 2, half perfect, half unhappy with two elements (ρ ≈ 4).
  const province = [cellOf(times(750, answers('A5 B5 C5 D5 E5')), 1, 4), cellOf(times(750, answers('A5 B5 C5 D2 E2')), 2, 4)];
  // Desk 7, a tablet where people press one key for everything: all 5 or all 2.
  const tablet = (n: number) => cellOf([...times(n / 2, answers('A5 B5 C5 D5 E5')), ...times(n / 2, answers('A2 B2 C2 D2 E2'))], 7, 4);
  const view = tablet(40);

  it('its history, without the view, takes ρ down to 1 and the design effect up to the number of criteria', () => {
    const precision = precisionFromPool([...province, tablet(300), view], () => 5).without?.([view]);
    const provinceRho = precisionFromPool([...province, tablet(300)], () => 5).scoreInformation(4);
    expect(provinceRho).toBeGreaterThan(2);
    expect(precision?.scoreInformation(4)).toBeCloseTo(provinceRho, 10);
    expect(precision?.scoreInformation(4, 7)).toBe(1);
    expect(precision?.itemDesignEffect(4, 7)).toBeCloseTo(5, 2);
    // Other desks keep the province's figures.
    expect(precision?.scoreInformation(4, 1)).toBeCloseTo(provinceRho, 10);
  });

  it('so its 40 respondents count as 40 answers, not as 40 × ρ of the province', () => {
    const pool = precisionFromPool([...province, tablet(300), view], () => 5);
    expect(sipasIndex([view], pool).nEff).toBeCloseTo(40, 6);
    // Without the history, the province's ρ would have made the interval about twice as narrow.
    const noHistory = precisionFromPool([...province, view], () => 5);
    expect(sipasIndex([view], noHistory).nEff).toBeGreaterThan(80);
  });

  it('is trusted from nothing at 30 respondents to fully at 300, so no respondent is a step', () => {
    expect([deskTrust(30), deskTrust(165), deskTrust(DESK_FULL), deskTrust(1_000)]).toEqual([0, 0.5, 1, 1]);
    const all = (n: number) => precisionFromPool([...province, tablet(n)], () => 5);
    const rho = all(166).scoreInformation(4);
    // 165 respondents at the desk: its ρ (1) is half-trusted.
    expect(deskTrust(166)).toBeCloseTo(136 / 270, 12);
    expect(all(166).scoreInformation(4, 7)).toBeCloseTo(rho + (136 / 270) * (1 - rho), 10);
    expect(Math.abs(all(32).scoreInformation(4, 7) - all(30).scoreInformation(4, 7))).toBeLessThan(0.1);
  });

  it('is a floor only: a desk whose answers agree less than the province’s keeps the province’s figures', () => {
    // Scores 1 and 0.8 only: p = 0.867 with little spread, ρ far above the province's.
    const varied = cellOf([...times(100, answers('A5 B5 C5 D5 E5')), ...times(200, answers('A5 B5 C5 D5 E2'))], 8, 4);
    expect(scoreInformation(varied, 30)).toBeGreaterThan(4.5);
    const precision = precisionFromPool([...province, varied], () => 5);
    expect(precision.scoreInformation(4, 8)).toBe(precision.scoreInformation(4));
    expect(precision.itemDesignEffect(4, 8)).toBe(precision.itemDesignEffect(4));
  });
});
