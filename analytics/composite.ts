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
 * Several versions: a desk that used two versions in the period (say it moved from tthc-full to
 * tthc-short) counts each version equally, so a shift in how many forms of each kind were filled in
 * does not move its index; desks count in proportion to their respondents.
 *
 * Interval: the Wilson interval at n_eff = 1 / Σ W² / (n ρ) over the desk × version cells, W the
 * weight of a cell's mean, n its respondents and ρ the information per respondent of its version,
 * measured on the province pool (precision.ts): the variance of a weighted mean of independent cell
 * means, each a mean of n scores worth ρ yes/no answers. With one version it is ρ × respondents.
 *
 * Item rate (the health ministry's overall rate): Σ answers 4-5 / Σ answers 1-5, a ratio of answers.
 * n_eff = answers / deff, deff the pooled design effect (the largest among the slice's versions).
 */
import { addRatio, type CellMoments, EMPTY_RATIO, mergeCells } from './moments.ts';
import type { Precision } from './precision.ts';
import { type MeasureResult, measured, NO_RESULT } from './proportion.ts';
import { answered, type QuestionTotal } from './ratings.ts';

export function sipasIndex(cells: CellMoments[], precision: Precision): MeasureResult {
  const scored = mergeCells(cells, (c) => `${c.deskId}|${c.questionnaireId}`).filter((c) => c.scored > 0);
  const total = scored.reduce((a, c) => a + c.scored, 0);
  if (total === 0) return NO_RESULT;
  const byDesk = new Map<number, CellMoments[]>();
  for (const c of scored) byDesk.set(c.deskId, [...(byDesk.get(c.deskId) ?? []), c]);
  let value = 0;
  let variance = 0;
  for (const versions of byDesk.values()) {
    const deskShare = versions.reduce((a, c) => a + c.scored, 0) / total;
    for (const c of versions) {
      const weight = deskShare / versions.length;
      value += (weight * c.scoreSum) / c.scored;
      variance += (weight * weight) / (c.scored * precision.scoreInformation(c.questionnaireId));
    }
  }
  return measured(value, total, 1 / variance);
}

export function itemRate(cells: CellMoments[], precision: Precision): MeasureResult {
  const ratio = cells.reduce((a, c) => addRatio(a, c.ratio), EMPTY_RATIO);
  if (ratio.x === 0) return NO_RESULT;
  const deff = Math.max(...cells.filter((c) => c.ratio.x > 0).map((c) => precision.itemDesignEffect(c.questionnaireId)));
  return measured(ratio.y / ratio.x, ratio.respondents, ratio.x / deff);
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
