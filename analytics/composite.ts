/**
 * The SIPAS index and the item rate of a slice, from the respondent-level sums of its desk ×
 * questionnaire-version cells, with their effective sample sizes and 95% intervals.
 *
 * SIPAS index. Each respondent has a score: the mean over the elements they answered of the share
 * of that element's criteria they rated 4-5 (analytics/respondent.ts) — the official formula
 * (criterion rate → element index → mean of elements) applied to one citizen. A version's index
 * at a desk is the mean of its respondents' scores. When nobody answers "Không ý kiến" this is
 * exactly the mean over elements of the mean of the criterion rates; when some do, it still is one
 * number whose value and interval come from the same respondent scores, and the index of two desks
 * pooled always lies between theirs.
 *
 * Several versions: every respondent counts once, whichever version they answered, so the index
 * of a desk that moved from one version to another is the mean of all its respondents' scores, and
 * desks count in proportion to their respondents. (Counting versions equally let the first
 * respondent on a new version halve a desk's index, and one answer in a small cell move the
 * interval the wrong way: issue 18.)
 *
 * Interval: the Wilson interval at n_eff = N² / Σ_v (n_v / ρ_v) over the versions, n_v the
 * version's respondents and ρ_v the information per respondent of that version (precision.ts),
 * measured on the province pool without the view's own respondents, so the view's answers never
 * move the precision their interval is read at. With one version it is ρ × respondents; with
 * several sharing one ρ, every further respondent adds exactly ρ.
 *
 * Item rate (the health ministry's overall rate): Σ answers 4-5 / Σ answers 1-5, a ratio of answers.
 * n_eff = answers / deff, deff the answer-weighted mean of the versions' design effects (the same
 * pool, without the view).
 */
import { addRatio, type CellMoments, EMPTY_RATIO, mergeCells } from './moments.ts';
import type { Precision } from './precision.ts';
import { type MeasureResult, measured, NO_RESULT } from './proportion.ts';
import { answered, type QuestionTotal } from './ratings.ts';

export function sipasIndex(cells: CellMoments[], precision: Precision): MeasureResult {
  const scored = mergeCells(cells, (c) => String(c.questionnaireId)).filter((c) => c.scored > 0);
  const total = scored.reduce((a, c) => a + c.scored, 0);
  if (total === 0) return NO_RESULT;
  const own = precision.without?.(cells) ?? precision;
  // Every respondent counts once: the mean of all scores, whichever version each answered.
  const value = scored.reduce((a, c) => a + c.scoreSum, 0) / total;
  // Var = Σ over versions of n_v / (N² ρ_v): each respondent's score is worth ρ of its version.
  const variance = scored.reduce((a, c) => a + c.scored / (total * total * own.scoreInformation(c.questionnaireId)), 0);
  return measured(value, total, 1 / variance);
}

export function itemRate(cells: CellMoments[], precision: Precision): MeasureResult {
  const ratio = cells.reduce((a, c) => addRatio(a, c.ratio), EMPTY_RATIO);
  if (ratio.x === 0) return NO_RESULT;
  const own = precision.without?.(cells) ?? precision;
  // Each version's answers at its own design effect: n_eff = answers / (their answer-weighted mean deff).
  const weighted = mergeCells(cells, (c) => String(c.questionnaireId)).reduce((a, c) => a + c.ratio.x * own.itemDesignEffect(c.questionnaireId), 0);
  return measured(ratio.y / ratio.x, ratio.respondents, (ratio.x * ratio.x) / weighted);
}

/**
 * Elements of a questionnaire version that nobody in the slice answered (only "Không ý kiến" or
 * no row at all), for every version with scored respondents. Each respondent's score skips what
 * they did not answer, so an element nobody answered is simply absent from the index: flagged,
 * because it usually lifts it (feedback handling is the element citizens most often skip).
 */
export function missingElements(
  totals: QuestionTotal[],
  cells: CellMoments[],
  elementsOf: (questionnaireId: number) => string[],
): { questionnaireId: number; elements: string[] }[] {
  const present = [...new Set(cells.filter((c) => c.scored > 0).map((c) => c.questionnaireId))].sort((a, b) => a - b);
  const answeredElements = new Set(
    totals.filter((t) => t.role === 'criterion' && t.element !== null && answered(t.counts) > 0).map((t) => `${t.questionnaireId}|${t.element}`),
  );
  return present
    .map((questionnaireId) => ({ questionnaireId, elements: elementsOf(questionnaireId).filter((e) => !answeredElements.has(`${questionnaireId}|${e}`)) }))
    .filter((m) => m.elements.length > 0);
}
