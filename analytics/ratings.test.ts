import { describe, expect, it } from 'vitest';
import { criterionRate, distribution, EMPTY_COUNTS, expectationShares, meanScore } from './ratings.ts';

const counts = (n1: number, n2: number, n3: number, n4: number, n5: number, n0 = 0) => ({ n0, n1, n2, n3, n4, n5 });

describe('criterion rate', () => {
  it('is answers 4-5 over answers 1-5; "no opinion" is not in the denominator', () => {
    const rate = criterionRate(counts(1, 1, 2, 3, 3, 5));
    expect(rate.value).toBe(0.6);
    expect(rate.n).toBe(10);
  });

  it('all "no opinion" is no value at all, not 0%', () => {
    expect(criterionRate(counts(0, 0, 0, 0, 0, 7)).value).toBeNull();
  });

  it('100% and 0%', () => {
    expect(criterionRate(counts(0, 0, 0, 2, 3)).value).toBe(1);
    expect(criterionRate(counts(2, 3, 1, 0, 0)).value).toBe(0);
  });
});

describe('mean score and distribution', () => {
  it('mean of 1,2,3,4,5 once each is 3; no opinion ignored', () => {
    expect(meanScore(counts(1, 1, 1, 1, 1, 9))).toBe(3);
    expect(meanScore(EMPTY_COUNTS)).toBeNull();
  });

  it('distribution shares sum to 1 over answers 1..5', () => {
    expect(distribution(counts(1, 0, 1, 0, 2, 4))).toEqual({ 1: 0.25, 2: 0, 3: 0.25, 4: 0, 5: 0.5 });
    expect(distribution(EMPTY_COUNTS)[3]).toBeNull();
  });
});

describe('expectation shares', () => {
  it('are per respondent who answered, most chosen first, unchosen options kept at 0', () => {
    const shares = expectationShares(['a', 'b', 'c'], new Map([['b', 3], ['a', 1]]), 4);
    expect(shares).toEqual([
      { key: 'b', count: 3, share: 0.75 },
      { key: 'a', count: 1, share: 0.25 },
      { key: 'c', count: 0, share: 0 },
    ]);
    expect(expectationShares(['a'], new Map(), 0)[0]?.share).toBeNull();
  });
});
