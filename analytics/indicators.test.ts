import { describe, expect, it } from 'vitest';
import { answers, cellOf } from '../test/support/respondents.ts';
import { comprehensiveSatisfaction, computeMeasure, noOpinionShare, overallRate } from './measures.ts';
import { unpooledPrecision } from './precision.ts';
import { binomialInterval } from './proportion.ts';
import type { QuestionTotal } from './ratings.ts';

const counts = (n1: number, n2: number, n3: number, n4: number, n5: number, n0 = 0) => ({ n0, n1, n2, n3, n4, n5 });
const total = (questionId: number, role: string, element: string | null, c: ReturnType<typeof counts>, questionnaireId = 1): QuestionTotal => ({
  questionId,
  questionnaireId,
  role,
  element,
  counts: c,
});

describe('overall rate (share of 4-5 on the overall question)', () => {
  it('sums the overall question over rows and questionnaires, ignoring criteria and "no opinion"', () => {
    const result = overallRate([
      total(1, 'overall', null, counts(1, 0, 1, 2, 1, 3)),
      total(9, 'overall', null, counts(0, 0, 0, 1, 0), 2),
      total(2, 'criterion', 'A', counts(9, 9, 9, 0, 0)),
    ]);
    expect(result.value).toBe(4 / 6);
    expect(result.n).toBe(6);
    expect(result.nEff).toBe(6);
    expect(result.ci).toEqual(binomialInterval(4, 6));
  });

  it('no answers: null value, n = 0, no interval', () => {
    expect(overallRate([])).toEqual({ value: null, n: 0, nEff: 0, ci: null });
    expect(overallRate([total(1, 'overall', null, counts(0, 0, 0, 0, 0, 4))])).toEqual({ value: null, n: 0, nEff: 0, ci: null });
  });
});

describe('item rate (answers 4-5 / all item answers, the health ministry method)', () => {
  it('pools items over respondents and questionnaires; n counts respondents', () => {
    const result = computeMeasure('item_rate', [], [cellOf([answers('A5 B5'), answers('A5 B2')], 1, 1), cellOf([answers('A1')], 2, 2)], unpooledPrecision(() => 2));
    expect(result.value).toBe(3 / 5);
    expect(result.n).toBe(3);
    expect(result.ci?.low).toBeLessThan(0.6);
    expect(result.ci?.high).toBeGreaterThan(0.6);
  });

  it('100% and 0%, and nothing answered', () => {
    const measure = (spec: string) => computeMeasure('item_rate', [], [cellOf([answers(spec)])], unpooledPrecision(() => 3));
    expect(measure('A5 B5 C4').value).toBe(1);
    expect(measure('A1 B2 C3').value).toBe(0);
    expect(measure('A- B- C-')).toEqual({ value: null, n: 0, nEff: 0, ci: null });
  });
});

describe('comprehensive satisfaction (4-5 on every item answered)', () => {
  it('is the share of scored respondents satisfied on every item', () => {
    const result = comprehensiveSatisfaction([cellOf([answers('A5 B4 C5'), answers('A5 B2'), answers('A- B-')], 1, 1), cellOf([answers('A4')], 2, 2)]);
    expect(result.value).toBe(2 / 3);
    expect(result.n).toBe(3);
  });

  it('n = 1, and nobody scored', () => {
    expect(comprehensiveSatisfaction([cellOf([answers('A4')])])).toMatchObject({ value: 1, n: 1 });
    expect(comprehensiveSatisfaction([])).toEqual({ value: null, n: 0, nEff: 0, ci: null });
  });

  it('comes with the share of criterion answers that were "no opinion": 4 of 20 = 20%', () => {
    const totals = [total(1, 'criterion', 'A', counts(1, 1, 2, 4, 2, 3)), total(2, 'criterion', 'B', counts(0, 0, 0, 3, 3, 1)), total(3, 'overall', null, counts(0, 0, 0, 0, 0, 9))];
    expect(noOpinionShare(totals)).toBeCloseTo(4 / 20, 12);
    expect(noOpinionShare([])).toBeNull();
  });
});
