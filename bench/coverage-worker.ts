/**
 * One worker of `npm run bench -- --coverage`: runs replications of one simulated view (one
 * population, or several parts: desks, versions, kinds of citizen) and reports, per sample size and
 * measure, how often the application's 95% interval held the truth.
 */
import { parentPort } from 'node:worker_threads';
import { type Precision, precisionFromPool } from '../analytics/precision.ts';
import { FINAL, judge } from '../analytics/verdict.ts';
import { citizens, Generator, MEASURES, mixtureTruth, Sample, type Task, type TaskResult } from './coverage-model.ts';

function run(task: Task): TaskResult {
  // The simulated view is drawn apart from the pool: the pool is already what the application reads
  // once it has taken the view's own respondents out (analytics/precision.ts), so nothing is taken out here.
  const pooled = precisionFromPool(task.pool, (q) => task.criteria[q] ?? 1);
  const precision: Precision = {
    scoreInformation: (q, d) => pooled.scoreInformation(q, d),
    itemDesignEffect: (q, d) => pooled.itemDesignEffect(q, d),
    deskLevel: (q, d) => pooled.deskLevel?.(q, d) ?? null,
  };
  const truth = mixtureTruth(task.parts);
  const result: TaskResult = task.sizes.map(() =>
    Object.fromEntries(MEASURES.map((m) => [m, { valid: 0, covered: 0, falseMet: 0, insufficient: 0, width: 0 }])) as TaskResult[number],
  );
  const draws = task.parts.map((part, i) => ({ part, draw: citizens(part.population, task.seed + 104_729 * i) }));
  const totalWeight = task.parts.reduce((a, part) => a + part.weight, 0);
  // Which part the next citizen comes from, in proportion to the weights (its own seeded stream).
  const rng = new Generator(task.seed ^ 0x5bd1e995);
  const pick = (u: number) => {
    let left = u * totalWeight;
    for (const d of draws) {
      left -= d.part.weight;
      if (left < 0) return d;
    }
    return draws[draws.length - 1];
  };
  const largest = task.sizes[task.sizes.length - 1] ?? 0;
  for (let rep = 0; rep < task.replications; rep++) {
    const sample = new Sample();
    let next = 0;
    for (let i = 1; i <= largest; i++) {
      const from = draws.length === 1 ? draws[0] : pick(rng.uniform());
      from?.draw.next(sample, from.part.deskId, from.part.questionnaireId);
      if (i !== task.sizes[next]) continue;
      const measures = sample.measures(precision);
      for (const key of MEASURES) {
        const m = measures[key];
        const tally = result[next]?.[key];
        if (!tally || !m.ci) continue;
        tally.valid++;
        if (m.ci.low <= truth[key] && truth[key] <= m.ci.high) tally.covered++;
        tally.width += m.ci.high - m.ci.low;
        const v = judge(m, truth[key], FINAL, task.minN);
        if (v === 'met') tally.falseMet++;
        if (v === 'insufficient') tally.insufficient++;
      }
      next++;
    }
  }
  return result;
}

parentPort?.on('message', (task: Task) => parentPort?.postMessage(run(task)));
