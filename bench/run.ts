/**
 * `npm run bench [-- --responses N --seconds S]`: the application against bare baselines, out of
 * process (bench/perf.ts): full citizen flows and the survey page at 50 connections, the dashboard
 * and the API at N/10 and N responses (default a million), every query of a dashboard request, the
 * CSV export. Results in bench/results/latest.json.
 * `npm run bench -- --only survey [--seconds S]`: the full flows and the survey page alone (about a
 * minute at 10 s), for iterating on the citizen's path.
 * `npm run bench -- --coverage [--replications R]`: the statistical coverage simulation instead
 * (bench/coverage.ts).
 * `npm run bench -- --only import [--rows N] [--postgres]`: a year of dossier counts through `sipas
 * dossiers import` against bare baselines (bench/dossier-import.ts).
 * `npm run bench -- --only dashboard-dossiers [--responses N] [--rows M] [--keep]`: the dashboard and
 * the API at N responses, without and then with M dossier counts (bench/dashboard-dossiers.ts).
 */
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    responses: { type: 'string' }, seconds: { type: 'string' }, coverage: { type: 'boolean' }, replications: { type: 'string' }, only: { type: 'string' },
    rows: { type: 'string' }, postgres: { type: 'boolean' }, keep: { type: 'boolean' },
  },
});

function positive(value: string | undefined, flag: string, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) {
    console.error(`${flag} ${value}: expected a whole number above 0.`);
    process.exit(2);
  }
  return n;
}

if (values.coverage) {
  const { runCoverage } = await import('./coverage.ts');
  await runCoverage(positive(values.replications, '--replications', 2000));
} else if (values.only === 'import') {
  const { runDossierImportBench } = await import('./dossier-import.ts');
  await runDossierImportBench({ rows: positive(values.rows, '--rows', 1_000_000), postgres: values.postgres === true });
} else if (values.only === 'dashboard-dossiers') {
  const { runDashboardDossiersBench } = await import('./dashboard-dossiers.ts');
  await runDashboardDossiersBench({
    responses: positive(values.responses, '--responses', 1_000_000),
    rows: positive(values.rows, '--rows', 1_000_000),
    keep: values.keep === true,
  });
} else {
  if (values.only !== undefined && values.only !== 'survey') {
    console.error(`--only ${values.only}: expected "survey" (the full flows and the survey page alone), "import" (the dossier import) or "dashboard-dossiers" (the dashboard with dossier counts).`);
    process.exit(2);
  }
  const { runPerf } = await import('./perf.ts');
  await runPerf({
    responses: positive(values.responses, '--responses', 1_000_000),
    seconds: positive(values.seconds, '--seconds', 20),
    surveyOnly: values.only === 'survey',
  });
}
