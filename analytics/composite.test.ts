import { describe, expect, it } from 'vitest';
import { answers, cellOf, cellWithScores, times } from '../test/support/respondents.ts';
import { itemRate, missingElements, sipasIndex } from './composite.ts';
import { precisionFromPool, unpooledPrecision } from './precision.ts';
import { wilson } from './proportion.ts';
import { summarizeRespondent } from './respondent.ts';
import { FINAL, intervalAt, judge, PROVISIONAL } from './verdict.ts';

const c = (n1: number, n2: number, n3: number, n4: number, n5: number, n0 = 0) => ({ n0, n1, n2, n3, n4, n5 });
const noPool = unpooledPrecision(() => 5);
/** A precision with a chosen ρ and design effect per version, as a pool would give. */
const fixed = (rho: Record<number, number>, deff: Record<number, number> = {}) => ({
  scoreInformation: (q: number) => rho[q] ?? 1,
  itemDesignEffect: (q: number) => deff[q] ?? 5,
});

describe('respondent summary', () => {
  it('scores A [5, 3] = 50%, B [4] = 100%, C no opinion skipped: 75%, not all satisfied', () => {
    expect(summarizeRespondent(answers('A5 A3 B4 C-'))).toEqual({ score: 0.75, allSatisfied: false, items: 3, itemsSatisfied: 2 });
  });

  it('only "no opinion": no score', () => {
    expect(summarizeRespondent(answers('A-'))).toEqual({ score: null, allSatisfied: null, items: 0, itemsSatisfied: 0 });
  });

  it('every answered criterion 4-5 is comprehensive satisfaction', () => {
    expect(summarizeRespondent(answers('A4 B5 B-')).allSatisfied).toBe(true);
  });
});

describe('SIPAS index = mean of the respondents’ own scores', () => {
  it('without "no opinion" it equals the mean over elements of the mean criterion rates', () => {
    // Element A has criteria a1, a2; element B has b1. Four respondents:
    const respondents = [answers('A5 A5 B5'), answers('A5 A3 B4'), answers('A2 A5 B2'), answers('A4 A4 B1')];
    // Criterion rates: a1 3/4, a2 3/4, b1 2/4 -> A = 75%, B = 50% -> 62.5%.
    // Scores: (1 + 1)/2, (0.5 + 1)/2, (0.5 + 0)/2, (1 + 0)/2 = 1, 0.75, 0.25, 0.5 -> mean 62.5%.
    const result = sipasIndex([cellOf(respondents)], noPool);
    expect(result.value).toBeCloseTo(0.625, 12);
    expect(result.n).toBe(4);
  });

  it('with "no opinion", value and interval are the same statistic: the interval is Wilson’s at n_eff around that value', () => {
    const respondents = [answers('A5 A- B4'), answers('A- A- B2'), answers('A3 A5 B-'), answers('A- A- B-')];
    // Scores 1, 0, 0.5; the fourth has none and is not counted.
    const result = sipasIndex([cellOf(respondents)], fixed({ 1: 2 }));
    expect(result.value).toBeCloseTo(0.5, 12);
    expect(result.n).toBe(3);
    expect(result.nEff).toBeCloseTo(6, 12);
    expect(result.ci).toEqual(wilson(0.5, 6));
  });

  it('two desks the criterion-pooled formula put at 75% each but pooled to 58.3%: respondent scores give 50%, 50% and 50%', () => {
    // Desk 1: criterion A answered by 2 (both satisfied), B by 10 (5 satisfied): criterion-pooled (100 + 50)/2 = 75%.
    // Desk 2 mirrors it. Pooled criterion rates: A 7/12, B 7/12 = 58.3%. Respondent scores stay collapsible.
    const desk1 = [...times(2, answers('A5 B5')), ...times(3, answers('A- B5')), ...times(5, answers('A- B2'))];
    const desk2 = [...times(2, answers('A5 B5')), ...times(3, answers('A5 B-')), ...times(5, answers('A2 B-'))];
    const one = sipasIndex([cellOf(desk1, 1)], noPool).value ?? NaN;
    const two = sipasIndex([cellOf(desk2, 2)], noPool).value ?? NaN;
    const both = sipasIndex([cellOf(desk1, 1), cellOf(desk2, 2)], noPool).value ?? NaN;
    expect(one).toBeCloseTo(0.5, 12);
    expect(two).toBeCloseTo(0.5, 12);
    expect(both).toBeCloseTo(0.5, 12);
  });

  it('desks count by their respondents', () => {
    const result = sipasIndex([cellWithScores([1, 1, 1, 0], 1, 1), cellWithScores([0.5], 2, 1)], noPool);
    expect(result.value).toBeCloseTo((1 + 1 + 1 + 0 + 0.5) / 5, 12);
    expect(result.nEff).toBeCloseTo(5, 12);
  });

  it('every respondent counts once, whichever version: the first one on a new version cannot halve a desk (issue 18)', () => {
    // 200 respondents at 88% on version 1, then the desk moves to version 2 and its first respondent scores 0.
    const before = sipasIndex([cellWithScores(Array.from({ length: 200 }, () => 0.88), 1, 1)], noPool);
    const after = sipasIndex([cellWithScores(Array.from({ length: 200 }, () => 0.88), 1, 1), cellWithScores([0], 1, 2)], noPool);
    expect(before.value).toBeCloseTo(0.88, 12);
    // 176 / 201 = 87.56%; counting versions equally gave (0.88 + 0) / 2 = 44%.
    expect(after.value).toBeCloseTo(176 / 201, 12);
    expect(after.nEff).toBeCloseTo(201, 12);
  });

  it('the issue’s desk: 53 perfect on one version, 27 on another, then one with a criterion rated 2: the bound does not cross 90%', () => {
    // One of 22 criteria rated 2, in an element of 4 criteria: score (4 + 0.75) / 5 = 0.95.
    const rho = fixed({ 1: 1.2, 2: 1.2 });
    const before = sipasIndex([cellWithScores(Array<number>(53).fill(1), 1, 1), cellWithScores(Array<number>(27).fill(1), 1, 2)], rho);
    const after = sipasIndex([cellWithScores(Array<number>(53).fill(1), 1, 1), cellWithScores([...Array<number>(27).fill(1), 0.95], 1, 2)], rho);
    expect(before.nEff).toBeCloseTo(96, 10);
    expect(after.nEff).toBeCloseTo(97.2, 10);
    // A respondent with 21 satisfied answers of 22 still adds a hair of evidence (the bound moves by
    // less than 0.01 points), never the 0.18 points that turned it "met" when versions counted equally.
    const low = (m: typeof before) => intervalAt(m, PROVISIONAL)?.low ?? NaN;
    expect(Math.abs(low(after) - low(before))).toBeLessThan(1e-4);
    expect(judge(before, 0.9, PROVISIONAL)).toBe('inconclusive');
    expect(judge(after, 0.9, PROVISIONAL)).toBe('inconclusive');
  });

  it('each version’s respondents count with their own ρ: n_eff = N² / Σ n / ρ', () => {
    // Two desks of two respondents each: 4² / (2 / 4 + 2 / 2.5) = 16 / 1.3 = 12.31.
    const result = sipasIndex([cellWithScores([1, 0.5], 1, 1), cellWithScores([0.5, 0.5], 2, 2)], fixed({ 1: 4, 2: 2.5 }));
    expect(result.nEff).toBeCloseTo(16 / 1.3, 12);
    // A small version without a pool (ρ = 1) beside a large pooled one barely widens the interval.
    const mixed = sipasIndex([cellWithScores(Array.from({ length: 600 }, () => 0.9), 1, 1), cellWithScores(Array.from({ length: 60 }, () => 0.9), 2, 2)], fixed({ 1: 4, 2: 1 }));
    expect(mixed.nEff).toBeCloseTo(660 ** 2 / (600 / 4 + 60 / 1), 9);
  });

  it('nobody scored: no value, no interval', () => {
    expect(sipasIndex([cellOf([answers('A- B-')])], noPool)).toEqual({ value: null, n: 0, nEff: 0, ci: null });
    expect(sipasIndex([], noPool).value).toBeNull();
  });
});

describe('item rate (answers 4-5 / all answers 1-5) at n_eff = answers / design effect', () => {
  it('uses the pooled design effect; when versions mix, each version’s answers at their own', () => {
    const health = cellOf([answers('A5 A4 B3'), answers('A5 A- B5')], 1, 7);
    const education = cellOf([answers('A5 B2')], 2, 8);
    const result = itemRate([health, education], fixed({}, { 7: 1.5, 8: 2 }));
    expect(result.value).toBeCloseTo(5 / 7, 12);
    expect(result.n).toBe(3);
    // 7 answers: 5 at deff 1.5 and 2 at deff 2: n_eff = 7² / (5 × 1.5 + 2 × 2) = 49 / 11.5.
    expect(result.nEff).toBeCloseTo(49 / 11.5, 12);
    expect(result.ci).toEqual(wilson(5 / 7, 49 / 11.5));
  });

  it('one respondent on a version with a larger design effect barely widens the interval (it took the largest: 76.7–83.0 became 70.3–86.0)', () => {
    const many = cellOf(times(300, answers('A5 B5 C5 D2 E5')), 1, 1);
    const one = cellOf([answers('A5 B5 C5 D5 E2')], 1, 2);
    const precision = fixed({}, { 1: 1.5, 2: 5 });
    const before = itemRate([many], precision);
    const after = itemRate([many, one], precision);
    // 1,505 answers: 1,500 at 1.5 and 5 at 5: n_eff = 1505² / 2275 = 995.6 (the largest, 5, gave 301).
    expect(after.nEff).toBeCloseTo(1505 ** 2 / 2275, 9);
    expect(before.nEff).toBeCloseTo(1000, 9);
    expect(after.nEff).toBeGreaterThan(0.99 * before.nEff);
  });

  it('without a usable pool each respondent’s answers count as one at most (deff = the number of criteria)', () => {
    const result = itemRate([cellOf(times(10, answers('A5 B5 C5 D5 E3')))], unpooledPrecision(() => 5));
    expect(result.nEff).toBeCloseTo(10, 12);
  });
});

describe('the issue’s example: 30 respondents all answering 5 on 22 criteria, then one answer of 3', () => {
  const FULL = 'A5 A5 A5 A5 B5 B5 B5 B5 B5 C5 C5 C5 C5 C5 C5 D5 D5 D5 E5 E5 E5 E5';
  const precisionOf22 = unpooledPrecision(() => 22);
  const allFives = times(30, answers(FULL));
  const oneThree = [answers(FULL.replace('C5', 'C3')), ...times(29, answers(FULL))];
  const extraRespondent = [...times(30, answers(FULL)), answers('A3 A- A- A- B- B- B- B- B- C- C- C- C- C- C- D- D- D- E- E- E- E-')];

  it('all fives: [88.65, 100] against 90% is inconclusive (no pool yet: each respondent counts once)', () => {
    const m = sipasIndex([cellOf(allFives)], precisionOf22);
    expect(m.ci?.low).toBeCloseTo(0.8865, 4);
    expect(m.ci?.high).toBe(1);
    expect(judge(m, 0.9, FINAL)).toBe('inconclusive');
  });

  for (const [name, precision] of [
    ['no pool', precisionOf22],
    ['a pool where a respondent is worth 3 answers', fixed({ 1: 3 }, { 1: 4 })],
  ] as const) {
    it(`one answer of 3 never raises the bounds nor makes it "met" (${name})`, () => {
      for (const measure of [sipasIndex, itemRate]) {
        const before = measure([cellOf(allFives)], precision);
        for (const after of [measure([cellOf(oneThree)], precision), measure([cellOf(extraRespondent)], precision)]) {
          expect(after.ci?.low ?? NaN).toBeLessThanOrEqual(before.ci?.low ?? NaN);
          expect(after.ci?.high ?? NaN).toBeLessThanOrEqual(before.ci?.high ?? NaN);
          if (judge(before, 0.9, FINAL) !== 'met') expect(judge(after, 0.9, FINAL)).not.toBe('met');
        }
      }
    });
  }

  it('with a province pool the same 30 perfect scores are worth more, and can be "met"', () => {
    // Pool: the view's 30 and 1,000 others at 100%, 1,000 at 60% (A, B, C all 5; D, E all 2). Without the
    // view: p = 0.8, s² = 0.04 × 2000/1999, ρ = 0.16 × 1999 / 80 = 3.998 (trusted fully from 1,500):
    // n_eff = 30 × 3.998 = 119.9, Wilson lower bound 96.9%.
    const mixed = 'A5 A5 A5 A5 B5 B5 B5 B5 B5 C5 C5 C5 C5 C5 C5 D2 D2 D2 E2 E2 E2 E2';
    const view = cellOf(allFives);
    const pool = precisionFromPool([view, cellOf([...times(1000, answers(FULL)), ...times(1000, answers(mixed))])], () => 22);
    expect(pool.without?.([view]).scoreInformation(1)).toBeCloseTo((0.16 * 1999) / 80, 10);
    const m = sipasIndex([view], pool);
    expect(m.ci?.low).toBeCloseTo(wilson(1, (30 * 0.16 * 1999) / 80)?.low ?? NaN, 12);
    expect(judge(m, 0.9, FINAL)).toBe('met');
  });
});

describe('desks that usually stand far apart add their spread (issue 18: three desks at 99/95/60%)', () => {
  // Two desks, 50 respondents each, ρ = 2 everywhere; their histories say 90% and 50%.
  const level = (score: number) => ({ score, rate: score, clusterSize: 5, trust: 1 });
  const precision = (levels: Record<number, ReturnType<typeof level>>) => ({ ...fixed({ 1: 2 }), deskLevel: (_q: number, d: number) => levels[d] ?? null });
  const desks = [cellOf(times(50, answers('A5 B5 C5 D5 E2')), 1, 1), cellOf(times(50, answers('A5 B2 C5 D2 E2')), 2, 1)];

  it('SIPAS: the usual mean is 70%; desk 1 keeps the pool’s 1/ρ (its spread term is smaller), desk 2 takes (0.25/2 + 0.04)/0.21', () => {
    // Desk 1: (0.09/2 + 0.2²)/0.21 = 0.405 < 1/ρ = 0.5, so 0.5. Desk 2: (0.125 + 0.04)/0.21 = 0.7857.
    // n_eff = 100² / (50 × 0.5 + 50 × 0.7857) = 155.6, where the pool alone said 100 × ρ = 200.
    const m = sipasIndex(desks, precision({ 1: level(0.9), 2: level(0.5) }));
    expect(m.nEff).toBeCloseTo(10_000 / (25 + 50 * (0.165 / 0.21)), 9);
    expect(sipasIndex(desks, fixed({ 1: 2 })).nEff).toBeCloseTo(200, 9);
  });

  it('desks that usually agree change nothing, and a desk half-trusted counts half its spread', () => {
    expect(sipasIndex(desks, precision({ 1: level(0.7), 2: level(0.7) })).nEff).toBeCloseTo(200, 9);
    const half = sipasIndex(desks, precision({ 1: level(0.9), 2: { ...level(0.5), trust: 0.5 } }));
    // The usual mean is now (50 × 0.9 + 25 × 0.5) / 75 = 0.7667; desk 2: 0.5 × 0.5 + 0.5 × (0.125 + 0.2667²)/0.1789.
    const mean = (45 + 12.5) / 75;
    const binomial = mean * (1 - mean);
    const desk1 = Math.max(0.5, (0.045 + (0.9 - mean) ** 2) / binomial);
    const desk2 = 0.25 + 0.5 * ((0.125 + (0.5 - mean) ** 2) / binomial);
    expect(half.nEff).toBeCloseTo(10_000 / (50 * desk1 + 50 * desk2), 9);
  });

  it('item rate: the spread counts at the respondents’ cluster size Σx²/Σx', () => {
    // 250 answers a desk, deff 5 (fixed's default). Desk 2: (0.25 × 5 + 5 × 0.04) / 0.21 = 6.905 > 5.
    const m = itemRate(desks, precision({ 1: level(0.9), 2: level(0.5) }));
    const desk1 = Math.max(5, (0.09 * 5 + 5 * 0.04) / 0.21);
    expect(m.nEff).toBeCloseTo(500 ** 2 / (250 * desk1 + 250 * ((0.25 * 5 + 5 * 0.04) / 0.21)), 9);
  });
});

describe('elements nobody answered are flagged', () => {
  const total = (questionnaireId: number, element: string, counts: ReturnType<typeof c>) => ({ questionId: 0, questionnaireId, role: 'criterion', element, counts });

  it('lists, per version with respondents, the elements with no answer 1..5', () => {
    const cells = [cellOf([answers('A5 B4 E-')], 1, 1), cellOf([answers('A5')], 2, 2)];
    const totals = [total(1, 'A', c(0, 0, 0, 0, 1)), total(1, 'B', c(0, 0, 0, 1, 0)), total(1, 'E', c(0, 0, 0, 0, 0, 1)), total(2, 'A', c(0, 0, 0, 0, 1))];
    const elementsOf = (q: number) => (q === 1 ? ['A', 'B', 'C', 'D', 'E'] : ['A']);
    expect(missingElements(totals, cells, elementsOf)).toEqual([{ questionnaireId: 1, elements: ['C', 'D', 'E'] }]);
  });
});
