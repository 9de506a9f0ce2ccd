/**
 * The CSV export of every response over HTTP, as a browser downloads it: rows a second and the
 * server's memory. `npm run bench` measures it once at the end of its run (perf.ts);
 * `npm run bench -- --only export [--responses N] [--database sqlite|postgres] [--runs R]` seeds N demo
 * responses into a new database of that kind and measures the file R times uncompressed and R times
 * gzipped (the median of each is printed), in a few minutes, for iterating on the export.
 *
 * Measured on a server process of its own (the compiled server `npm start` runs), started on the
 * seeded database and signed in, so the figure is the export's and not what earlier phases left
 * behind; its resident set at rest is printed beside the peak. The client counts line ends as the
 * bytes arrive (fetch decompresses, as a browser does); RSS is sampled every 100 ms from /proc, CPU
 * time from /proc/PID/stat.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { APP_SERVER, benchDatabases, fmt, log, run, signIn, staffToken, start } from './perf.ts';

export type Encoding = 'identity' | 'gzip';

export interface ExportRun {
  encoding: string;
  rows: number;
  seconds: number;
  rowsPerSecond: number;
  peakRssMb: number;
  serverCpuSeconds: number;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? (s[mid] ?? 0) : ((s[mid - 1] ?? 0) + (s[mid] ?? 0)) / 2;
};

/** Every response as CSV, `runs` times per encoding, on a server of its own: each run and the server's RSS at rest. */
export async function exportFigures(
  url: string,
  responses: number,
  opts: { encodings: Encoding[]; runs: number; label: string },
): Promise<{ available: boolean; restRssMb?: number; runs?: ExportRun[] }> {
  const server = await start([APP_SERVER], { DATABASE_URL: url }, /is running at/);
  const cpuSeconds = () => {
    const fields = readFileSync(`/proc/${server.child.pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    return (Number(fields[11]) + Number(fields[12])) / 100;
  };
  try {
    await staffToken(url);
    const cookie = await signIn(server.url);
    // At rest: signed in, nothing else asked yet.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const restRssMb = server.rssMb();
    const probe = await fetch(`${server.url}/export/responses.csv?period=12m`, { method: 'HEAD', headers: { cookie } });
    if (probe.status === 404) {
      log(`${opts.label} CSV export: not available in this build`);
      return { available: false };
    }
    log(`${opts.label} CSV export of every response (of ${fmt(responses)}), a server of its own: RSS ${fmt(restRssMb)} MB at rest (target < 100 MB)`);
    const runs: ExportRun[] = [];
    for (const encoding of opts.encodings) {
      for (let i = 0; i < opts.runs; i++) {
        let peak = server.rssMb();
        const sampler = setInterval(() => (peak = Math.max(peak, server.rssMb())), 100);
        const cpuBefore = cpuSeconds();
        const started = performance.now();
        const res = await fetch(`${server.url}/export/responses.csv?from=2000-01-01&to=2100-12-31`, { headers: { cookie, 'accept-encoding': encoding } });
        let lines = 0;
        const reader = res.body?.getReader();
        for (;;) {
          const chunk = await reader?.read();
          if (!chunk || chunk.done) break;
          for (let at = chunk.value.indexOf(10); at !== -1; at = chunk.value.indexOf(10, at + 1)) lines++;
        }
        clearInterval(sampler);
        const seconds = (performance.now() - started) / 1000;
        peak = Math.max(peak, server.rssMb());
        // Line ends, less the header (a comment with a line break in it would count twice: the demo's have none).
        const rows = Math.max(0, lines - 1);
        const sent = res.headers.get('content-encoding') ?? 'identity';
        const one = { encoding: sent, rows, seconds, rowsPerSecond: rows / seconds, peakRssMb: peak, serverCpuSeconds: cpuSeconds() - cpuBefore };
        runs.push(one);
        log(`   ${sent.padEnd(8)} ${fmt(rows)} rows in ${fmt(seconds, 2)} s: ${fmt(one.rowsPerSecond)} rows/s, server CPU ${fmt(one.serverCpuSeconds, 1)} s, peak RSS ${fmt(peak)} MB`);
      }
    }
    for (const encoding of opts.encodings) {
      const mine = runs.filter((r) => (r.encoding === 'identity') === (encoding === 'identity'));
      if (mine.length === 0) continue;
      log(
        `   ${encoding}: median ${fmt(median(mine.map((r) => r.rowsPerSecond)))} rows/s, peak RSS ${fmt(Math.max(...mine.map((r) => r.peakRssMb)))} MB ` +
          `(targets ≥ 200,000 rows/s, < 150 MB)`,
      );
    }
    return { available: true, restRssMb, runs };
  } finally {
    await server.stop();
  }
}

export async function runExportBench(options: { responses: number; database: 'sqlite' | 'postgres'; runs: number }): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'sipas-bench-export-'));
  const databases = await benchDatabases(options.database, dir);
  try {
    log(`SIPAS export bench · ${new Date().toISOString()} · node ${process.version} · ${cpus().length} cores · load ${loadavg().map((l) => l.toFixed(1)).join(' ')} · ${options.database}`);
    const url = await databases.url('export');
    log(`1. seeding ${fmt(options.responses)} demo responses…`);
    const seed = await run(['server/cli/main.ts', 'seed', '--demo', '--responses', String(options.responses)], { DATABASE_URL: url });
    log(`   seeded in ${fmt(seed.seconds, 1)} s (${fmt(options.responses / seed.seconds)} responses/s, target a million in < 2 min: 8,333/s)`);
    const figures = await exportFigures(url, options.responses, { encodings: ['identity', 'gzip'], runs: options.runs, label: '2.' });
    const best = figures.runs?.length ? Math.max(...figures.runs.map((r) => r.rowsPerSecond)) : 0;
    log(`export bench done (${options.database}): best ${fmt(best)} rows/s, RSS at rest ${fmt(figures.restRssMb ?? 0)} MB, load ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
  } finally {
    await databases.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
