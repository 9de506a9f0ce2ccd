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
 * `--database postgres` (with the default run or `--only survey`): every database on an embedded
 * PostgreSQL with its default durability, the bare flow inserting through pg.
 * `npm run bench -- --only export [--responses N] [--database sqlite|postgres] [--runs R]`: the CSV
 * export alone at N responses (default 300,000), R times uncompressed and gzipped (bench/export.ts).
 * Every bench of the server runs it compiled, as `npm start` does: `npm run build` first (seconds).
 */
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    responses: { type: 'string' }, seconds: { type: 'string' }, coverage: { type: 'boolean' }, replications: { type: 'string' }, only: { type: 'string' },
    rows: { type: 'string' }, postgres: { type: 'boolean' }, keep: { type: 'boolean' }, database: { type: 'string' }, runs: { type: 'string' },
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

if (!values.coverage) {
  // The server as `npm start` runs it: dist/, compiled incrementally (seconds when nothing changed).
  const { buildServer } = await import('../test/support/build.ts');
  await buildServer('run the bench').catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(1);
  });
}

if (values.database !== undefined && values.database !== 'sqlite' && values.database !== 'postgres') {
  console.error(`--database ${values.database}: expected "sqlite" or "postgres".`);
  process.exit(2);
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
} else if (values.only === 'export') {
  const { runExportBench } = await import('./export.ts');
  await runExportBench({
    responses: positive(values.responses, '--responses', 300_000),
    database: values.database === 'postgres' ? 'postgres' : 'sqlite',
    runs: positive(values.runs, '--runs', 3),
  });
} else {
  if (values.only !== undefined && values.only !== 'survey') {
    console.error(`--only ${values.only}: expected "survey" (the full flows and the survey page alone), "import" (the dossier import), "dashboard-dossiers" (the dashboard with dossier counts) or "export" (the CSV export).`);
    process.exit(2);
  }
  const { runPerf } = await import('./perf.ts');
  await runPerf({
    responses: positive(values.responses, '--responses', 1_000_000),
    seconds: positive(values.seconds, '--seconds', 20),
    surveyOnly: values.only === 'survey',
    database: values.database === 'postgres' ? 'postgres' : 'sqlite',
  });
}
