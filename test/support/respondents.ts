/**
 * Simulated respondents, shared by the tests and the bench (issue 19, item 4): one seeded generator
 * (the one db/seed/demo.ts draws the demo with), the address of the n-th citizen's phone, and a
 * respondent's answers turned into the rollup sums by the application's own respondent summary,
 * exactly as a stored response is. bench/coverage-model.ts draws its citizens with these; the
 * analytics tests write respondents by hand (`answers`); the HTTP tests' phones are builders.citizen.
 */
import { type CellMoments, EMPTY_RATIO } from '../../analytics/moments.ts';
import { type CriterionAnswer, summarizeRespondent } from '../../analytics/respondent.ts';

/** A respondent's criterion answers, e.g. answers('A5 A3 B4 C-') ('-' is "Không ý kiến"). */
export function answers(spec: string): CriterionAnswer[] {
  return spec
    .trim()
    .split(/\s+/)
    .filter((s) => s !== '')
    .map((s) => ({ element: s.slice(0, 1), value: s.slice(1) === '-' ? null : Number(s.slice(1)) }));
}

/** A desk × version cell with no respondents yet. */
export function emptyCell(deskId = 1, questionnaireId = 1): CellMoments {
  return { deskId, questionnaireId, respondents: 0, scored: 0, scoreSum: 0, scoreSq: 0, allSatisfied: 0, ratio: { ...EMPTY_RATIO } };
}

/** Adds one respondent to the sums of a cell, as the rollups do for a stored response. */
export function addRespondent(cell: CellMoments, answers: CriterionAnswer[]): void {
  const s = summarizeRespondent(answers);
  cell.respondents++;
  if (s.score !== null) {
    cell.scored++;
    cell.scoreSum += s.score;
    cell.scoreSq += s.score * s.score;
    cell.ratio.respondents++;
  }
  if (s.allSatisfied) cell.allSatisfied++;
  cell.ratio.x += s.items;
  cell.ratio.y += s.itemsSatisfied;
  cell.ratio.xx += s.items * s.items;
  cell.ratio.yy += s.itemsSatisfied * s.itemsSatisfied;
  cell.ratio.xy += s.items * s.itemsSatisfied;
}

/** The sums a desk × version cell keeps for these respondents. */
export function cellOf(respondents: CriterionAnswer[][], deskId = 1, questionnaireId = 1): CellMoments {
  const cell = emptyCell(deskId, questionnaireId);
  for (const r of respondents) addRespondent(cell, r);
  return cell;
}

/**
 * mulberry32 (uniform) and Box–Muller (normal): seeded, so a run can be repeated exactly. The same
 * stream as db/seed/demo.ts's seededRandom, as a class: in the coverage bench's loop of a billion
 * draws it runs twice as fast.
 */
export class Generator {
  private state: number;
  private spare: number | null = null;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  uniform(): number {
    this.state = (this.state + 0x6d2b79f5) | 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  normal(): number {
    if (this.spare !== null) {
      const s = this.spare;
      this.spare = null;
      return s;
    }
    const radius = Math.sqrt(-2 * Math.log(1 - this.uniform()));
    const angle = 2 * Math.PI * this.uniform();
    this.spare = radius * Math.sin(angle);
    return radius * Math.cos(angle);
  }
}

/** A seeded uniform draw in [0, 1): the same simulated citizens every run. */
export function seeded(seed: number): () => number {
  const generator = new Generator(seed);
  return () => generator.uniform();
}

/**
 * The address of the n-th simulated citizen's phone (n ≥ 1), as a trusted proxy passes it on: each
 * citizen one client to the per-client limits and signals (builders.citizen, bench/perf.ts).
 */
export function phoneAddress(n: number): string {
  return `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`;
}

/** n copies of one respondent. */
export function times(n: number, respondent: CriterionAnswer[]): CriterionAnswer[][] {
  return Array.from({ length: n }, () => respondent.map((a) => ({ ...a })));
}

/** A cell whose respondents have exactly these scores, for hand-computed SIPAS weights (no item sums). */
export function cellWithScores(scores: number[], deskId: number, questionnaireId: number): CellMoments {
  return {
    deskId,
    questionnaireId,
    respondents: scores.length,
    scored: scores.length,
    scoreSum: scores.reduce((a, s) => a + s, 0),
    scoreSq: scores.reduce((a, s) => a + s * s, 0),
    allSatisfied: scores.filter((s) => s === 1).length,
    ratio: { ...EMPTY_RATIO },
  };
}
