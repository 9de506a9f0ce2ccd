/**
 * Property tests over random slices (1-4 desks, one to three questionnaire versions a desk with 5,
 * 10 or 22 criteria, 1-500 respondents a cell, random "no opinion", random desk floors and desk
 * histories): an answer changed to dissatisfied never raises a value or a bound and never turns a
 * verdict into "met" (changed to satisfied: the reverse); one more dissatisfied respondent never
 * raises the value or the lower bound, one more satisfied never lowers the value or the upper bound;
 * and the value is always the statistic its interval is about.
 */
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../db/seed/demo.ts';
import { cellOf } from '../test/support/respondents.ts';
import { itemRate, sipasIndex } from './composite.ts';
import { comprehensiveSatisfaction, overallRate } from './measures.ts';
import { tableVerdicts } from './multiplicity.ts';
import type { Precision } from './precision.ts';
import { type MeasureResult, wilson } from './proportion.ts';
import { type CriterionAnswer, summarizeRespondent } from './respondent.ts';
import { FINAL, judge, PROVISIONAL } from './verdict.ts';

const LAYOUTS: Record<number, string[]> = {
  1: ['A', 'B', 'C', 'D', 'E'],
  2: ['A', 'A', 'A', 'A', 'B', 'B', 'B', 'B', 'B', 'C', 'C', 'C', 'C', 'C', 'C', 'D', 'D', 'D', 'E', 'E', 'E', 'E'],
  3: ['A', 'A', 'B', 'B', 'C', 'C', 'D', 'D', 'E', 'E'],
};
const VERSIONS = [1, 2, 3] as const;
const TOLERANCE = 1e-12;
const TARGETS = [0.85, 0.87, 0.9];

interface Respondent {
  desk: number;
  version: number;
  answers: CriterionAnswer[];
}

interface Slice {
  respondents: Respondent[];
  precision: Precision;
}

function randomSlice(random: () => number, opts: { multiVersionDesks: boolean }): Slice {
  const desks = 1 + Math.floor(random() * 4);
  const respondents: Respondent[] = [];
  for (let desk = 1; desk <= desks; desk++) {
    // One version, or (a desk that moved) two or three of them in a random order.
    const shuffled = [...VERSIONS].sort(() => random() - 0.5);
    const versions = opts.multiVersionDesks && random() < 0.5 ? shuffled.slice(0, 2 + Math.floor(random() * 2)) : shuffled.slice(0, 1);
    const satisfied = 0.05 + random() * 0.95;
    const skip = random() * 0.3;
    for (const version of versions) {
      // Mostly small cells, where a step would show, and now and then up to 500 respondents.
      const n = 1 + Math.floor(random() ** 3 * 500);
      for (let i = 0; i < n; i++) {
        const answers = (LAYOUTS[version] ?? []).map((element) => {
          if (random() < skip) return { element, value: null };
          return { element, value: random() < satisfied ? 4 + Math.floor(random() * 2) : 1 + Math.floor(random() * 3) };
        });
        respondents.push({ desk, version, answers });
      }
    }
  }
  const rho = { 1: 1 + random() * 4, 2: 1 + random() * 8, 3: 1 + random() * 6 };
  const deff = { 1: 1 + random() * 4, 2: 1 + random() * 21, 3: 1 + random() * 9 };
  // Some desks' own history is a floor (precision.ts): less information, a larger design effect.
  const floor = Array.from({ length: desks + 1 }, () => (random() < 0.5 ? 1 : 0.2 + random() * 0.8));
  const at = (deskId: number | undefined) => (deskId === undefined ? 1 : (floor[deskId] ?? 1));
  // Most desks have a history that says where they usually stand (their spread adds between-desk terms).
  const levels = Array.from({ length: desks + 1 }, () =>
    random() < 0.25 ? null : { score: 0.3 + random() * 0.7, rate: 0.3 + random() * 0.7, clusterSize: 1 + random() * 15, trust: random() < 0.5 ? 1 : random() },
  );
  return {
    respondents,
    precision: {
      scoreInformation: (q, d) => Math.max(1, rho[q as 1 | 2 | 3] * at(d)),
      itemDesignEffect: (q, d) => deff[q as 1 | 2 | 3] / at(d),
      deskLevel: (_q, d) => levels[d] ?? null,
    },
  };
}

function cells(slice: Slice) {
  const groups = new Map<string, Respondent[]>();
  for (const r of slice.respondents) groups.set(`${r.desk}|${r.version}`, [...(groups.get(`${r.desk}|${r.version}`) ?? []), r]);
  return [...groups.values()].map((list) => cellOf(list.map((r) => r.answers), list[0]?.desk, list[0]?.version));
}

type Measures = Record<'sipas' | 'item' | 'comprehensive', MeasureResult>;

function measures(slice: Slice): Measures {
  const c = cells(slice);
  return { sipas: sipasIndex(c, slice.precision), item: itemRate(c, slice.precision), comprehensive: comprehensiveSatisfaction(c) };
}

const KEYS = ['sipas', 'item', 'comprehensive'] as const;

function copy(slice: Slice): Slice {
  return { ...slice, respondents: slice.respondents.map((r) => ({ ...r, answers: r.answers.map((a) => ({ ...a })) })) };
}

const scored = (r: Respondent) => r.answers.some((a) => a.value !== null);

/** One answer moved the given way, on a respondent who already has a score; null when none fits. */
function nudge(slice: Slice, random: () => number, direction: 'worse' | 'better'): Slice | null {
  const next = copy(slice);
  const candidates: CriterionAnswer[] = [];
  for (const r of next.respondents) {
    if (!scored(r)) continue;
    for (const a of r.answers) {
      if (a.value === null) candidates.push(a);
      else if (direction === 'worse' ? a.value >= 4 : a.value <= 3) candidates.push(a);
    }
  }
  const answer = candidates[Math.floor(random() * candidates.length)];
  if (!answer) return null;
  // Worse: a dissatisfied answer, or (a third of the time) "no opinion" in place of a satisfied one.
  if (direction === 'worse' && answer.value !== null && random() < 1 / 3) answer.value = null;
  else answer.value = direction === 'worse' ? 1 + Math.floor(random() * 3) : 4 + Math.floor(random() * 2);
  return next;
}

/** One more respondent, at a desk of the slice, whose every answer goes the given way (some skipped). */
function newcomer(slice: Slice, random: () => number, direction: 'worse' | 'better'): Slice {
  const next = copy(slice);
  const host = next.respondents[Math.floor(random() * next.respondents.length)] as Respondent;
  const answers = (LAYOUTS[host.version] ?? []).map((element, i) => ({
    element,
    value: i > 0 && random() < 0.5 ? null : direction === 'worse' ? 1 + Math.floor(random() * 3) : 4 + Math.floor(random() * 2),
  }));
  next.respondents.push({ desk: host.desk, version: host.version, answers });
  return next;
}

/**
 * An answer changed in place moves both bounds; a newcomer also brings their own uncertainty (a
 * respondent of a desk far from the others widens the interval), so for newcomers only the bound on
 * the side the answer pushes is held, as issue 18 asks: a dissatisfied one never raises the lower
 * bound, a satisfied one never lowers the upper bound, and no verdict moves against the answer.
 */
type Bounds = 'both' | 'pushed';

function expectNoRise(before: MeasureResult, after: MeasureResult, label: string, bounds: Bounds = 'both'): void {
  if (before.value === null || after.value === null || !before.ci || !after.ci) return;
  expect(after.value, `${label} value`).toBeLessThanOrEqual(before.value + TOLERANCE);
  expect(after.ci.low, `${label} lower bound`).toBeLessThanOrEqual(before.ci.low + TOLERANCE);
  if (bounds === 'both') expect(after.ci.high, `${label} upper bound`).toBeLessThanOrEqual(before.ci.high + TOLERANCE);
  for (const target of TARGETS) {
    for (const level of [FINAL, PROVISIONAL]) {
      if (judge(before, target, level, 1) !== 'met') expect(judge(after, target, level, 1), `${label} verdict`).not.toBe('met');
    }
  }
}

function expectNoFall(before: MeasureResult, after: MeasureResult, label: string, bounds: Bounds = 'both'): void {
  if (before.value === null || after.value === null || !before.ci || !after.ci) return;
  expect(after.value, `${label} value`).toBeGreaterThanOrEqual(before.value - TOLERANCE);
  if (bounds === 'both') expect(after.ci.low, `${label} lower bound`).toBeGreaterThanOrEqual(before.ci.low - TOLERANCE);
  expect(after.ci.high, `${label} upper bound`).toBeGreaterThanOrEqual(before.ci.high - TOLERANCE);
  for (const target of TARGETS) {
    for (const level of [FINAL, PROVISIONAL]) {
      if (judge(before, target, level, 1) !== 'not_met') expect(judge(after, target, level, 1), `${label} verdict`).not.toBe('not_met');
    }
  }
}

const CASES = 400;

describe('monotone in every answer (SIPAS index, item rate, comprehensive satisfaction)', () => {
  it('a dissatisfied answer instead of a satisfied one or of "no opinion" never raises anything, in any slice', () => {
    const random = seededRandom(11);
    for (let i = 0; i < CASES; i++) {
      const slice = randomSlice(random, { multiVersionDesks: true });
      const after = nudge(slice, random, 'worse');
      if (!after) continue;
      const [b, a] = [measures(slice), measures(after)];
      for (const key of KEYS) expectNoRise(b[key], a[key], `case ${i} ${key}`);
    }
  });

  it('a satisfied answer instead of a dissatisfied one or of "no opinion" never lowers anything, in any slice', () => {
    const random = seededRandom(12);
    for (let i = 0; i < CASES; i++) {
      const slice = randomSlice(random, { multiVersionDesks: true });
      const after = nudge(slice, random, 'better');
      if (!after) continue;
      const [b, a] = [measures(slice), measures(after)];
      for (const key of KEYS) expectNoFall(b[key], a[key], `case ${i} ${key}`);
    }
  });

  it('one more dissatisfied (satisfied) respondent never raises the value or the lower bound (never lowers the value or the upper bound), where each desk used one version', () => {
    const random = seededRandom(13);
    for (let i = 0; i < CASES; i++) {
      const slice = randomSlice(random, { multiVersionDesks: false });
      const b = measures(slice);
      const worse = measures(newcomer(slice, random, 'worse'));
      const better = measures(newcomer(slice, random, 'better'));
      for (const key of KEYS) {
        expectNoRise(b[key], worse[key], `case ${i} ${key} +dissatisfied`, 'pushed');
        expectNoFall(b[key], better[key], `case ${i} ${key} +satisfied`, 'pushed');
      }
    }
  });

  it('the same for newcomers at desks that used two or three versions (the SIPAS index was not monotone, issue 18)', () => {
    const random = seededRandom(14);
    for (let i = 0; i < CASES * 5; i++) {
      const slice = randomSlice(random, { multiVersionDesks: true });
      const b = measures(slice);
      const worse = measures(newcomer(slice, random, 'worse'));
      const better = measures(newcomer(slice, random, 'better'));
      for (const key of KEYS) {
        expectNoRise(b[key], worse[key], `case ${i} ${key} +dissatisfied`, 'pushed');
        expectNoFall(b[key], better[key], `case ${i} ${key} +satisfied`, 'pushed');
      }
    }
  });

  it('the overall rate: one more answer below 4 never raises the bounds', () => {
    for (let n = 1; n <= 200; n += 7) {
      for (let yes = 0; yes <= n; yes += Math.max(1, Math.floor(n / 9))) {
        const at = (y: number, m: number) => overallRate([{ questionId: 1, questionnaireId: 1, role: 'overall', element: null, counts: { n0: 0, n1: 0, n2: m - y, n3: 0, n4: y, n5: 0 } }]);
        expectNoRise(at(yes, n), at(yes, n + 1), `overall ${yes}/${n}`);
        expectNoFall(at(yes, n), at(yes + 1, n + 1), `overall ${yes}/${n}`);
      }
    }
  });
});

describe('a ranking table stays monotone too', () => {
  it('one unit’s extra dissatisfied answer never makes any unit of the table "met"', () => {
    const random = seededRandom(15);
    for (let i = 0; i < 300; i++) {
      const units = Array.from({ length: 2 + Math.floor(random() * 20) }, () => {
        const n = 30 + Math.floor(random() * 400);
        return { n, yes: Math.floor(n * (0.8 + random() * 0.2)) };
      });
      const table = (list: typeof units) =>
        tableVerdicts(
          list.map((u) => ({ result: overallRate([{ questionId: 1, questionnaireId: 1, role: 'overall', element: null, counts: { n0: 0, n1: 0, n2: u.n - u.yes, n3: 0, n4: u.yes, n5: 0 } }]), target: 0.87 })),
          FINAL,
          30,
        );
      const before = table(units);
      const hit = Math.floor(random() * units.length);
      const after = table(units.map((u, j) => (j === hit ? { n: u.n + 1, yes: u.yes } : u)));
      after.forEach((v, j) => {
        if (before[j]?.verdict !== 'met') expect(v.verdict, `case ${i} unit ${j}`).not.toBe('met');
      });
    }
  });
});

describe('value and interval are about the same statistic, whatever the "no opinion" pattern', () => {
  it('the value is the mean of the respondents’ own scores and the interval is Wilson’s at n_eff around it', () => {
    const random = seededRandom(16);
    for (let i = 0; i < CASES; i++) {
      const slice = randomSlice(random, { multiVersionDesks: false });
      // Patterns not at random too: the dissatisfied skip more, and some skip a whole element.
      const skipElement = random() < 0.3 ? 'E' : '';
      for (const r of slice.respondents) {
        for (const a of r.answers) if (a.element === skipElement || (a.value !== null && a.value <= 3 && random() < 0.4)) a.value = null;
      }
      const m = measures(slice).sipas;
      const scores = slice.respondents.map((r) => summarizeRespondent(r.answers).score).filter((s): s is number => s !== null);
      if (scores.length === 0) {
        expect(m.value).toBeNull();
        continue;
      }
      expect(m.n).toBe(scores.length);
      expect(m.value).toBeCloseTo(scores.reduce((a, s) => a + s, 0) / scores.length, 12);
      expect(m.ci).toEqual(wilson(m.value ?? NaN, m.nEff));
      // Same for the item rate: Σ satisfied answers / Σ answers, and its interval around that.
      const item = measures(slice).item;
      const sums = slice.respondents.map((r) => summarizeRespondent(r.answers)).reduce((a, s) => ({ x: a.x + s.items, y: a.y + s.itemsSatisfied }), { x: 0, y: 0 });
      expect(item.value).toBeCloseTo(sums.y / sums.x, 12);
      expect(item.ci).toEqual(wilson(item.value ?? NaN, item.nEff));
    }
  });
});
