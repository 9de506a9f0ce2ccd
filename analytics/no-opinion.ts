/**
 * "Không ý kiến" beside the composites (issue 18, item 7). The SIPAS index and the item rate skip
 * criterion answers "Không ý kiến" (no opinion), so a dissatisfied citizen who answers "no opinion"
 * lifts them: true satisfaction of 85% with 30% of the dissatisfied answering "no opinion" reads
 * 88.3%. Beside each composite the reports therefore show
 *  - the no-opinion share: criterion answers "Không ý kiến" / all criterion answers (1-5 and
 *    "Không ý kiến"), over the criteria the composite covers;
 *  - the worst case: the composite if every "Không ý kiến" answer were dissatisfied.
 *
 * Blanks. A criterion can be left blank: the questionnaire editor lets an administrator untick
 * "required" for any criterion (only the overall question is always required; server/survey/
 * validate.ts then accepts the form without it), and a paper form's digit box for such a criterion
 * may be left empty (presenters/paper.ts). A blank is stored as no answer at all, not as n0. The
 * worst case counts a blank like a "Không ý kiến": answered and dissatisfied. (The no-opinion share
 * counts only the answers given, as its name says.)
 *
 * Both worst cases come from the per-question totals (n1..n5, n0 per criterion per version) and the
 * number of respondents of each version, because with blanks and "Không ý kiến" counted as answered
 * and dissatisfied, every respondent of a version meets every criterion of it:
 *  - item rate: Σ answers 4-5 / Σ over versions (respondents × criteria of the version), which is
 *    Σ answers 4-5 / Σ (answers 1-5 + "Không ý kiến") when nobody leaves a criterion blank;
 *  - SIPAS index: a respondent's worst-case score is the mean over all the version's elements of the
 *    share of the element's criteria they rated 4-5 (a respondent who answered only "Không ý kiến"
 *    scores 0). Averaged over the N_v respondents of a version this is linear in the answers, so
 *    worst_v = mean over elements of (mean over the element's criteria of (n4 + n5) / N_v), and the
 *    versions count by their respondents, as in the index itself (composite.ts). Checked against a
 *    recomputation from each respondent's answers in no-opinion.test.ts.
 * Either worst case is never above its composite.
 */
import { type Measure, noOpinionShare } from './measures.ts';
import { isOnTarget } from './settle.ts';
import { type CellMoments, mergeCells } from './moments.ts';
import { type QuestionTotal, satisfied } from './ratings.ts';

/** A criterion of a questionnaire version, from the questionnaire itself (a criterion nobody answered has no total). */
export interface CriterionOf {
  questionId: number;
  element: string | null;
}

export interface NoOpinionFigures {
  /** Criterion answers "Không ý kiến" / all criterion answers (1-5 and "Không ý kiến"); null without any. */
  share: number | null;
  /** The composite if every "Không ý kiến" (and blank) criterion answer were dissatisfied; null without respondents. */
  worst: number | null;
}

export const NO_FIGURES: NoOpinionFigures = { share: null, worst: null };

/** Answers 4-5 per criterion question, summed over rows (fields, months). */
function satisfiedByQuestion(totals: QuestionTotal[]): Map<number, number> {
  const sums = new Map<number, number>();
  for (const t of totals) if (t.role === 'criterion') sums.set(t.questionId, (sums.get(t.questionId) ?? 0) + satisfied(t.counts));
  return sums;
}

/** Every response of each version (including those that answered no criterion), by version. */
function respondentsByVersion(cells: CellMoments[]): { questionnaireId: number; respondents: number }[] {
  return mergeCells(cells, (c) => String(c.questionnaireId))
    .filter((c) => c.respondents > 0)
    .map((c) => ({ questionnaireId: c.questionnaireId, respondents: c.respondents }));
}

/** The item rate if every "Không ý kiến" and blank criterion answer were dissatisfied. */
export function itemRateIfNoOpinionDissatisfied(
  totals: QuestionTotal[],
  cells: CellMoments[],
  criteriaOf: (questionnaireId: number) => CriterionOf[],
): number | null {
  const yes = satisfiedByQuestion(totals);
  let numerator = 0;
  let denominator = 0;
  for (const v of respondentsByVersion(cells)) {
    const criteria = criteriaOf(v.questionnaireId);
    for (const c of criteria) numerator += yes.get(c.questionId) ?? 0;
    denominator += v.respondents * criteria.length;
  }
  return denominator === 0 ? null : numerator / denominator;
}

/** The SIPAS index if every "Không ý kiến" and blank criterion answer were dissatisfied. */
export function sipasIfNoOpinionDissatisfied(
  totals: QuestionTotal[],
  cells: CellMoments[],
  criteriaOf: (questionnaireId: number) => CriterionOf[],
): number | null {
  const yes = satisfiedByQuestion(totals);
  let weighted = 0;
  let respondents = 0;
  for (const v of respondentsByVersion(cells)) {
    const byElement = new Map<string, number[]>();
    for (const c of criteriaOf(v.questionnaireId)) {
      if (c.element === null) continue;
      const list = byElement.get(c.element) ?? [];
      list.push((yes.get(c.questionId) ?? 0) / v.respondents);
      byElement.set(c.element, list);
    }
    // A version without elements has no SIPAS score at all: it is not in the index either.
    if (byElement.size === 0) continue;
    let sum = 0;
    for (const rates of byElement.values()) sum += rates.reduce((a, r) => a + r, 0) / rates.length;
    weighted += v.respondents * (sum / byElement.size);
    respondents += v.respondents;
  }
  return respondents === 0 ? null : weighted / respondents;
}

/** Both figures for a composite measure; none for the overall rate, which is not a composite. */
export function noOpinionFigures(
  measure: Measure,
  totals: QuestionTotal[],
  cells: CellMoments[],
  criteriaOf: (questionnaireId: number) => CriterionOf[],
): NoOpinionFigures {
  if (measure === 'overall_rate') return NO_FIGURES;
  const worst = measure === 'sipas_index' ? sipasIfNoOpinionDissatisfied(totals, cells, criteriaOf) : itemRateIfNoOpinionDissatisfied(totals, cells, criteriaOf);
  return { share: noOpinionShare(totals), worst };
}

/**
 * Whether the worst case lies on the other side of the target from a "met" verdict: the target is
 * "strictly above t", so a worst case on t (isOnTarget, as the settle figure reads it) or below it
 * would not pass.
 */
export function worstCaseFailsTarget(worst: number | null, target: number | null): boolean {
  return worst !== null && target !== null && (worst < target || isOnTarget(worst, target));
}
