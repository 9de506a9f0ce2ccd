/**
 * `npm run bench -- --coverage [--replications R]`: do the intervals and verdicts the dashboard
 * shows hold what they promise? Simulates the cells of issue 11 (n 30–2,000 respondents, 5 or 22
 * criteria, correlation 0.3 or 0.8 between a citizen's answers, "no opinion" at random or not,
 * truth below, at and near 100%) through the application's own functions, and prints per cell how
 * often the 95% interval of the composite measures (SIPAS index, item rate) held the truth and how
 * often the verdict said "met" against a target equal to the truth (should be about 2.5% or less).
 * Then the views of issue 18 that are unlike the province pool (a counter tablet where people
 * press one key, three desks at 99/95/60%, 30% straight-liners, one desk carrying the view, a desk
 * moving from 22 to 5 criteria; n 30, 40, 60 and 200), each desk with its own history in the pool,
 * and one row that states a limit (a new tablet with no history), shown but not judged.
 * The plain intervals (overall rate, comprehensive satisfaction) are computed exactly at the
 * same truths instead of simulated. Then repeated monthly looks at a year to date, and a table of
 * 130 units, old rule against new. A benchmark, not a test: about six minutes on 2 cores at the
 * default 2,000 replications per cell. Exits with 1 when a judged composite cell covers less than
 * 93% (unless its verdict there is mostly "insufficient") or says "met" at its truth more than 3%.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { overallRate } from '../analytics/measures.ts';
import { tableVerdicts } from '../analytics/multiplicity.ts';
import { FINAL, judge, PROVISIONAL } from '../analytics/verdict.ts';
import { progress } from '../server/cli/output.ts';
import type { CellMoments } from '../analytics/moments.ts';
import { citizens, elementsFor, exactCoverage, Generator, MEASURES, type MeasureKey, mixtureTruth, type NoOpinion, type Part, type Population, Sample, type Task, type TaskResult, type Tally } from './coverage-model.ts';

const SIZES = [30, 100, 500, 2000];
const CRITERIA = [5, 22];
const CORRELATIONS = [0.3, 0.8];
const NO_OPINION: NoOpinion[] = ['mar', 'nmar'];
const LEVELS = [0.75, 0.87, 0.97];
/** The province pool: a year of one questionnaire version, citizens of units of varied quality. */
const POOL_SIZE = 10_000;
const PROVINCE_LEVEL = 0.88;
const UNIT_SPREAD = 0.35;
const MIN_N = 30;
const THRESHOLD = 0.93;
const CHUNK = 100;

const MEASURE_NAMES: Record<MeasureKey, string> = { sipas: 'sipas_index', item: 'item_rate' };

// Workers are plain JavaScript until tsx is registered in them.
const BOOT = "const { workerData } = require('node:worker_threads'); import('tsx/esm/api').then((tsx) => { tsx.register(); return import(workerData.module); });";

function emptyResult(sizes: number[]): TaskResult {
  return sizes.map(() => Object.fromEntries(MEASURES.map((m) => [m, { valid: 0, covered: 0, falseMet: 0, insufficient: 0, width: 0 }])) as TaskResult[number]);
}

function addInto(into: TaskResult, more: TaskResult): void {
  into.forEach((row, i) => {
    for (const m of MEASURES) {
      const a = row[m];
      const b = more[i]?.[m];
      if (!b) continue;
      a.valid += b.valid;
      a.covered += b.covered;
      a.falseMet += b.falseMet;
      a.insufficient += b.insufficient;
      a.width += b.width;
    }
  });
}

/** The province's year of one questionnaire version (desk 0: no desk of a view). */
function poolFor(k: number, r: number, noOpinion: NoOpinion, seed: number, questionnaireId = 1): CellMoments {
  const sample = new Sample();
  const draw = citizens({ elements: elementsFor(k), r, noOpinion, level: PROVINCE_LEVEL }, seed, UNIT_SPREAD);
  for (let i = 0; i < POOL_SIZE; i++) draw.next(sample, 0, questionnaireId);
  return sample.cell;
}

/** A desk's own history (its other months): `n` citizens drawn like the view's part at that desk. */
function historyOf(parts: Part[], n: number, seed: number): CellMoments[] {
  const sample = new Sample();
  parts.forEach((part, i) => {
    const draw = citizens(part.population, seed + 31 * i);
    const share = part.weight / parts.filter((p) => p.deskId === part.deskId).reduce((a, p) => a + p.weight, 0);
    for (let j = 0; j < Math.round(n * share); j++) draw.next(sample, part.deskId, part.questionnaireId);
  });
  return [...sample.cells.values()];
}

const pct = (x: number, digits = 1) => (x * 100).toFixed(digits).padStart(digits + 4);

interface CellVerdict {
  label: string;
  coverage: number;
  /** Share of "met" at a target equal to the truth (composite cells). */
  wrongMet?: number;
  /** False for a row that states a limit: shown, not judged. */
  counted?: boolean;
  passes: boolean;
}

interface PopulationRun {
  parts: Part[];
  /** Columns of the printed row. */
  label: string;
  /** The cell's name in the summary lines. */
  name: string;
  pool: CellMoments[];
  criteria: Record<number, number>;
  sizes: number[];
  /** False for a row shown to state a limit (e.g. a new tablet with no history): not in the pass/fail. */
  counted: boolean;
}

const single = (population: Population): Part[] => [{ population, weight: 1, deskId: 1, questionnaireId: 1 }];

function populations(): PopulationRun[] {
  const list: PopulationRun[] = [];
  let seed = 1;
  for (const k of CRITERIA)
    for (const r of CORRELATIONS)
      for (const noOpinion of NO_OPINION) {
        const pool = poolFor(k, r, noOpinion, 1_000_000 + seed++);
        for (const level of LEVELS) {
          const label = `${String(k).padStart(2)}  ${r.toFixed(1)}  ${noOpinion.padEnd(4)}`;
          list.push({ parts: single({ elements: elementsFor(k), r, noOpinion, level }), label, name: `k=${k} r=${r} ${noOpinion}`, pool: [pool], criteria: { 1: k }, sizes: SIZES, counted: true });
        }
      }
  return list;
}

/** Sizes of the unlike views of issue 18: a month at a desk or a unit. */
const VIEW_SIZES = [30, 40, 60, 200];
/** A desk's other months in the pool (about a year of a quiet desk). */
const HISTORY = 300;

/**
 * Views unlike the province pool (issue 18): a counter tablet where people press one key, desks far
 * apart, straight-liners, one desk carrying the view, a desk moving from 22 to 5 criteria. The
 * province pool is as above (correlation 0.3); each desk has its own history in it.
 */
function unlikeViews(): PopulationRun[] {
  const population = (k: number, r: number, level: number, straight = false): Population => ({ elements: elementsFor(k), r, noOpinion: 'mar', level, ...(straight ? { straight } : {}) });
  const province = { 22: poolFor(22, 0.3, 'mar', 2_000_001, 1), 5: poolFor(5, 0.3, 'mar', 2_000_002, 2) };
  const run = (name: string, parts: Part[], withHistory = true, counted = true): PopulationRun => {
    const versions = [...new Set(parts.map((p) => p.questionnaireId))];
    const pool = versions.map((q) => (q === 2 ? province[5] : province[22]));
    return {
      parts,
      label: name.padEnd(40),
      name,
      pool: withHistory ? [...pool, ...historyOf(parts, HISTORY, 3_000_000 + name.length * 7919)] : pool,
      criteria: { 1: 22, 2: 5 },
      sizes: VIEW_SIZES,
      counted,
    };
  };
  const at = (deskId: number, p: Population, weight = 1, questionnaireId = 1): Part => ({ population: p, weight, deskId, questionnaireId });
  return [
    run('tablet r=0.8 (pool 0.3), 22 crit, 97%', [at(7, population(22, 0.8, 0.97))]),
    run('tablet r=0.8 (pool 0.3), 22 crit, 99.9%', [at(7, population(22, 0.8, 0.999))]),
    run('tablet r=0.8 (pool 0.3), 5 crit, 90%', [at(7, population(5, 0.8, 0.9), 1, 2)]),
    run('three desks 99/95/60%, equal traffic', [at(1, population(22, 0.3, 0.99)), at(2, population(22, 0.3, 0.95)), at(3, population(22, 0.3, 0.6))]),
    run('30% straight-liners, 90%', [at(1, population(22, 0.3, 0.9), 0.7), at(1, population(22, 0.3, 0.9, true), 0.3)]),
    run('one desk 80% of traffic (97%; 85%, 70%)', [at(1, population(22, 0.3, 0.97), 0.8), at(2, population(22, 0.3, 0.85), 0.1), at(3, population(22, 0.3, 0.7), 0.1)]),
    run('a desk moving 22 -> 5 criteria, 90%', [at(1, population(22, 0.3, 0.9), 1, 1), at(1, population(5, 0.3, 0.9), 1, 2)]),
    run('new tablet r=0.8, no history yet (a limit)', [at(7, population(22, 0.8, 0.97))], false, false),
  ];
}

const header = (columns: string, sizes: number[]) => `measure       ${columns} truth |${sizes.map((n) => `n=${n}`.padStart(7)).join('')} | wrong met (max over n)`;
const HEADER = header(' k   r    no-op ', SIZES);

async function coverageTable(populations: PopulationRun[], replications: number, title: string, columns: string): Promise<CellVerdict[]> {
  const tasks: { index: number; task: Task }[] = [];
  populations.forEach((p, index) => {
    for (let done = 0; done < replications; done += CHUNK) {
      tasks.push({ index, task: { parts: p.parts, sizes: p.sizes, replications: Math.min(CHUNK, replications - done), seed: 7919 * (index + 1) + done, pool: p.pool, criteria: p.criteria, minN: MIN_N } });
    }
  });

  console.log(`\n${title}`);
  console.log(header(columns, populations[0]?.sizes ?? SIZES));

  const results = populations.map((p) => emptyResult(p.sizes));
  const remaining = populations.map((_, i) => tasks.filter((t) => t.index === i).length);
  const verdicts: CellVerdict[] = [];
  const bar = progress('coverage', tasks.length);
  let finished = 0;

  const printPopulation = (index: number) => {
    const p = populations[index];
    const result = results[index];
    if (!p || !result) return;
    const truth = mixtureTruth(p.parts);
    for (const m of MEASURES) {
      const cells = result.map((row) => row[m]);
      const coverage = cells.map((t: Tally) => (t.valid > 0 ? t.covered / t.valid : NaN));
      const wrongMet = Math.max(...cells.map((t) => (t.valid > 0 ? t.falseMet / t.valid : 0)));
      console.log(`${MEASURE_NAMES[m].padEnd(13)} ${p.label} ${pct(truth[m])} |${coverage.map((c) => pct(c).padStart(7)).join('')} | ${pct(wrongMet)}`);
      cells.forEach((t, i) => {
        const c = coverage[i] ?? NaN;
        const mostlyInsufficient = t.valid > 0 && t.insufficient / t.valid >= 0.5;
        verdicts.push({
          label: `${MEASURE_NAMES[m]} ${p.name} truth ${pct(truth[m]).trim()}% n=${p.sizes[i]}`,
          coverage: c,
          wrongMet: t.valid > 0 ? t.falseMet / t.valid : 0,
          counted: p.counted,
          passes: !p.counted || c >= THRESHOLD || mostlyInsufficient,
        });
      });
    }
  };

  const queue = [...tasks];
  let nextToPrint = 0;
  const workers = Math.max(1, Math.min(availableParallelism(), 8));
  await Promise.all(
    Array.from({ length: workers }, async () => {
      const worker = new Worker(BOOT, { eval: true, workerData: { module: new URL('./coverage-worker.ts', import.meta.url).href } });
      let pending: { resolve: (r: TaskResult) => void; reject: (e: unknown) => void } | null = null;
      worker.on('message', (r: TaskResult) => pending?.resolve(r));
      worker.on('error', (e) => pending?.reject(e));
      try {
        for (let item = queue.shift(); item; item = queue.shift()) {
          const { index, task } = item;
          const result = await new Promise<TaskResult>((resolve, reject) => {
            pending = { resolve, reject };
            worker.postMessage(task);
          });
          const into = results[index];
          if (into) addInto(into, result);
          remaining[index] = (remaining[index] ?? 1) - 1;
          bar.tick(++finished);
          // Rows come out in order, each as soon as its population is complete.
          while (nextToPrint < populations.length && remaining[nextToPrint] === 0) printPopulation(nextToPrint++);
        }
      } finally {
        await worker.terminate();
      }
    }),
  );
  bar.finish(`  ${verdicts.length} cells simulated with ${workers} worker(s)`);
  return verdicts;
}

/** The plain Wilson intervals, exactly: overall rate per truth level, comprehensive satisfaction per population. */
function wilsonTable(list: PopulationRun[]): CellVerdict[] {
  console.log('\nPlain Wilson intervals (unchanged by issue 11), exact coverage at the same truths (every count weighted by its binomial probability):');
  console.log(HEADER);
  const cells: CellVerdict[] = [];
  const met = (m: Parameters<typeof judge>[0], target: number) => judge(m, target, FINAL, MIN_N) === 'met';
  const row = (name: string, label: string, truth: number, tallies: { coverage: number; wrongMet: number }[]) => {
    console.log(`${name.padEnd(13)} ${label} ${pct(truth)} |${tallies.map((t) => pct(t.coverage).padStart(7)).join('')} | ${pct(Math.max(...tallies.map((t) => t.wrongMet)))}`);
    tallies.forEach((t, i) => cells.push({ label: `${name} ${label.trim().replace(/\s+/g, ' ')} truth ${pct(truth).trim()}% n=${SIZES[i]}`, coverage: t.coverage, passes: t.coverage >= THRESHOLD }));
  };
  for (const level of LEVELS) {
    const p = list.find((x) => x.parts[0]?.population.level === level);
    if (!p) continue;
    const truth = mixtureTruth(p.parts);
    row('overall_rate', ' -   -    -   ', truth.overall, SIZES.map((n) => exactCoverage(truth, n, met).overall));
  }
  for (const p of list) {
    const truth = mixtureTruth(p.parts);
    row('comprehensive', p.label, truth.comprehensive, SIZES.map((n) => exactCoverage(truth, n, met).comprehensive));
  }
  return cells;
}

/** A year to date at exactly the target, looked at after every month: how often is it ever "met"? */
function repeatedLooks(years: number, perMonth: number): void {
  const target = 0.87;
  const rng = new Generator(424242 + perMonth);
  let oldRule = 0;
  let newRule = 0;
  for (let y = 0; y < years; y++) {
    const counts = { n0: 0, n1: 0, n2: 0, n3: 0, n4: 0, n5: 0 };
    let oldMet = false;
    let newMet = false;
    for (let month = 1; month <= 12; month++) {
      for (let i = 0; i < perMonth; i++) {
        if (rng.uniform() < target) counts.n4++;
        else counts.n2++;
      }
      const m = overallRate([{ questionId: 1, questionnaireId: 1, role: 'overall', element: null, counts }]);
      if (judge(m, target, FINAL, MIN_N) === 'met') oldMet = true;
      if (judge(m, target, month < 12 ? PROVISIONAL : FINAL, MIN_N) === 'met') newMet = true;
    }
    if (oldMet) oldRule++;
    if (newMet) newRule++;
  }
  console.log(
    `  ${perMonth} responses a month, truth = target 87%: "met" at some monthly look in ${pct(oldRule / years)}% of ${years} years at 95% every month, ${pct(newRule / years)}% with provisional 99.9% until December`,
  );
}

/** A ranking table of 130 units: wrong "met" verdicts unit by unit against the Benjamini–Hochberg table. */
function manyUnits(tables: number, share: number): void {
  const target = 0.87;
  const rng = new Generator(99 + Math.round(share * 100));
  let ownWrong = 0;
  let tableWrong = 0;
  let ownAny = 0;
  let tableAny = 0;
  let ownRight = 0;
  let tableRight = 0;
  for (let t = 0; t < tables; t++) {
    const truths: number[] = [];
    const rows = Array.from({ length: 130 }, (_, u) => {
      const truth = u < 130 * share ? target : 0.93;
      truths.push(truth);
      const n = 50 + Math.floor(rng.uniform() * 351);
      let yes = 0;
      for (let i = 0; i < n; i++) if (rng.uniform() < truth) yes++;
      return { result: overallRate([{ questionId: 1, questionnaireId: 1, role: 'overall', element: null, counts: { n0: 0, n1: 0, n2: n - yes, n3: 0, n4: yes, n5: 0 } }]), target };
    });
    const verdicts = tableVerdicts(rows, FINAL, MIN_N);
    let ow = 0;
    let tw = 0;
    verdicts.forEach((v, u) => {
      const atTarget = truths[u] === target;
      if (v.own === 'met' && atTarget) ow++;
      if (v.own === 'met' && !atTarget) ownRight++;
      if (v.verdict === 'met' && atTarget) tw++;
      if (v.verdict === 'met' && !atTarget) tableRight++;
    });
    ownWrong += ow;
    tableWrong += tw;
    if (ow > 0) ownAny++;
    if (tw > 0) tableAny++;
  }
  const atTarget = Math.round(130 * share);
  const above = 130 - atTarget;
  console.log(
    `  ${atTarget} units exactly at 87%${above > 0 ? `, ${above} at 93%` : ''}: wrong "met" per table ${(ownWrong / tables).toFixed(2)} unit by unit, ${(tableWrong / tables).toFixed(2)} Benjamini–Hochberg; tables with any: ${pct(ownAny / tables)}% vs ${pct(tableAny / tables)}%` +
      (above > 0
        ? `; right "met" per table ${(ownRight / tables).toFixed(1)} vs ${(tableRight / tables).toFixed(1)} of ${above}; share of "met" that are wrong ${pct(ownWrong / (ownWrong + ownRight))}% vs ${pct(tableWrong / (tableWrong + tableRight))}%`
        : ''),
  );
}

/** The most a composite cell may say "met" at a target equal to its truth (issue 18). */
const WRONG_MET_LIMIT = 0.03;

export async function runCoverage(replications: number): Promise<void> {
  const started = Date.now();
  console.log(`SIPAS coverage simulation: ${replications} replications per cell (issues 11 and 18)`);
  const list = populations();
  const se = `Monte Carlo SE at 95%: ±${(100 * Math.sqrt((0.95 * 0.05) / replications)).toFixed(2)} points.`;
  const cells = await coverageTable(
    list,
    replications,
    `Composite measures: % of ${replications} replications per cell whose 95% interval held the exact truth, and % "met" against a target equal to the truth\n` +
      `Pool: ${POOL_SIZE} citizens of one version across units of varied quality (province mean ${PROVINCE_LEVEL * 100}%). ${se}`,
    ' k   r    no-op ',
  );
  const unlike = await coverageTable(
    unlikeViews(),
    replications,
    `Views unlike the province (issue 18): the same, with each desk's own history (${HISTORY} citizens) in the pool. ${se}`,
    'view'.padEnd(40),
  );
  const composite = [...cells, ...unlike];
  const wilsonCells = wilsonTable(list);
  console.log('\nRepeated looks (year to date checked after every month):');
  repeatedLooks(20_000, 50);
  repeatedLooks(20_000, 300);
  console.log('\nA ranking table of 130 units:');
  manyUnits(2_000, 1);
  manyUnits(2_000, 0.5);
  const counted = composite.filter((c) => c.counted !== false);
  const worst = (list: CellVerdict[]) => list.reduce((a, c) => (c.coverage < a.coverage ? c : a));
  const mostWrong = counted.reduce((a, c) => ((c.wrongMet ?? 0) > (a.wrongMet ?? 0) ? c : a));
  const failing = counted.filter((c) => !c.passes);
  const tooOftenMet = counted.filter((c) => (c.wrongMet ?? 0) > WRONG_MET_LIMIT);
  const wilsonBelow = wilsonCells.filter((c) => !c.passes);
  for (const f of failing) console.log(`  composite below ${THRESHOLD * 100}%: ${f.label} (${pct(f.coverage).trim()}%)`);
  for (const f of tooOftenMet) console.log(`  composite "met" at its truth more than ${WRONG_MET_LIMIT * 100}% of the time: ${f.label} (${pct(f.wrongMet ?? 0).trim()}%)`);
  for (const f of composite.filter((c) => c.counted === false)) console.log(`  not judged (a stated limit): ${f.label} (${pct(f.coverage).trim()}%)`);
  for (const f of wilsonBelow) console.log(`  plain interval below ${THRESHOLD * 100}% (its exact coverage at this n and truth): ${f.label} (${pct(f.coverage, 2).trim()}%)`);
  console.log(
    `coverage done: ${counted.length} composite cells, lowest ${pct(worst(counted).coverage).trim()}% (${worst(counted).label}), ${failing.length === 0 ? `every one at or above ${THRESHOLD * 100}%` : `${failing.length} below ${THRESHOLD * 100}%`}; ` +
      `wrong "met" at most ${pct(mostWrong.wrongMet ?? 0, 2).trim()}% (${mostWrong.label}); plain intervals lowest ${pct(worst(wilsonCells).coverage, 2).trim()}%; ${Math.round((Date.now() - started) / 1000)} s`,
  );
  if (failing.length > 0 || tooOftenMet.length > 0) process.exitCode = 1;
}
