/**
 * How much information one respondent's answers carry, measured once on a large pool (the whole
 * province over the 12 months that end on the last day of the view) and applied to every slice.
 *
 * Why not measure it in each slice: a citizen who rates 22 criteria has given more than one yes/no
 * answer but less than 22 independent ones, because their answers move together. Estimating how
 * much less from 30 respondents is hopeless near 100%: thirty perfect scores show no spread at all,
 * one answer of 3 shows almost none, and the interval jumped from "30 answers" to "660 answers"
 * (issue 11). The correlation between a citizen's answers is a property of the questionnaire and
 * of how people answer it, not of one commune, so it is estimated where there is plenty of data.
 * Because a slice's effective sample size then depends only on how many respondents it has, never
 * on their scores, an extra dissatisfied answer can only lower the value and its bounds.
 *
 * Two figures per questionnaire version:
 * - information ρ of the respondent score (SIPAS index): ρ = p(1−p) / s², the number of
 *   independent yes/no answers a respondent is worth (Kish's design effect, inverted). It is kept
 *   between 1 (a respondent is one answer) and the mean number of criteria answered.
 * - design effect of the item rate (a ratio of answers): deff = Var(ratio) / (r(1−r) / answers),
 *   with the ratio's variance by Taylor linearisation over respondents; kept between 1 (answers
 *   independent) and Σx²/Σx (a respondent's answers all alike).
 * Without a usable pool (fewer than MIN_POOL_RESPONDENTS scored respondents, or a pool at exactly 0%
 * or 100%) the safe side is taken: ρ = 1, and deff = the questionnaire's number of criteria.
 */
import { type CellMoments, mergeCells } from './moments.ts';

/** Below this many scored respondents of a version in the pool, its spread is not trusted. */
export const MIN_POOL_RESPONDENTS = 300;

/** ρ of the SIPAS respondent score in a pool of one questionnaire version; null when unusable. */
export function scoreInformation(pool: CellMoments): number | null {
  const n = pool.scored;
  if (n < MIN_POOL_RESPONDENTS) return null;
  const p = pool.scoreSum / n;
  const s2 = (pool.scoreSq - (pool.scoreSum * pool.scoreSum) / n) / (n - 1);
  const binomial = p * (1 - p);
  if (!(binomial > 0) || !(s2 > 0)) return null;
  const answersPerRespondent = pool.ratio.x / n;
  return Math.min(Math.max(1, answersPerRespondent), Math.max(1, binomial / s2));
}

/** Design effect of the item rate in a pool of one questionnaire version; null when unusable. */
export function itemDesignEffect(pool: CellMoments): number | null {
  const m = pool.ratio;
  const n = m.respondents;
  if (n < MIN_POOL_RESPONDENTS || m.x === 0) return null;
  const r = m.y / m.x;
  const binomial = r * (1 - r);
  if (!(binomial > 0)) return null;
  // Σ (y − r·x)² over respondents, expanded so it can be computed from the running sums.
  const sumD2 = Math.max(0, m.yy - 2 * r * m.xy + r * r * m.xx);
  const deff = (n * sumD2) / ((n - 1) * m.x * binomial);
  return Math.min(m.xx / m.x, Math.max(1, deff));
}

/** Below this many scored respondents of a version in the pool, its measured figures count for nothing… */
export const RAMP_FROM = MIN_POOL_RESPONDENTS;
/** …and from this many, fully; in between, in proportion, so no single respondent is a step (issue 18). */
export const RAMP_FULL = 1_500;

/** How much a pool of n respondents of a version is trusted: 0 below RAMP_FROM, 1 from RAMP_FULL. */
export function poolTrust(n: number): number {
  return Math.min(1, Math.max(0, (n - RAMP_FROM) / (RAMP_FULL - RAMP_FROM)));
}

export interface Precision {
  /** ρ of a questionnaire version (1 without a usable pool). */
  scoreInformation(questionnaireId: number): number;
  /** Design effect of the item rate of a questionnaire version (its number of criteria without a usable pool). */
  itemDesignEffect(questionnaireId: number): number;
  /**
   * The same figures measured on the pool without the view's own respondents, so that the view's
   * answers never change the precision its own interval is read at (issue 18: the 300th respondent
   * of a version, dissatisfied, turned verdicts into "met" by making the pool usable). The view must
   * lie inside the pool (reports/precision.ts widens the pool to the view).
   */
  without?(view: CellMoments[]): Precision;
}

/**
 * The precision figures of every version found in the pool. `criteriaOf` gives a version's number
 * of criteria, the fallback design effect. Each measured figure is moved from the safe fallback
 * toward its measured value as the version's pool grows (poolTrust): no step at any pool size.
 */
export function precisionFromPool(pool: CellMoments[], criteriaOf: (questionnaireId: number) => number): Precision {
  const versions = new Map(mergeCells(pool, (c) => String(c.questionnaireId)).map((v) => [v.questionnaireId, v]));
  const information = new Map<number, number>();
  const designEffect = new Map<number, number>();
  for (const version of versions.values()) {
    const rho = scoreInformation(version);
    const deff = itemDesignEffect(version);
    const fallback = Math.max(1, criteriaOf(version.questionnaireId));
    if (rho !== null) information.set(version.questionnaireId, 1 + poolTrust(version.scored) * (rho - 1));
    if (deff !== null) designEffect.set(version.questionnaireId, fallback + poolTrust(version.ratio.respondents) * (deff - fallback));
  }
  return {
    scoreInformation: (q) => information.get(q) ?? 1,
    itemDesignEffect: (q) => designEffect.get(q) ?? Math.max(1, criteriaOf(q)),
    without(view) {
      const left: CellMoments[] = [];
      for (const own of mergeCells(view, (c) => String(c.questionnaireId))) {
        const all = versions.get(own.questionnaireId);
        if (all) left.push(subtract(all, own));
      }
      for (const [q, all] of versions) if (!view.some((c) => c.questionnaireId === q)) left.push(all);
      return precisionFromPool(left, criteriaOf);
    },
  };
}

/** A version's pool without the view's part of it (sums kept at or above 0 against rounding). */
function subtract(all: CellMoments, own: CellMoments): CellMoments {
  const d = (a: number, b: number) => Math.max(0, a - b);
  return {
    deskId: 0,
    questionnaireId: all.questionnaireId,
    respondents: d(all.respondents, own.respondents),
    scored: d(all.scored, own.scored),
    scoreSum: d(all.scoreSum, own.scoreSum),
    scoreSq: d(all.scoreSq, own.scoreSq),
    allSatisfied: d(all.allSatisfied, own.allSatisfied),
    ratio: {
      respondents: d(all.ratio.respondents, own.ratio.respondents),
      x: d(all.ratio.x, own.ratio.x),
      y: d(all.ratio.y, own.ratio.y),
      xx: d(all.ratio.xx, own.ratio.xx),
      yy: d(all.ratio.yy, own.ratio.yy),
      xy: d(all.ratio.xy, own.ratio.xy),
    },
  };
}

/** No pool at all: every version on the safe side (tests, and a database in its first weeks). */
export function unpooledPrecision(criteriaOf: (questionnaireId: number) => number): Precision {
  return precisionFromPool([], criteriaOf);
}
