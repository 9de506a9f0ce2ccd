/**
 * `npm run bench -- --coverage [--replications R]`: do the intervals and verdicts the dashboard
 * shows hold what they promise? Simulates the cells of issue 11 (n 30–2,000 respondents, 5 or 22
 * criteria, correlation 0.3 or 0.8 between a citizen's answers, "no opinion" at random or not,
 * truth below, at and near 100%) through the application's own functions, and prints per cell how
 * often the 95% interval of the composite measures (SIPAS index, item rate) held the truth and how
 * often the verdict said "met" against a target equal to the truth (should be about 2.5% or less).
 * The plain Wilson intervals (overall rate, comprehensive satisfaction) are computed exactly at the
 * same truths instead of simulated. Then repeated monthly looks at a year to date, and a table of
 * 130 units, old rule against new. A benchmark, not a test: about three minutes on 2 cores at the
 * default 2,000 replications per cell. Exits with 1 when a composite cell covers less than 93%
 * (unless its verdict there is mostly "insufficient").
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { overallRate } from '../analytics/indicators.ts';
import { tableVerdicts } from '../analytics/multiplicity.ts';
import { FINAL, judge, PROVISIONAL } from '../analytics/verdict.ts';
import { progress } from '../server/cli/output.ts';
import { citizens, elementsFor, exactCoverage, Generator, MEASURES, type MeasureKey, type NoOpinion, type Population, Sample, type Task, type TaskResult, type Tally, truthOf } from './coverage-model.ts';

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

function emptyResult(): TaskResult {
  return SIZES.map(() => Object.fromEntries(MEASURES.map((m) => [m, { valid: 0, covered: 0, falseMet: 0, insufficient: 0, width: 0 }])) as TaskResult[number]);
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

function poolFor(k: number, r: number, noOpinion: NoOpinion, seed: number) {
  const sample = new Sample();
  const draw = citizens({ elements: elementsFor(k), r, noOpinion, level: PROVINCE_LEVEL }, seed, UNIT_SPREAD);
  for (let i = 0; i < POOL_SIZE; i++) draw.next(sample);
  return sample.cell;
}

const pct = (x: number, digits = 1) => (x * 100).toFixed(digits).padStart(digits + 4);

interface CellVerdict {
  label: string;
  coverage: number;
  passes: boolean;
}

interface PopulationRun {
  population: Population;
  label: string;
  pool: Task['pool'];
}

function populations(): PopulationRun[] {
  const list: PopulationRun[] = [];
  let seed = 1;
  for (const k of CRITERIA)
    for (const r of CORRELATIONS)
      for (const noOpinion of NO_OPINION) {
        const pool = poolFor(k, r, noOpinion, 1_000_000 + seed++);
        for (const level of LEVELS) list.push({ population: { elements: elementsFor(k), r, noOpinion, level }, label: `${String(k).padStart(2)}  ${r.toFixed(1)}  ${noOpinion.padEnd(4)}`, pool });
      }
  return list;
}

const HEADER = `measure        k   r    no-op  truth |${SIZES.map((n) => `n=${n}`.padStart(7)).join('')} | wrong met (max over n)`;

async function coverageTable(populations: PopulationRun[], replications: number): Promise<CellVerdict[]> {
  const tasks: { index: number; task: Task }[] = [];
  populations.forEach((p, index) => {
    for (let done = 0; done < replications; done += CHUNK) {
      tasks.push({ index, task: { population: p.population, sizes: SIZES, replications: Math.min(CHUNK, replications - done), seed: 7919 * (index + 1) + done, pool: p.pool, minN: MIN_N } });
    }
  });

  console.log(`\nComposite measures: % of ${replications} replications per cell whose 95% interval held the exact truth, and % "met" against a target equal to the truth`);
  console.log(`Pool: ${POOL_SIZE} citizens of one version across units of varied quality (province mean ${PROVINCE_LEVEL * 100}%). Monte Carlo SE at 95%: ±${(100 * Math.sqrt((0.95 * 0.05) / replications)).toFixed(2)} points.`);
  console.log(HEADER);

  const results = populations.map(() => emptyResult());
  const remaining = populations.map((_, i) => tasks.filter((t) => t.index === i).length);
  const verdicts: CellVerdict[] = [];
  const bar = progress('coverage', tasks.length);
  let finished = 0;

  const printPopulation = (index: number) => {
    const p = populations[index];
    const result = results[index];
    if (!p || !result) return;
    const truth = truthOf(p.population);
    for (const m of MEASURES) {
      const cells = result.map((row) => row[m]);
      const coverage = cells.map((t: Tally) => (t.valid > 0 ? t.covered / t.valid : NaN));
      const wrongMet = Math.max(...cells.map((t) => (t.valid > 0 ? t.falseMet / t.valid : 0)));
      console.log(`${MEASURE_NAMES[m].padEnd(13)} ${p.label} ${pct(truth[m])} |${coverage.map((c) => pct(c).padStart(7)).join('')} | ${pct(wrongMet)}`);
      cells.forEach((t, i) => {
        const c = coverage[i] ?? NaN;
        const mostlyInsufficient = t.valid > 0 && t.insufficient / t.valid >= 0.5;
        verdicts.push({ label: `${MEASURE_NAMES[m]} k=${p.label.trim().split(/\s+/).join(' r=').replace(/ r=(mar|nmar)/, ' $1')} truth ${pct(truth[m]).trim()}% n=${SIZES[i]}`, coverage: c, passes: c >= THRESHOLD || mostlyInsufficient });
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
    const p = list.find((x) => x.population.level === level);
    if (!p) continue;
    const truth = truthOf(p.population);
    row('overall_rate', ' -   -    -   ', truth.overall, SIZES.map((n) => exactCoverage(truth, n, met).overall));
  }
  for (const p of list) {
    const truth = truthOf(p.population);
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

export async function runCoverage(replications: number): Promise<void> {
  const started = Date.now();
  console.log(`SIPAS coverage simulation: ${replications} replications per cell (issue 11)`);
  const list = populations();
  const cells = await coverageTable(list, replications);
  const wilsonCells = wilsonTable(list);
  console.log('\nRepeated looks (year to date checked after every month):');
  repeatedLooks(20_000, 50);
  repeatedLooks(20_000, 300);
  console.log('\nA ranking table of 130 units:');
  manyUnits(2_000, 1);
  manyUnits(2_000, 0.5);
  const worst = (list: CellVerdict[]) => list.reduce((a, c) => (c.coverage < a.coverage ? c : a));
  const failing = cells.filter((c) => !c.passes);
  const wilsonBelow = wilsonCells.filter((c) => !c.passes);
  for (const f of failing) console.log(`  composite below ${THRESHOLD * 100}%: ${f.label} (${pct(f.coverage).trim()}%)`);
  for (const f of wilsonBelow) console.log(`  plain Wilson below ${THRESHOLD * 100}% (its exact coverage at this n and truth, Brown, Cai & DasGupta 2001): ${f.label} (${pct(f.coverage, 2).trim()}%)`);
  console.log(
    `coverage done: ${cells.length} composite cells, lowest ${pct(worst(cells).coverage).trim()}% (${worst(cells).label}), ${failing.length === 0 ? `every one at or above ${THRESHOLD * 100}%` : `${failing.length} below ${THRESHOLD * 100}%`}; ` +
      `plain Wilson lowest ${pct(worst(wilsonCells).coverage, 2).trim()}%; ${Math.round((Date.now() - started) / 1000)} s`,
  );
  if (failing.length > 0) process.exitCode = 1;
}
