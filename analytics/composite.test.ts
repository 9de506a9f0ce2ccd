import { describe, expect, it } from 'vitest';
import { compositeInterval, ratioInterval, sipasIndex } from './composite.ts';
import { sipasMeasure } from './indicators.ts';
import { wilson } from './proportion.ts';
import { summarizeRespondent } from './respondent.ts';

const c = (n1: number, n2: number, n3: number, n4: number, n5: number, n0 = 0) => ({ n0, n1, n2, n3, n4, n5 });

describe('SIPAS index = mean over elements of the mean of their criterion rates', () => {
  it('hand-computed: A = (75% + 50%) / 2 = 62.5%, B = 100%, index = 81.25%', () => {
    const result = sipasIndex([
      { element: 'A', counts: c(0, 1, 0, 2, 1) }, // 3 of 4
      { element: 'A', counts: c(1, 0, 0, 1, 0, 3) }, // 1 of 2, 3 no opinion
      { element: 'B', counts: c(0, 0, 0, 0, 4) }, // 4 of 4
    ]);
    expect(result.elements).toEqual([
      { element: 'A', value: 0.625, criteria: 2 },
      { element: 'B', value: 1, criteria: 1 },
    ]);
    expect(result.value).toBe(0.8125);
  });

  it('a criterion with only "no opinion" drops out; an element with none answered drops out', () => {
    const result = sipasIndex([
      { element: 'A', counts: c(0, 0, 0, 1, 0) },
      { element: 'A', counts: c(0, 0, 0, 0, 0, 5) },
      { element: 'B', counts: c(0, 0, 0, 0, 0, 5) },
    ]);
    expect(result.value).toBe(1);
    expect(result.elements.find((e) => e.element === 'B')?.value).toBeNull();
  });

  it('no answers at all: null', () => {
    expect(sipasIndex([]).value).toBeNull();
  });
});

describe('respondent summary', () => {
  it('scores A [5, 3] = 50%, B [4] = 100%, C no opinion skipped: 75%, not all satisfied', () => {
    expect(
      summarizeRespondent([
        { element: 'A', value: 5 },
        { element: 'A', value: 3 },
        { element: 'B', value: 4 },
        { element: 'C', value: null },
      ]),
    ).toEqual({ score: 0.75, allSatisfied: false, items: 3, itemsSatisfied: 2 });
  });

  it('only "no opinion": no score', () => {
    expect(summarizeRespondent([{ element: 'A', value: null }])).toEqual({ score: null, allSatisfied: null, items: 0, itemsSatisfied: 0 });
  });

  it('every answered criterion 4-5 is comprehensive satisfaction', () => {
    expect(summarizeRespondent([{ element: 'A', value: 4 }, { element: 'B', value: 5 }, { element: 'B', value: null }]).allSatisfied).toBe(true);
  });
});

describe('composite interval', () => {
  it('with one criterion per respondent it is exactly the Wilson interval', () => {
    // 7 of 10 respondents satisfied: scores are 0 or 1.
    const ci = compositeInterval(0.7, [{ n: 10, sum: 7, sumSq: 7, criteria: 1 }]);
    expect(ci).toEqual(wilson(0.7, 10));
  });

  it('is narrower than per-respondent Wilson when scores vary less than 0/1 answers would', () => {
    // 10 respondents, each with score 0.6 or 1.0 (mean 0.8), on a 5-criterion form.
    const scores = [0.6, 1, 0.6, 1, 0.6, 1, 0.6, 1, 0.6, 1];
    const sum = scores.reduce((a, b) => a + b, 0);
    const sumSq = scores.reduce((a, b) => a + b * b, 0);
    const ci = compositeInterval(0.8, [{ n: 10, sum, sumSq, criteria: 5 }]);
    const plain = wilson(0.8, 10);
    expect(ci && plain && ci.high - ci.low < plain.high - plain.low).toBe(true);
    // Var = 0.0444/10; n_eff = 0.16 / 0.00444 = 36; Wilson(0.8, 36)
    const s2 = (sumSq - (sum * sum) / 10) / 9;
    const expected = wilson(0.8, 0.16 / (s2 / 10));
    expect(ci?.low).toBeCloseTo(expected?.low ?? NaN, 12);
    expect(ci?.high).toBeCloseTo(expected?.high ?? NaN, 12);
  });

  it('identical scores do not claim more information than n × criteria answers', () => {
    const ci = compositeInterval(0.8, [{ n: 10, sum: 8, sumSq: 6.4, criteria: 5 }]);
    expect(ci).toEqual(wilson(0.8, 50));
  });

  it('all satisfied (100%) keeps the binomial width at n respondents', () => {
    expect(compositeInterval(1, [{ n: 12, sum: 12, sumSq: 12, criteria: 22 }])).toEqual(wilson(1, 12));
  });

  it('n = 1 is the Wilson interval of one respondent; n = 0 is null', () => {
    expect(compositeInterval(0.5, [{ n: 1, sum: 0.5, sumSq: 0.25, criteria: 5 }])).toEqual(wilson(0.5, 1));
    expect(compositeInterval(0.5, [])).toBeNull();
  });
});

describe('item rate interval (ratio of satisfied items to answered items)', () => {
  it('with one item per respondent it is the Wilson interval of respondents', () => {
    // 6 of 8 respondents satisfied on their single item.
    expect(ratioInterval({ respondents: 8, x: 8, y: 6, xx: 8, yy: 6, xy: 6 })).toEqual(wilson(0.75, 8));
  });

  it('no items: null', () => {
    expect(ratioInterval({ respondents: 0, x: 0, y: 0, xx: 0, yy: 0, xy: 0 })).toBeNull();
  });

  it('clustered answers give an interval between the respondent and the item Wilson widths', () => {
    // 4 respondents × 5 items: satisfied on 5, 5, 3, 1 items -> 14/20 = 70%.
    const ys = [5, 5, 3, 1];
    const m = { respondents: 4, x: 20, y: 14, xx: 100, yy: ys.reduce((a, y) => a + y * y, 0), xy: ys.reduce((a, y) => a + 5 * y, 0) };
    const ci = ratioInterval(m);
    const width = (i: { low: number; high: number } | null) => (i ? i.high - i.low : NaN);
    expect(width(ci)).toBeLessThanOrEqual(width(wilson(0.7, 4)));
    expect(width(ci)).toBeGreaterThanOrEqual(width(wilson(0.7, 20)));
  });
});

describe('SIPAS measure over rollup rows', () => {
  it('pools a criterion split over several rows (fields, months) before taking its rate', () => {
    const row = (questionId: number, element: string, n4: number, n1: number) => ({
      questionId, questionnaireId: 1, role: 'criterion', element, counts: { n0: 0, n1, n2: 0, n3: 0, n4, n5: 0 },
    });
    // Criterion 1 (element A): 1/1 in one month and 1/3 in another = 2/4, not the mean of 100% and 33%.
    const totals = [row(1, 'A', 1, 0), row(1, 'A', 1, 2), row(2, 'B', 3, 1)];
    const moments = [{ questionnaireId: 1, respondents: 4, criteria: 2, scored: 4, scoreSum: 2.5, scoreSq: 2, allSatisfied: 1, ratio: { respondents: 4, x: 8, y: 5, xx: 16, yy: 7, xy: 10 } }];
    expect(sipasMeasure(totals, moments).value).toBe((0.5 + 0.75) / 2);
  });
});
