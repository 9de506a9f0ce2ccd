/**
 * One worker of `npm run bench -- --coverage`: runs replications of one population and reports,
 * per sample size and measure, how often the application's 95% interval held the truth.
 */
import { parentPort } from 'node:worker_threads';
import { type Precision, precisionFromPool } from '../analytics/precision.ts';
import { FINAL, judge } from '../analytics/verdict.ts';
import { citizens, MEASURES, Sample, type Task, type TaskResult, truthOf } from './coverage-model.ts';

function run(task: Task): TaskResult {
  const k = task.population.elements.reduce((a, b) => a + b, 0);
  // The simulated view is drawn apart from the pool: the pool is already what the application reads
  // once it has taken the view's own respondents out (analytics/precision.ts), so nothing is taken out here.
  const pooled = precisionFromPool([task.pool], () => k);
  const precision: Precision = { scoreInformation: (q) => pooled.scoreInformation(q), itemDesignEffect: (q) => pooled.itemDesignEffect(q) };
  const truth = truthOf(task.population);
  const result: TaskResult = task.sizes.map(() =>
    Object.fromEntries(MEASURES.map((m) => [m, { valid: 0, covered: 0, falseMet: 0, insufficient: 0, width: 0 }])) as TaskResult[number],
  );
  const draw = citizens(task.population, task.seed);
  const largest = task.sizes[task.sizes.length - 1] ?? 0;
  for (let rep = 0; rep < task.replications; rep++) {
    const sample = new Sample();
    let next = 0;
    for (let i = 1; i <= largest; i++) {
      draw.next(sample);
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
