/**
 * The simulated citizens of `npm run bench -- --coverage`, and the exact truth of every measure for
 * them. Answers are generated the way real ones behave (issue 11): a citizen has a general mood η
 * (standard normal) that every answer shares with weight √r, so answers are correlated at r on the
 * latent scale; criteria differ a little in how hard they are to satisfy; "Không ý kiến" comes at
 * random (MAR) or more often from dissatisfied citizens (not at random, NMAR), and more often on the
 * feedback element E in both cases, as on real forms.
 *
 * The truth of each measure is computed exactly, not simulated: given η the answers are independent,
 * so every expectation is a sum over the few answer patterns of each element, integrated over η on
 * a fine grid. The estimates come from the application's own functions (analytics/), fed the same
 * sums the rollups keep.
 */
import { comprehensiveSatisfaction, overallRate } from '../analytics/measures.ts';
import { itemRate, sipasIndex } from '../analytics/composite.ts';
import { type CellMoments, EMPTY_RATIO } from '../analytics/moments.ts';
import { normalUpperTail } from '../analytics/normal.ts';
import type { Precision } from '../analytics/precision.ts';
import type { MeasureResult } from '../analytics/proportion.ts';
import type { CriterionAnswer } from '../analytics/respondent.ts';
import { addRespondent, emptyCell, Generator } from '../test/support/respondents.ts';

export type NoOpinion = 'mar' | 'nmar';

export interface Population {
  /** Criteria per element A..E. */
  elements: number[];
  r: number;
  noOpinion: NoOpinion;
  /** Mean share of satisfied answers over the criteria, before "no opinion". */
  level: number;
  /** Straight-liners: every criterion answered alike (all satisfied with chance `level`, or none). */
  straight?: boolean;
}

const ELEMENT_CODES = ['A', 'B', 'C', 'D', 'E'];

/** Criteria per element for the questionnaire sizes of the seeded templates. */
export function elementsFor(k: number): number[] {
  const known: Record<number, number[]> = { 5: [1, 1, 1, 1, 1], 10: [2, 2, 2, 2, 2], 16: [3, 4, 3, 3, 3], 22: [4, 5, 6, 3, 4] };
  const e = known[k];
  if (!e) throw new Error(`no element layout for k = ${k}: use 5, 10, 16 or 22`);
  return e;
}

const phi = (z: number) => 1 - normalUpperTail(z);

interface Criterion {
  element: number;
  /** Probit offset: criteria differ a little in how hard they are to satisfy. */
  offset: number;
}

function criteriaOf(p: Population): Criterion[] {
  const list: Criterion[] = [];
  const k = p.elements.reduce((a, b) => a + b, 0);
  let j = 0;
  p.elements.forEach((count, element) => {
    for (let i = 0; i < count; i++, j++) list.push({ element, offset: k === 1 ? 0 : -0.25 + (0.5 * ((j * 7) % k)) / (k - 1) });
  });
  return list;
}

/** Chance of "no opinion" on a criterion, by whether the citizen is satisfied with it. */
function noOpinionChance(p: Population, element: number, satisfied: boolean): number {
  const feedback = element === 4 ? 0.15 : 0;
  if (p.noOpinion === 'mar') return 0.08 + feedback;
  return (satisfied ? 0.03 : 0.3) + feedback;
}

/** The probit level L at which the criteria's mean satisfied share is `level`. */
function levelFor(criteria: Criterion[], level: number): number {
  let lo = -8;
  let hi = 8;
  for (let i = 0; i < 100; i++) {
    const mid = (lo + hi) / 2;
    const share = criteria.reduce((a, c) => a + phi(mid + c.offset), 0) / criteria.length;
    if (share < level) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

export interface Truth {
  overall: number;
  sipas: number;
  item: number;
  comprehensive: number;
  /** Chance that a citizen answers at least one criterion (has a score). */
  scored: number;
  /** Expected criteria answered 1..5 per citizen (the item rate's denominator). */
  answered: number;
}

/** A straight-liner's truths in closed form: every answer alike, "no opinion" still per criterion. */
function straightTruth(p: Population): Truth {
  const criteria = criteriaOf(p);
  const qs = criteria.map((c) => noOpinionChance(p, c.element, true));
  const qu = criteria.map((c) => noOpinionChance(p, c.element, false));
  const scoredIf = (q: number[]) => 1 - q.reduce((a, x) => a * x, 1);
  const answeredIf = (q: number[]) => q.reduce((a, x) => a + (1 - x), 0);
  const yes = p.level * scoredIf(qs);
  const no = (1 - p.level) * scoredIf(qu);
  const y = p.level * answeredIf(qs);
  const x = y + (1 - p.level) * answeredIf(qu);
  return { overall: p.level, sipas: yes / (yes + no), item: y / x, comprehensive: yes / (yes + no), scored: yes + no, answered: x };
}

/**
 * The truths of a view that mixes several populations (desks, versions, kinds of citizen) in the
 * given shares: each measure is its own ratio of expectations, so the parts add by those.
 */
export function mixtureTruth(parts: { population: Population; weight: number }[]): Truth {
  const sum = (f: (t: Truth) => number) => parts.reduce((a, part) => a + part.weight * f(truthOf(part.population)), 0);
  const weight = parts.reduce((a, part) => a + part.weight, 0);
  const scored = sum((t) => t.scored);
  const answered = sum((t) => t.answered);
  return {
    overall: sum((t) => t.overall) / weight,
    sipas: sum((t) => t.sipas * t.scored) / scored,
    item: sum((t) => t.item * t.answered) / answered,
    comprehensive: sum((t) => t.comprehensive * t.scored) / scored,
    scored: scored / weight,
    answered: answered / weight,
  };
}

/** Exact population values of the four measures (see the file comment). */
export function truthOf(p: Population): Truth {
  if (p.straight) return straightTruth(p);
  const criteria = criteriaOf(p);
  const L = levelFor(criteria, p.level);
  const sr = Math.sqrt(p.r);
  const se = Math.sqrt(1 - p.r);
  const steps = 1601;
  const width = 16 / (steps - 1);
  let scored = 0;
  let scoreMass = 0;
  let itemY = 0;
  let itemX = 0;
  let allSatisfied = 0;
  for (let s = 0; s < steps; s++) {
    const eta = -8 + s * width;
    const w = (Math.exp(-(eta * eta) / 2) / Math.sqrt(2 * Math.PI)) * width;
    // Per criterion: answered and satisfied, answered and not, no opinion.
    const probs = criteria.map((c) => {
      const sat = phi((sr * eta + L + c.offset) / se);
      const qs = noOpinionChance(p, c.element, true);
      const qu = noOpinionChance(p, c.element, false);
      return { element: c.element, yes: sat * (1 - qs), no: (1 - sat) * (1 - qu), skip: sat * qs + (1 - sat) * qu };
    });
    // Per element: P(answered at all) and E[share satisfied · 1{answered}], over its answer patterns.
    const elements = p.elements.map((_, e) => {
      const own = probs.filter((q) => q.element === e);
      let answeredP = 0;
      let shareMass = 0;
      const patterns = 3 ** own.length;
      for (let code = 0; code < patterns; code++) {
        let prob = 1;
        let yes = 0;
        let ans = 0;
        let rest = code;
        for (const q of own) {
          const state = rest % 3;
          rest = Math.floor(rest / 3);
          if (state === 0) {
            prob *= q.yes;
            yes++;
            ans++;
          } else if (state === 1) {
            prob *= q.no;
            ans++;
          } else prob *= q.skip;
        }
        if (ans > 0) {
          answeredP += prob;
          shareMass += (prob * yes) / ans;
        }
      }
      return { answered: answeredP, share: answeredP > 0 ? shareMass / answeredP : 0 };
    });
    // Elements are independent given η: the score averages the answered elements' shares.
    let sEta = 0;
    for (let subset = 1; subset < 1 << elements.length; subset++) {
      let prob = 1;
      let sum = 0;
      let count = 0;
      elements.forEach((el, e) => {
        if (subset & (1 << e)) {
          prob *= el.answered;
          sum += el.share;
          count++;
        } else prob *= 1 - el.answered;
      });
      sEta += (prob * sum) / count;
    }
    const none = probs.reduce((a, q) => a * q.skip, 1);
    scored += w * (1 - none);
    scoreMass += w * sEta;
    itemY += w * probs.reduce((a, q) => a + q.yes, 0);
    itemX += w * probs.reduce((a, q) => a + q.yes + q.no, 0);
    allSatisfied += w * (probs.reduce((a, q) => a * (q.yes + q.skip), 1) - none);
  }
  return { overall: p.level, sipas: scoreMass / scored, item: itemY / itemX, comprehensive: allSatisfied / scored, scored, answered: itemX };
}

/** The seeded generator of the simulated respondents, shared with the tests (test/support/respondents.ts). */
export { Generator };

/** Running sums of a sample: exactly what the rollups keep, one cell per desk and version. */
export class Sample {
  readonly cells = new Map<string, CellMoments>();
  overall = { n0: 0, n1: 0, n2: 0, n3: 0, n4: 0, n5: 0 };

  /** The one cell of a sample drawn at a single desk and version (the province pool). */
  get cell(): CellMoments {
    const [only] = this.cells.values();
    return only ?? this.cellAt(1, 1);
  }

  private cellAt(deskId: number, questionnaireId: number): CellMoments {
    const key = `${deskId}|${questionnaireId}`;
    let c = this.cells.get(key);
    if (!c) {
      c = emptyCell(deskId, questionnaireId);
      this.cells.set(key, c);
    }
    return c;
  }

  add(overallSatisfied: boolean, answers: CriterionAnswer[], deskId = 1, questionnaireId = 1): void {
    if (overallSatisfied) this.overall.n4++;
    else this.overall.n2++;
    // The same sums as the analytics tests' cells and the rollups of a stored response.
    addRespondent(this.cellAt(deskId, questionnaireId), answers);
  }

  /** The composite measures of the sample, by the application's functions. */
  measures(precision: Precision): Record<MeasureKey, MeasureResult> {
    const cells = [...this.cells.values()];
    return { sipas: sipasIndex(cells, precision), item: itemRate(cells, precision) };
  }
}

/** Draws citizens of a population; `unitSpread` > 0 gives each citizen a unit of their own (a province). */
export function citizens(p: Population, seed: number, unitSpread = 0): { next(sample: Sample, deskId?: number, questionnaireId?: number): void } {
  const criteria = criteriaOf(p);
  const L = levelFor(criteria, p.level);
  const overallLevel = levelFor([{ element: 0, offset: 0 }], p.level);
  const rng = new Generator(seed);
  const sr = Math.sqrt(p.r);
  const se = Math.sqrt(1 - p.r);
  const answers: CriterionAnswer[] = criteria.map((c) => ({ element: ELEMENT_CODES[c.element] ?? 'A', value: null }));
  const thresholds = criteria.map((c) => L + c.offset);
  const skipIfSatisfied = criteria.map((c) => noOpinionChance(p, c.element, true));
  const skipIfNot = criteria.map((c) => noOpinionChance(p, c.element, false));
  const k = criteria.length;
  return {
    next(sample, deskId, questionnaireId) {
      if (p.straight) {
        // One key for everything: satisfied on all or on none, "no opinion" still per criterion.
        const satisfied = rng.uniform() < p.level;
        for (let j = 0; j < k; j++) {
          const answer = answers[j] as CriterionAnswer;
          answer.value = rng.uniform() < (satisfied ? (skipIfSatisfied[j] as number) : (skipIfNot[j] as number)) ? null : satisfied ? 5 : 2;
        }
        sample.add(satisfied, answers, deskId, questionnaireId);
        return;
      }
      const unit = unitSpread > 0 ? unitSpread * rng.normal() : 0;
      const mood = sr * rng.normal() + unit;
      const overall = rng.uniform() < phi((mood + overallLevel) / se);
      // Given the mood, answers are independent: each is satisfied with chance Φ((mood + level) / √(1 − r)).
      for (let j = 0; j < k; j++) {
        const satisfied = rng.uniform() < phi((mood + (thresholds[j] as number)) / se);
        const answer = answers[j] as CriterionAnswer;
        if (rng.uniform() < (satisfied ? (skipIfSatisfied[j] as number) : (skipIfNot[j] as number))) answer.value = null;
        else answer.value = satisfied ? 4 + (j % 2) : 2 + (j % 2);
      }
      sample.add(overall, answers, deskId, questionnaireId);
    },
  };
}

/** The composite measures, simulated; the plain proportions are computed exactly (exactCoverage). */
export const MEASURES = ['sipas', 'item'] as const;
export type MeasureKey = (typeof MEASURES)[number];

export interface Tally {
  /** Replications with an interval (n > 0). */
  valid: number;
  covered: number;
  /** "met" against a target equal to the truth: the wrong "met" of issue 11. */
  falseMet: number;
  insufficient: number;
  width: number;
}

/** One part of a simulated view: citizens of a population at a desk, on a questionnaire version. */
export interface Part {
  population: Population;
  /** Share of the view's citizens (weights need not add to 1). */
  weight: number;
  deskId: number;
  questionnaireId: number;
}

export interface Task {
  parts: Part[];
  /** Sample sizes, ascending: one sample of the largest is drawn and read at each size on the way. */
  sizes: number[];
  replications: number;
  seed: number;
  /**
   * The pool's sums, per desk and version: the province (desk 0) and, where the scenario has one,
   * each desk's own history. Precision comes from it as in the application; the view is drawn apart
   * from it, so it already is the pool without the view.
   */
  pool: CellMoments[];
  /** Criteria of each questionnaire version (the safe-side design effect). */
  criteria: Record<number, number>;
  minN: number;
}

/** tallies[size index][measure] */
export type TaskResult = Record<MeasureKey, Tally>[];

function logFactorials(n: number): Float64Array {
  const table = new Float64Array(n + 1);
  for (let i = 2; i <= n; i++) table[i] = (table[i - 1] as number) + Math.log(i);
  return table;
}

function binomial(n: number, p: number, logf: Float64Array): { x: number; prob: number }[] {
  const terms: { x: number; prob: number }[] = [];
  for (let x = 0; x <= n; x++) {
    const logP = (logf[n] as number) - (logf[x] as number) - (logf[n - x] as number) + (x > 0 ? x * Math.log(p) : 0) + (n - x > 0 ? (n - x) * Math.log(1 - p) : 0);
    const prob = Math.exp(logP);
    if (prob > 1e-15) terms.push({ x, prob });
  }
  return terms;
}

export interface ExactTally {
  coverage: number;
  wrongMet: number;
}

/**
 * Exact coverage of the plain Wilson interval of the overall rate and of comprehensive
 * satisfaction at n citizens: every possible count, weighted by its binomial probability, through
 * the application's functions. No simulation noise, so Wilson's own oscillation at small n shows.
 */
export function exactCoverage(truth: Truth, n: number, judgeMet: (m: MeasureResult, target: number) => boolean): Record<'overall' | 'comprehensive', ExactTally> {
  const logf = logFactorials(n);
  const overall = { coverage: 0, wrongMet: 0 };
  for (const { x, prob } of binomial(n, truth.overall, logf)) {
    const m = overallRate([{ questionId: 1, questionnaireId: 1, role: 'overall', element: null, counts: { n0: 0, n1: 0, n2: n - x, n3: 0, n4: x, n5: 0 } }]);
    if (m.ci && m.ci.low <= truth.overall && truth.overall <= m.ci.high) overall.coverage += prob;
    if (judgeMet(m, truth.overall)) overall.wrongMet += prob;
  }
  const comprehensive = { coverage: 0, wrongMet: 0 };
  // The scored citizens are Binomial(n, P(scored)); among them the satisfied ones Binomial(scored, π).
  for (const s of binomial(n, truth.scored, logf)) {
    if (s.x === 0) continue;
    for (const { x, prob } of binomial(s.x, truth.comprehensive, logf)) {
      const cell = { deskId: 1, questionnaireId: 1, respondents: n, scored: s.x, scoreSum: 0, scoreSq: 0, allSatisfied: x, ratio: { ...EMPTY_RATIO } };
      const m = comprehensiveSatisfaction([cell]);
      if (m.ci && m.ci.low <= truth.comprehensive && truth.comprehensive <= m.ci.high) comprehensive.coverage += s.prob * prob;
      if (judgeMet(m, truth.comprehensive)) comprehensive.wrongMet += s.prob * prob;
    }
  }
  return { overall, comprehensive };
}
