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
export function scoreInformation(pool: CellMoments, minimum = MIN_POOL_RESPONDENTS): number | null {
  const n = pool.scored;
  if (n < minimum || n < 2) return null;
  const p = pool.scoreSum / n;
  const s2 = (pool.scoreSq - (pool.scoreSum * pool.scoreSum) / n) / (n - 1);
  const binomial = p * (1 - p);
  if (!(binomial > 0) || !(s2 > 0)) return null;
  const answersPerRespondent = pool.ratio.x / n;
  return Math.min(Math.max(1, answersPerRespondent), Math.max(1, binomial / s2));
}

/** Design effect of the item rate in a pool of one questionnaire version; null when unusable. */
export function itemDesignEffect(pool: CellMoments, minimum = MIN_POOL_RESPONDENTS): number | null {
  const m = pool.ratio;
  const n = m.respondents;
  if (n < minimum || n < 2 || m.x === 0) return null;
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

/**
 * A desk's own history (the same pool, that desk and version only) is a floor on the uncertainty:
 * where its citizens' answers agree more than the province's (a counter tablet where people press
 * one key for everything, a desk far below the province's level), its respondents are worth less
 * and the desk's figure is used; where they agree less, the province's stands. Being a floor, it
 * is trusted sooner than the province's figure: from nothing at DESK_FROM respondents to fully at
 * DESK_FULL, in proportion. Like the province's, it is read without the view's own respondents, so
 * the view's answers never move the precision they are read at (issue 18).
 */
export const DESK_FROM = 30;
export const DESK_FULL = 300;

export function deskTrust(n: number): number {
  return Math.min(1, Math.max(0, (n - DESK_FROM) / (DESK_FULL - DESK_FROM)));
}

export interface DeskLevel {
  score: number;
  rate: number;
  clusterSize: number;
  trust: number;
}

export interface Precision {
  /**
   * ρ of a questionnaire version (1 without a usable pool); with a desk, the smaller of that and
   * the desk's own (its history without the view), as trusted so far.
   */
  scoreInformation(questionnaireId: number, deskId?: number): number;
  /**
   * Design effect of the item rate of a questionnaire version (its number of criteria without a
   * usable pool); with a desk, the larger of that and the desk's own, as trusted so far.
   */
  itemDesignEffect(questionnaireId: number, deskId?: number): number;
  /**
   * Where a desk usually stands, from its own history (without the view): its SIPAS score and item
   * rate, the mean of a respondent's answers squared over answers (Σx²/Σx), and how far it is
   * trusted (deskTrust). Null below DESK_FROM respondents. A view of several desks far apart varies
   * more than its desks do one by one (composite.ts adds the spread between them).
   */
  deskLevel?(questionnaireId: number, deskId: number): DeskLevel | null;
  /**
   * The same figures measured on the pool without the view's own respondents, so that the view's
   * answers never change the precision its own interval is read at (issue 18: the 300th respondent
   * of a version, dissatisfied, turned verdicts into "met" by making the pool usable). The view must
   * lie inside the pool (figures/precision.ts widens the pool to the view).
   */
  without?(view: CellMoments[]): Precision;
}

/**
 * The precision figures of every version found in the pool. `criteriaOf` gives a version's number
 * of criteria, the fallback design effect. Each measured figure is moved from the safe fallback
 * toward its measured value as the version's pool grows (poolTrust): no step at any pool size.
 */
export function precisionFromPool(pool: CellMoments[], criteriaOf: (questionnaireId: number) => number): Precision {
  const desks = new Map(mergeCells(pool, deskKey).map((c) => [deskKey(c), c]));
  const versions = new Map(mergeCells(pool, (c) => String(c.questionnaireId)).map((v) => [v.questionnaireId, v]));
  return precisionOf((key) => desks.get(key), versions, criteriaOf);
}

const deskKey = (c: { deskId: number; questionnaireId: number }) => `${c.deskId}|${c.questionnaireId}`;

/**
 * The figures of a pool given as its desks (each desk and version's history, by deskKey) and its
 * versions' totals. A desk's figures are worked out when a view asks for that desk, and kept; so a
 * view of a few desks costs a few desks' work, not the province's (a ranking asks for each of 130
 * units, each without its own respondents).
 */
function precisionOf(desk: (key: string) => CellMoments | undefined, versions: ReadonlyMap<number, CellMoments>, criteriaOf: (questionnaireId: number) => number): Precision {
  const information = new Map<number, number>();
  const designEffect = new Map<number, number>();
  for (const version of versions.values()) {
    const rho = scoreInformation(version);
    const deff = itemDesignEffect(version);
    const fallback = Math.max(1, criteriaOf(version.questionnaireId));
    if (rho !== null) information.set(version.questionnaireId, 1 + poolTrust(version.scored) * (rho - 1));
    if (deff !== null) designEffect.set(version.questionnaireId, fallback + poolTrust(version.ratio.respondents) * (deff - fallback));
  }
  const provinceInformation = (q: number) => information.get(q) ?? 1;
  const provinceDesignEffect = (q: number) => designEffect.get(q) ?? Math.max(1, criteriaOf(q));
  // The desk floors (deskTrust moves them in smoothly) and levels, once per desk and version asked for.
  const floors = new Map<string, { information: number | undefined; designEffect: number | undefined; level: DeskLevel | null }>();
  const floorsOf = (key: string) => {
    const known = floors.get(key);
    if (known) return known;
    const history = desk(key);
    let figures: { information: number | undefined; designEffect: number | undefined; level: DeskLevel | null } = { information: undefined, designEffect: undefined, level: null };
    if (history) {
      const rho = scoreInformation(history, DESK_FROM);
      const deff = itemDesignEffect(history, DESK_FROM);
      const province = { rho: provinceInformation(history.questionnaireId), deff: provinceDesignEffect(history.questionnaireId) };
      figures = {
        information: rho !== null && rho < province.rho ? province.rho + deskTrust(history.scored) * (rho - province.rho) : undefined,
        designEffect: deff !== null && deff > province.deff ? province.deff + deskTrust(history.ratio.respondents) * (deff - province.deff) : undefined,
        level:
          history.scored < DESK_FROM || history.ratio.x === 0
            ? null
            : { score: history.scoreSum / history.scored, rate: history.ratio.y / history.ratio.x, clusterSize: history.ratio.xx / history.ratio.x, trust: deskTrust(history.scored) },
      };
    }
    floors.set(key, figures);
    return figures;
  };
  return {
    deskLevel: (q, deskId) => floorsOf(`${deskId}|${q}`).level,
    scoreInformation: (q, deskId) => (deskId === undefined ? undefined : floorsOf(`${deskId}|${q}`).information) ?? provinceInformation(q),
    itemDesignEffect: (q, deskId) => (deskId === undefined ? undefined : floorsOf(`${deskId}|${q}`).designEffect) ?? provinceDesignEffect(q),
    without(view) {
      // The view's desks without their part of it; each version's total moved by what its desks lost.
      const left = new Map<string, CellMoments>();
      const totals = new Map(versions);
      for (const part of mergeCells(view, deskKey)) {
        const key = deskKey(part);
        const all = desk(key);
        if (!all) continue;
        const rest = subtract(all, part);
        left.set(key, rest);
        const total = totals.get(all.questionnaireId);
        if (total) totals.set(all.questionnaireId, moved(total, all, rest));
      }
      return precisionOf((key) => left.get(key) ?? desk(key), totals, criteriaOf);
    },
  };
}

/** A total with one of its parts replaced: total − was + now (sums kept at or above 0 against rounding). */
function moved(total: CellMoments, was: CellMoments, now: CellMoments): CellMoments {
  const m = (t: number, a: number, b: number) => Math.max(0, t - a + b);
  return {
    ...total,
    respondents: m(total.respondents, was.respondents, now.respondents),
    scored: m(total.scored, was.scored, now.scored),
    scoreSum: m(total.scoreSum, was.scoreSum, now.scoreSum),
    scoreSq: m(total.scoreSq, was.scoreSq, now.scoreSq),
    allSatisfied: m(total.allSatisfied, was.allSatisfied, now.allSatisfied),
    ratio: {
      respondents: m(total.ratio.respondents, was.ratio.respondents, now.ratio.respondents),
      x: m(total.ratio.x, was.ratio.x, now.ratio.x),
      y: m(total.ratio.y, was.ratio.y, now.ratio.y),
      xx: m(total.ratio.xx, was.ratio.xx, now.ratio.xx),
      yy: m(total.ratio.yy, was.ratio.yy, now.ratio.yy),
      xy: m(total.ratio.xy, was.ratio.xy, now.ratio.xy),
    },
  };
}

/** A version's pool without the view's part of it (sums kept at or above 0 against rounding). */
function subtract(all: CellMoments, own: CellMoments): CellMoments {
  const d = (a: number, b: number) => Math.max(0, a - b);
  return {
    deskId: all.deskId,
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
