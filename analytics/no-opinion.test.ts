import { describe, expect, it } from 'vitest';
import { cellOf } from '../test/support/respondents.ts';
import { itemRate, sipasIndex } from './composite.ts';
import type { CellMoments } from './moments.ts';
import {
  type CriterionOf,
  itemRateIfNoOpinionDissatisfied,
  noOpinionFigures,
  sipasIfNoOpinionDissatisfied,
  worstCaseFailsTarget,
} from './no-opinion.ts';
import { unpooledPrecision } from './precision.ts';
import { EMPTY_COUNTS, type QuestionTotal, type RatingCounts } from './ratings.ts';
import { type CriterionAnswer, summarizeRespondent } from './respondent.ts';

/** A respondent's answer per criterion question id: 1..5, null for "Không ý kiến", undefined (absent) for a blank. */
type Respondent = Record<number, number | null>;

interface Version {
  id: number;
  criteria: CriterionOf[];
}

const V1: Version = {
  id: 1,
  criteria: [
    { questionId: 1, element: 'A' },
    { questionId: 2, element: 'A' },
    { questionId: 3, element: 'B' },
  ],
};
const V2: Version = {
  id: 2,
  criteria: [
    { questionId: 11, element: 'A' },
    { questionId: 12, element: 'B' },
    { questionId: 13, element: 'C' },
    { questionId: 14, element: 'C' },
  ],
};

/** The criterion answers as the respondent summary takes them (a blank is no answer at all). */
function answersOf(v: Version, r: Respondent): CriterionAnswer[] {
  return v.criteria.filter((c) => c.questionId in r).map((c) => ({ element: c.element ?? '', value: r[c.questionId] ?? null }));
}

/** What the rollups keep of these respondents: per-question counts and the respondent sums of one cell. */
function rollup(v: Version, respondents: Respondent[]): { totals: QuestionTotal[]; cell: CellMoments } {
  const totals = v.criteria.map((c) => {
    const counts: RatingCounts = { ...EMPTY_COUNTS };
    for (const r of respondents) {
      if (!(c.questionId in r)) continue;
      const value = r[c.questionId];
      counts[value === null || value === undefined ? 'n0' : (`n${value}` as keyof RatingCounts)]++;
    }
    return { questionId: c.questionId, questionnaireId: v.id, role: 'criterion', element: c.element, counts };
  });
  // An overall question with "no opinion" answers, which must not count.
  totals.push({ questionId: v.id * 100, questionnaireId: v.id, role: 'overall', element: null, counts: { ...EMPTY_COUNTS, n0: 7, n1: 3 } });
  return { totals, cell: cellOf(respondents.map((r) => answersOf(v, r)), 1, v.id) };
}

const criteriaOf = (questionnaireId: number): CriterionOf[] => (questionnaireId === 1 ? V1.criteria : questionnaireId === 2 ? V2.criteria : []);

/** The plain precision (a respondent as one answer): only the values matter here. */
const PRECISION = unpooledPrecision((q) => criteriaOf(q).length);

/** Brute force: each respondent's own score with every "Không ý kiến" and blank counted as answered with 1. */
function worstScore(v: Version, r: Respondent): number {
  const s = summarizeRespondent(v.criteria.map((c) => ({ element: c.element ?? '', value: r[c.questionId] ?? 1 })));
  return s.score ?? 0;
}

describe('no-opinion share and worst case, hand-computed', () => {
  // Version 1: elements A (criteria 1, 2) and B (criterion 3).
  const v1: Respondent[] = [
    { 1: 5, 2: 5, 3: 5 }, // score 1; worst 1
    { 1: 4, 2: null, 3: 2 }, // score (A 1/1 + B 0) / 2 = 0.5; worst (A 1/2 + B 0) / 2 = 0.25
    { 1: null, 2: null, 3: null }, // only "Không ý kiến": no score; worst 0
    { 1: 2, 2: 5 }, // criterion 3 blank: score A 1/2 = 0.5; worst (A 1/2 + B 0) / 2 = 0.25
  ];
  // Version 2: elements A (11), B (12), C (13, 14).
  const v2: Respondent[] = [
    { 11: 5, 12: 5, 13: 5, 14: null }, // worst (1 + 1 + 1/2) / 3 = 5/6
    { 11: 1, 12: null, 13: 4, 14: 4 }, // worst (0 + 0 + 1) / 3 = 1/3
  ];
  const one = rollup(V1, v1);
  const two = rollup(V2, v2);

  it('one version: SIPAS worst case 0.375 (mean of 1, 0.25, 0, 0.25) against an index of 2/3', () => {
    expect(sipasIfNoOpinionDissatisfied(one.totals, [one.cell], criteriaOf)).toBeCloseTo(0.375, 12);
    expect(sipasIndex([one.cell], PRECISION).value).toBeCloseTo(2 / 3, 12);
  });

  it('one version: item rate worst case 5 of 12 (4 respondents × 3 criteria) against 5 of 7 answered', () => {
    expect(itemRateIfNoOpinionDissatisfied(one.totals, [one.cell], criteriaOf)).toBeCloseTo(5 / 12, 12);
    expect(itemRate([one.cell], PRECISION).value).toBeCloseTo(5 / 7, 12);
  });

  it('the share is "Không ý kiến" over answers 1-5 and "Không ý kiến" of the criteria: 4 of 11 (the blank and the overall question do not count)', () => {
    expect(noOpinionFigures('sipas_index', one.totals, [one.cell], criteriaOf)).toEqual({
      share: 4 / 11,
      worst: sipasIfNoOpinionDissatisfied(one.totals, [one.cell], criteriaOf),
    });
  });

  it('two versions count by their respondents: (4 × 0.375 + 2 × 7/12) / 6 = 4/9', () => {
    const totals = [...one.totals, ...two.totals];
    expect(sipasIfNoOpinionDissatisfied(totals, [one.cell, two.cell], criteriaOf)).toBeCloseTo(4 / 9, 12);
    // Item rate: 5 + (3 + 2) answers 4-5 of 4 × 3 + 2 × 4 = 20 criteria met.
    expect(itemRateIfNoOpinionDissatisfied(totals, [one.cell, two.cell], criteriaOf)).toBeCloseTo(10 / 20, 12);
  });

  it('rows split by field or month add up to the same figures', () => {
    const half = (t: QuestionTotal): QuestionTotal[] => {
      const a = { ...t.counts, n5: Math.floor(t.counts.n5 / 2), n0: Math.floor(t.counts.n0 / 2) };
      const b = { ...EMPTY_COUNTS, n5: t.counts.n5 - a.n5, n0: t.counts.n0 - a.n0 };
      return [{ ...t, counts: a }, { ...t, counts: b }];
    };
    const totals = [...one.totals, ...two.totals];
    const split = totals.flatMap(half);
    const cells = [one.cell, two.cell];
    expect(sipasIfNoOpinionDissatisfied(split, cells, criteriaOf)).toBeCloseTo(sipasIfNoOpinionDissatisfied(totals, cells, criteriaOf) ?? NaN, 12);
    expect(noOpinionFigures('item_rate', split, cells, criteriaOf).share).toBeCloseTo(noOpinionFigures('item_rate', totals, cells, criteriaOf).share ?? NaN, 12);
  });

  it('nobody answered "Không ý kiến" or left a blank: the worst case is the composite itself', () => {
    const full = rollup(V1, [{ 1: 5, 2: 2, 3: 4 }, { 1: 1, 2: 4, 3: 5 }, { 1: 5, 2: 5, 3: 3 }]);
    const figures = noOpinionFigures('sipas_index', full.totals, [full.cell], criteriaOf);
    expect(figures.share).toBe(0);
    expect(figures.worst).toBeCloseTo(sipasIndex([full.cell], PRECISION).value ?? NaN, 12);
    expect(itemRateIfNoOpinionDissatisfied(full.totals, [full.cell], criteriaOf)).toBeCloseTo(itemRate([full.cell], PRECISION).value ?? NaN, 12);
  });

  it('no data: null share and worst case; the overall rate gets none', () => {
    expect(noOpinionFigures('sipas_index', [], [], criteriaOf)).toEqual({ share: null, worst: null });
    expect(noOpinionFigures('item_rate', [], [], criteriaOf)).toEqual({ share: null, worst: null });
    expect(noOpinionFigures('overall_rate', one.totals, [one.cell], criteriaOf)).toEqual({ share: null, worst: null });
  });

  it('the audit example: true satisfaction 85%, 30% of the dissatisfied answer "Không ý kiến": the rate reads 89.0%, the worst case 85%', () => {
    // 200 respondents, one criterion each: 170 satisfied, 30 dissatisfied of whom 9 answer "Không ý kiến".
    const v: Version = { id: 1, criteria: [{ questionId: 1, element: 'A' }] };
    const people: Respondent[] = [
      ...Array.from({ length: 170 }, () => ({ 1: 5 })),
      ...Array.from({ length: 21 }, () => ({ 1: 2 })),
      ...Array.from({ length: 9 }, () => ({ 1: null })),
    ];
    const { totals, cell } = rollup(v, people);
    expect(itemRate([cell], PRECISION).value).toBeCloseTo(170 / 191, 12); // 89.0%
    expect(itemRateIfNoOpinionDissatisfied(totals, [cell], () => v.criteria)).toBeCloseTo(0.85, 12);
    expect(sipasIfNoOpinionDissatisfied(totals, [cell], () => v.criteria)).toBeCloseTo(0.85, 12);
  });

  it('the worst case fails a target of t when it is at or below t (the target is "strictly above")', () => {
    expect(worstCaseFailsTarget(0.842, 0.87)).toBe(true);
    expect(worstCaseFailsTarget(0.87, 0.87)).toBe(true);
    expect(worstCaseFailsTarget(0.87 + 1e-12, 0.87)).toBe(true);
    expect(worstCaseFailsTarget(0.871, 0.87)).toBe(false);
    expect(worstCaseFailsTarget(null, 0.87)).toBe(false);
    expect(worstCaseFailsTarget(0.5, null)).toBe(false);
  });
});

/** A small seeded generator (mulberry32), so a failure can be replayed. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('the SIPAS worst case from per-question totals equals the mean of every respondent\'s own worst-case score', () => {
  it('200 random views: several elements, two versions, "Không ý kiến", blanks and respondents with no answer given', () => {
    const next = random(20261205);
    for (let view = 0; view < 200; view++) {
      const pNone = next() * 0.6;
      const pBlank = next() * 0.2;
      const people = (v: Version, n: number): Respondent[] =>
        Array.from({ length: n }, () => {
          const r: Respondent = {};
          for (const c of v.criteria) {
            const u = next();
            if (u < pBlank) continue;
            r[c.questionId] = u < pBlank + pNone ? null : 1 + Math.floor(next() * 5);
          }
          return r;
        });
      const a = people(V1, 1 + Math.floor(next() * 40));
      const b = people(V2, Math.floor(next() * 15));
      const one = rollup(V1, a);
      const two = rollup(V2, b);
      const totals = [...one.totals, ...two.totals];
      const cells = b.length > 0 ? [one.cell, two.cell] : [one.cell];
      const scores = [...a.map((r) => worstScore(V1, r)), ...b.map((r) => worstScore(V2, r))];
      const brute = scores.reduce((s, x) => s + x, 0) / scores.length;
      const worst = sipasIfNoOpinionDissatisfied(totals, cells, criteriaOf);
      expect(worst, `view ${view}`).toBeCloseTo(brute, 12);
      // Never above the index itself.
      const index = sipasIndex(cells, PRECISION).value;
      if (index !== null) expect(worst ?? 0).toBeLessThanOrEqual(index + 1e-12);
      // Item rate: answers 4-5 over every criterion of every respondent.
      const items = [...a.map((r) => [V1, r] as const), ...b.map((r) => [V2, r] as const)];
      const yes = items.reduce((s, [v, r]) => s + v.criteria.filter((c) => (r[c.questionId] ?? 0) >= 4).length, 0);
      const all = items.reduce((s, [v]) => s + v.criteria.length, 0);
      expect(itemRateIfNoOpinionDissatisfied(totals, cells, criteriaOf), `view ${view}`).toBeCloseTo(yes / all, 12);
    }
  });
});
