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
 * Interval: the Wilson interval at n_eff = N² / Σ_dv (n_dv / ρ_dv) over the view's desks and
 * versions, n_dv their respondents and ρ_dv the information per respondent (precision.ts): the
 * version's, measured on the province pool, or the desk's own history's where that is smaller (a
 * counter tablet where people press one key). Desks whose histories stand far apart add the spread
 * between them (withSpread). Everything is measured without the view's own respondents, so the
 * view's answers never move the precision their interval is read at. With one desk and version it
 * is ρ × respondents.
 *
 * Item rate (the health ministry's overall rate): Σ answers 4-5 / Σ answers 1-5, a ratio of answers.
 * n_eff = answers² / Σ_dv answers_dv · deff_dv, the same way (the version's design effect, or the
 * desk's where larger, plus the spread between desks).
 */
import { addRatio, type CellMoments, EMPTY_RATIO, mergeCells } from './moments.ts';
import type { DeskLevel, Precision } from './precision.ts';
import { type MeasureResult, measured, NO_RESULT } from './proportion.ts';
import { answered, type QuestionTotal } from './ratings.ts';

const deskVersion = (c: CellMoments) => `${c.deskId}|${c.questionnaireId}`;

export function sipasIndex(cells: CellMoments[], precision: Precision): MeasureResult {
  const scored = mergeCells(cells, (c) => String(c.questionnaireId)).filter((c) => c.scored > 0);
  const total = scored.reduce((a, c) => a + c.scored, 0);
  if (total === 0) return NO_RESULT;
  const own = precision.without?.(cells) ?? precision;
  // Every respondent counts once: the mean of all scores, whichever version each answered.
  const value = scored.reduce((a, c) => a + c.scoreSum, 0) / total;
  // Var / p(1−p) = Σ over desks and versions of n_dv·v_dv / N²: each respondent's score is worth ρ of
  // its version (v = 1/ρ), or less where the desk's own history says so (precision.ts), plus the
  // spread between desks that usually stand far apart.
  const parts = mergeCells(cells, deskVersion).filter((c) => c.scored > 0);
  const relative = withSpread(
    parts.map((c) => ({ weight: c.scored, base: 1 / own.scoreInformation(c.questionnaireId, c.deskId), level: own.deskLevel?.(c.questionnaireId, c.deskId) ?? null })),
    (l) => l.score,
    (l, base) => l.score * (1 - l.score) * base,
    () => 0,
  );
  const variance = relative.reduce((a, v, i) => a + (parts[i]?.scored ?? 0) * v, 0);
  const result = measured(value, total, (total * total) / variance);
  const next = growth(parts, relative, (c) => c.scored, (c) => c.scored);
  return next ? { ...result, growth: { weight: total, variance, ...next } } : result;
}

/**
 * What one more respondent adds, on average, if respondents keep arriving at each desk in its share
 * of the view's respondents and answer its current version (the cell with the latest day; issue 18:
 * a desk that moved to a new version is settled by answers on that version only). Null when a
 * cell does not say when it was last used.
 */
function growth(
  parts: CellMoments[],
  relative: number[],
  respondents: (c: CellMoments) => number,
  weight: (c: CellMoments) => number,
): { weightPerRespondent: number; variancePerRespondent: number } | null {
  if (parts.some((c) => c.lastDay === undefined)) return null;
  const desks = new Map<number, { respondents: number; current: number }>();
  parts.forEach((c, i) => {
    const desk = desks.get(c.deskId);
    if (!desk) desks.set(c.deskId, { respondents: respondents(c), current: i });
    else {
      desk.respondents += respondents(c);
      if ((c.lastDay ?? '') > (parts[desk.current]?.lastDay ?? '')) desk.current = i;
    }
  });
  const all = [...desks.values()].reduce((a, d) => a + d.respondents, 0);
  if (!(all > 0)) return null;
  let weightPerRespondent = 0;
  let variancePerRespondent = 0;
  for (const d of desks.values()) {
    const cell = parts[d.current];
    if (!cell || !(respondents(cell) > 0)) return null;
    // A respondent at this desk brings the current cell's weight (1, or its answers) at its variance.
    const share = d.respondents / all;
    const each = weight(cell) / respondents(cell);
    weightPerRespondent += share * each;
    variancePerRespondent += share * each * (relative[d.current] ?? 0);
  }
  return { weightPerRespondent, variancePerRespondent };
}

interface Part {
  weight: number;
  /** Variance per unit of weight relative to p(1−p) from the pools alone (1/ρ, or deff). */
  base: number;
  level: DeskLevel | null;
}

/**
 * Between-desk terms (issue 18): a view of desks that usually stand far apart (99%, 95% and 60%)
 * varies more than each desk does, and the province's ρ alone read three such desks at 86-87%
 * coverage. Each part's variance per unit of weight, relative to p̄(1−p̄) at the desks' usual mean
 * p̄ = Σ w·t·p_d / Σ w·t, becomes [within_d + spread·(p_d − p̄)²] / p̄(1−p̄), moved in by the
 * desk's trust t, and never below the pool's alone. Everything here comes from the desks'
 * histories and the view's counts, never from the view's answers, so one more answer can move the
 * interval only through the value (the property tests in monotonicity.test.ts).
 */
function withSpread(
  parts: Part[],
  level: (l: DeskLevel) => number,
  within: (l: DeskLevel, base: number) => number,
  spread: (l: DeskLevel) => number,
): number[] {
  const known = parts.filter((p): p is Part & { level: DeskLevel } => p.level !== null && p.level.trust > 0);
  const mass = known.reduce((a, p) => a + p.weight * p.level.trust, 0);
  if (mass === 0) return parts.map((p) => p.base);
  const mean = known.reduce((a, p) => a + p.weight * p.level.trust * level(p.level), 0) / mass;
  const binomial = mean * (1 - mean);
  if (!(binomial > 0)) return parts.map((p) => p.base);
  return parts.map((p) => {
    if (!p.level || p.level.trust === 0) return p.base;
    const d = level(p.level) - mean;
    const spreadOut = (within(p.level, p.base) + (1 + spread(p.level)) * d * d) / binomial;
    return Math.max(p.base, (1 - p.level.trust) * p.base + p.level.trust * spreadOut);
  });
}

export function itemRate(cells: CellMoments[], precision: Precision): MeasureResult {
  const ratio = cells.reduce((a, c) => addRatio(a, c.ratio), EMPTY_RATIO);
  if (ratio.x === 0) return NO_RESULT;
  const own = precision.without?.(cells) ?? precision;
  // Each version's answers at its own design effect: n_eff = answers / (their answer-weighted mean deff).
  // Each answer at its desk's and version's design effect, plus the spread between desks (withSpread):
  // Σ_i x_i² (r_d − r̄)² over a desk's respondents is x_d · (Σx²/Σx) · (r_d − r̄)².
  const parts = mergeCells(cells, deskVersion).filter((c) => c.ratio.x > 0);
  const relative = withSpread(
    parts.map((c) => ({ weight: c.ratio.x, base: own.itemDesignEffect(c.questionnaireId, c.deskId), level: own.deskLevel?.(c.questionnaireId, c.deskId) ?? null })),
    (l) => l.rate,
    (l, base) => l.rate * (1 - l.rate) * base,
    (l) => l.clusterSize - 1,
  );
  const weighted = relative.reduce((a, v, i) => a + (parts[i]?.ratio.x ?? 0) * v, 0);
  const result = measured(ratio.y / ratio.x, ratio.respondents, (ratio.x * ratio.x) / weighted);
  const next = growth(parts, relative, (c) => c.ratio.respondents, (c) => c.ratio.x);
  return next ? { ...result, growth: { weight: ratio.x, variance: weighted, ...next } } : result;
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
