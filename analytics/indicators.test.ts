import { describe, expect, it } from 'vitest';
import { comprehensiveSatisfaction, computeMeasure, itemRate, overallRate, type QuestionnaireMoments, type QuestionTotal } from './indicators.ts';
import { wilson } from './proportion.ts';

const counts = (n1: number, n2: number, n3: number, n4: number, n5: number, n0 = 0) => ({ n0, n1, n2, n3, n4, n5 });
const total = (questionId: number, role: string, element: string | null, c: ReturnType<typeof counts>, questionnaireId = 1): QuestionTotal => ({
  questionId,
  questionnaireId,
  role,
  element,
  counts: c,
});

function moments(questionnaireId: number, respondents: { score: number | null; items: number; satisfied: number }[], criteria = 5): QuestionnaireMoments {
  const scored = respondents.filter((r) => r.score !== null);
  return {
    questionnaireId,
    respondents: respondents.length,
    criteria,
    scored: scored.length,
    scoreSum: scored.reduce((a, r) => a + (r.score ?? 0), 0),
    scoreSq: scored.reduce((a, r) => a + (r.score ?? 0) ** 2, 0),
    allSatisfied: scored.filter((r) => r.items > 0 && r.items === r.satisfied).length,
    ratio: {
      respondents: scored.length,
      x: respondents.reduce((a, r) => a + r.items, 0),
      y: respondents.reduce((a, r) => a + r.satisfied, 0),
      xx: respondents.reduce((a, r) => a + r.items ** 2, 0),
      yy: respondents.reduce((a, r) => a + r.satisfied ** 2, 0),
      xy: respondents.reduce((a, r) => a + r.items * r.satisfied, 0),
    },
  };
}

describe('overall rate (share of 4-5 on the overall question)', () => {
  it('sums the overall question over rows and questionnaires, ignoring criteria and "no opinion"', () => {
    const result = overallRate([
      total(1, 'overall', null, counts(1, 0, 1, 2, 1, 3)),
      total(9, 'overall', null, counts(0, 0, 0, 1, 0), 2),
      total(2, 'criterion', 'A', counts(9, 9, 9, 0, 0)),
    ]);
    expect(result.value).toBe(4 / 6);
    expect(result.n).toBe(6);
    expect(result.ci).toEqual(wilson(4 / 6, 6));
  });

  it('no answers: null value, n = 0, no interval', () => {
    expect(overallRate([])).toEqual({ value: null, n: 0, ci: null });
    expect(overallRate([total(1, 'overall', null, counts(0, 0, 0, 0, 0, 4))])).toEqual({ value: null, n: 0, ci: null });
  });
});

describe('item rate (answers 4-5 / all item answers, the health ministry method)', () => {
  it('pools items over respondents and questionnaires; n counts respondents', () => {
    const result = itemRate([
      moments(1, [
        { score: 1, items: 2, satisfied: 2 },
        { score: 0.5, items: 2, satisfied: 1 },
      ]),
      moments(2, [{ score: 0, items: 1, satisfied: 0 }]),
    ]);
    expect(result.value).toBe(3 / 5);
    expect(result.n).toBe(3);
    expect(result.ci?.low).toBeLessThan(0.6);
    expect(result.ci?.high).toBeGreaterThan(0.6);
  });

  it('100% and 0%, and nothing answered', () => {
    expect(itemRate([moments(1, [{ score: 1, items: 3, satisfied: 3 }])]).value).toBe(1);
    expect(itemRate([moments(1, [{ score: 0, items: 3, satisfied: 0 }])]).value).toBe(0);
    expect(itemRate([moments(1, [{ score: null, items: 0, satisfied: 0 }])])).toEqual({ value: null, n: 0, ci: null });
  });
});

describe('comprehensive satisfaction (4-5 on every item answered)', () => {
  it('is the share of scored respondents satisfied on every item', () => {
    const result = comprehensiveSatisfaction([
      moments(1, [
        { score: 1, items: 3, satisfied: 3 },
        { score: 0.5, items: 2, satisfied: 1 },
        { score: null, items: 0, satisfied: 0 },
      ]),
      moments(2, [{ score: 1, items: 1, satisfied: 1 }]),
    ]);
    expect(result.value).toBe(2 / 3);
    expect(result.n).toBe(3);
  });

  it('n = 1, and nobody scored', () => {
    expect(comprehensiveSatisfaction([moments(1, [{ score: 1, items: 1, satisfied: 1 }])])).toMatchObject({ value: 1, n: 1 });
    expect(comprehensiveSatisfaction([])).toEqual({ value: null, n: 0, ci: null });
  });
});

describe('SIPAS over several questionnaire versions', () => {
  it('weights each version’s index by its respondents', () => {
    // Version 1: one criterion per element A, B: 100% and 50% -> 75%, 4 respondents.
    // Version 2: element A only, 0% -> 0%, 1 respondent. Weighted: (0.75·4 + 0·1) / 5 = 60%.
    const totals = [
      total(1, 'criterion', 'A', counts(0, 0, 0, 4, 0), 1),
      total(2, 'criterion', 'B', counts(2, 0, 0, 2, 0), 1),
      total(3, 'criterion', 'A', counts(1, 0, 0, 0, 0), 2),
    ];
    const m = [
      moments(1, [1, 1, 0.5, 0.5].map((score) => ({ score, items: 2, satisfied: score * 2 })), 2),
      moments(2, [{ score: 0, items: 1, satisfied: 0 }], 1),
    ];
    const result = computeMeasure('sipas_index', totals, m);
    expect(result.value).toBeCloseTo(0.6, 12);
    expect(result.n).toBe(5);
  });
});
