/**
 * Five-level ratings. Counts come from the daily rollups: n1..n5 per value and n0 for
 * "Không ý kiến" (no opinion), which never counts in a denominator.
 */
import { type Proportion, proportion } from './proportion.ts';

export interface RatingCounts {
  n0: number;
  n1: number;
  n2: number;
  n3: number;
  n4: number;
  n5: number;
}

export const EMPTY_COUNTS: RatingCounts = { n0: 0, n1: 0, n2: 0, n3: 0, n4: 0, n5: 0 };

export function addCounts(a: RatingCounts, b: RatingCounts): RatingCounts {
  return { n0: a.n0 + b.n0, n1: a.n1 + b.n1, n2: a.n2 + b.n2, n3: a.n3 + b.n3, n4: a.n4 + b.n4, n5: a.n5 + b.n5 };
}

/** Counts of one rating question of one questionnaire version; a question may come in several rows (per field, per month). */
export interface QuestionTotal {
  questionId: number;
  questionnaireId: number;
  role: string;
  element: string | null;
  counts: RatingCounts;
}

/** Answers 1..5 (the denominator of every rate). */
export function answered(c: RatingCounts): number {
  return c.n1 + c.n2 + c.n3 + c.n4 + c.n5;
}

/** Answers 4 or 5. */
export function satisfied(c: RatingCounts): number {
  return c.n4 + c.n5;
}

/** Criterion rate: answers 4-5 / answers 1-5, with its Wilson interval. */
export function criterionRate(c: RatingCounts): Proportion {
  return proportion(satisfied(c), answered(c));
}

/** Mean score on the 1..5 scale; null with no answers. */
export function meanScore(c: RatingCounts): number | null {
  const n = answered(c);
  if (n === 0) return null;
  return (c.n1 + 2 * c.n2 + 3 * c.n3 + 4 * c.n4 + 5 * c.n5) / n;
}

/** Share of each value 1..5 among answers 1..5 (each null with no answers). */
export function distribution(c: RatingCounts): Record<1 | 2 | 3 | 4 | 5, number | null> {
  const n = answered(c);
  const share = (k: number) => (n === 0 ? null : k / n);
  return { 1: share(c.n1), 2: share(c.n2), 3: share(c.n3), 4: share(c.n4), 5: share(c.n5) };
}

/**
 * Share of respondents choosing each option of an expectations question, among respondents who
 * answered it. Options nobody chose are listed with 0 so tables keep their rows.
 */
export function expectationShares(
  optionKeys: string[],
  chosen: ReadonlyMap<string, number>,
  respondents: number,
): { key: string; count: number; share: number | null }[] {
  return optionKeys
    .map((key) => {
      const count = chosen.get(key) ?? 0;
      return { key, count, share: respondents > 0 ? count / respondents : null };
    })
    .sort((a, b) => b.count - a.count);
}
