/**
 * `npm run bench -- --only dashboard-dossiers [--responses N] [--rows M] [--keep]`: what the dossier
 * figures of issue 20 cost the staff dashboard. A SQLite database of N responses (the demo seed,
 * default a million) is measured signed in as an administrator, GET /dashboard and GET
 * /api/v1/indicators, for the default period and for period=12m; then M dossier_counts rows
 * (default a million: day x desk x field x channel over the demo desks and the fields each serves,
 * back from yesterday) are written in one transaction with multi-row INSERTs, and the same requests
 * measured again. Each view's first request after the server starts is timed on its own (nothing yet
 * kept in memory), then WARM_UP requests are sent untimed, then 30 dashboards and 40 API calls
 * timed one after another. Each p50 is also given as a ratio to a bare page server (bench/bare-server.ts)
 * sending the same dashboard HTML, measured in the same run. Target (issue 20): dashboard p50 under
 * 100 ms. Bounded: fixed request counts, the row generator stops at M rows or ten years of days.
 * With --keep the database is left in place (its path is printed) for timing queries by hand.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { addDays, localDay } from '../analytics/time.ts';
import { APP_SERVER, fmt, type Latency, latency, log, run, signIn, staffToken, start } from './perf.ts';

const root = join(import.meta.dirname, '..');
const MAX_DAYS = 3650;
const ROWS_PER_STATEMENT = 500; // 13 columns: 6,500 parameters a statement
const CHANNELS = ['in_person', 'online', 'post'] as const;

export interface DashboardDossiersOptions {
  responses: number;
  rows: number;
  keep?: boolean;
}

/** Requests sent before each measurement, not timed. */
const WARM_UP = 5;

/**
 * Writes `rows` dossier_counts rows straight into the file, one transaction, multi-row INSERTs:
 * every desk x field it serves (desk_fields) x 3 channels, day after day back from yesterday.
 * resolved = on_time + late, apologised <= late, a small backlog. Returns the days covered.
 */
function writeDossierCounts(file: string, rows: number): { rows: number; pairs: number; from: string; to: string } {
  const db = new Database(file);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    const pairs = db.prepare('select df.desk_id as desk, df.field_id as field from desk_fields df join desks d on d.id = df.desk_id where d.active = 1 order by df.desk_id, df.field_id').all() as { desk: number; field: number }[];
    if (pairs.length === 0) throw new Error('no desk serves a field');
    const full = db.prepare(`insert into dossier_counts (day, desk_id, field_id, channel, received, resolved, on_time, late, apologised, backlog, complaints, imported_at) values ${Array.from({ length: ROWS_PER_STATEMENT }, () => '(?,?,?,?,?,?,?,?,?,?,?,?)').join(',')}`);
    const one = db.prepare('insert into dossier_counts (day, desk_id, field_id, channel, received, resolved, on_time, late, apologised, backlog, complaints, imported_at) values (?,?,?,?,?,?,?,?,?,?,?,?)');
    const importedAt = new Date().toISOString();
    let x = 12_345;
    const next = (n: number) => {
      x = (Math.imul(x, 1_103_515_245) + 12_345) >>> 0;
      return (x >>> 8) % n;
    };
    const to = addDays(localDay(new Date()), -1);
    let from = to;
    let n = 0;
    let buffer: (string | number)[] = [];
    const step = Math.max(1, Math.floor(rows / 10));
    db.transaction(() => {
      for (let d = 0; d < MAX_DAYS && n < rows; d++) {
        const day = addDays(to, -d);
        from = day;
        for (const p of pairs) {
          for (const channel of CHANNELS) {
            if (n >= rows) break;
            const resolved = next(40);
            const late = resolved === 0 ? 0 : next(Math.max(1, Math.floor(resolved / 8)) + 1);
            const apologised = late === 0 ? 0 : late - next(2);
            buffer.push(day, p.desk, p.field, channel, resolved + next(5), resolved, resolved - late, late, apologised, next(3), next(50) === 0 ? 1 : 0, importedAt);
            n++;
            if (buffer.length === ROWS_PER_STATEMENT * 12) {
              full.run(buffer);
              buffer = [];
            }
            if (n % step === 0) log(`   … ${fmt(n)} rows (${day})`);
          }
        }
      }
      for (let i = 0; i < buffer.length; i += 12) one.run(buffer.slice(i, i + 12));
    })();
    return { rows: n, pairs: pairs.length, from, to };
  } finally {
    db.close();
  }
}

type Phase = Record<string, { api: Latency; dashboard: Latency }>;

export async function runDashboardDossiersBench(options: DashboardDossiersOptions): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'sipas-bench-dd-'));
  const file = join(dir, 'big.db');
  const url = `sqlite:${file}`;
  const stops: (() => Promise<void>)[] = [];
  const views: Record<string, string> = { default: '', '12m': 'period=12m' };
  const report: Record<string, unknown> = { date: new Date().toISOString(), machine: { node: process.version, cpus: cpus().length, loadavg: loadavg() } };
  try {
    log(`SIPAS bench, dashboard with dossier counts · ${report.date as string} · ${cpus().length} cores · load ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
    log(`1. Seeding ${fmt(options.responses)} demo responses…`);
    const { seconds: seedSeconds } = await run(['server/cli/main.ts', 'seed', '--demo', '--responses', String(options.responses)], { DATABASE_URL: url });
    // The demo seed writes counts of its own (consistent with its responses): taken out, so the first
    // measurement has none and the second exactly the rows written here.
    const seeded = new Database(file);
    const demoRows = seeded.prepare('delete from dossier_counts').run().changes;
    seeded.close();
    log(`   seeded in ${fmt(seedSeconds, 1)} s (the ${fmt(demoRows)} dossier_counts rows the demo wrote are deleted)`);
    const token = await staffToken(url);

    let bareHtml = '';
    const measure = async (label: string): Promise<Phase> => {
      const server = await start([APP_SERVER], { DATABASE_URL: url }, /is running at/);
      stops.push(() => server.stop());
      const cookie = await signIn(server.url);
      const out: Phase = {};
      for (const [name, query] of Object.entries(views)) {
        const q = query ? `?${query}` : '';
        // The first request of each is timed on its own (it reads what the server keeps in memory:
        // the rollups of past days, the dossier sums until the next import); then a few more warm
        // the code up, as a server that has run for a while is warm.
        const firstAt = performance.now();
        await fetch(`${server.url}/api/v1/indicators${q}`, { headers: { authorization: `Bearer ${token}` } });
        const firstApi = performance.now() - firstAt;
        const firstDashboardAt = performance.now();
        const html = await (await fetch(`${server.url}/dashboard${q}`, { headers: { cookie } })).text();
        const firstDashboard = performance.now() - firstDashboardAt;
        if (name === 'default') bareHtml = html;
        for (let i = 0; i < WARM_UP; i++) await (await fetch(`${server.url}/dashboard${q}`, { headers: { cookie } })).text();
        const api = await latency(server.url, `/api/v1/indicators${q}`, { authorization: `Bearer ${token}` }, 40);
        const dashboard = await latency(server.url, `/dashboard${q}`, { cookie }, 30);
        out[name] = { api: { ...api, first: Math.round(firstApi) }, dashboard: { ...dashboard, first: Math.round(firstDashboard) } };
        log(
          `   ${label} ${name.padEnd(8)} API p50 ${fmt(api.p50)} ms p95 ${fmt(api.p95)} ms (first ${fmt(firstApi)} ms) · ` +
            `dashboard p50 ${fmt(dashboard.p50)} ms p95 ${fmt(dashboard.p95)} ms (first ${fmt(firstDashboard)} ms)`,
        );
      }
      await server.stop();
      return out;
    };

    log('2. Without dossier counts (administrator)');
    const without = await measure('no counts ');

    log(`3. Writing ${fmt(options.rows)} dossier_counts rows in one transaction…`);
    const started = performance.now();
    const written = writeDossierCounts(file, options.rows);
    const buildSeconds = (performance.now() - started) / 1000;
    log(`   ${fmt(written.rows)} rows (${written.pairs} desk x field pairs x 3 channels, ${written.from} to ${written.to}) in ${fmt(buildSeconds, 1)} s (${fmt(written.rows / buildSeconds)} rows/s)`);

    log('4. With dossier counts (administrator)');
    const withCounts = await measure('with counts');

    // The bare baseline: the same dashboard HTML sent by a bare page server.
    writeFileSync(join(dir, 'dashboard.html'), bareHtml);
    const bare = await start(['bench/bare-server.ts', 'page', '{port}', join(dir, 'dashboard.html')], {}, /listening/);
    stops.push(() => bare.stop());
    const bareLatency = await latency(bare.url, '/page', {}, 50);
    await bare.stop();
    log(`5. Bare page server, same dashboard HTML (${fmt(Buffer.byteLength(bareHtml) / 1024, 1)} KB): p50 ${fmt(bareLatency.p50, 1)} ms p95 ${fmt(bareLatency.p95, 1)} ms`);
    const ratio = (ms: number) => ms / Math.max(bareLatency.p50, 1);
    log('   request                      no counts p50/p95     with counts p50/p95   p50 x bare (no → with)');
    for (const name of Object.keys(views)) {
      for (const kind of ['dashboard', 'api'] as const) {
        const a = without[name]?.[kind];
        const b = withCounts[name]?.[kind];
        if (!a || !b) continue;
        log(`   ${`${kind} ${name}`.padEnd(28)} ${`${fmt(a.p50)} / ${fmt(a.p95)} ms`.padEnd(21)} ${`${fmt(b.p50)} / ${fmt(b.p95)} ms`.padEnd(21)} ${fmt(ratio(a.p50), 1)}x → ${fmt(ratio(b.p50), 1)}x`);
      }
    }
    Object.assign(report, { responses: options.responses, seedSeconds, demoCountRowsDeleted: demoRows, dossierCounts: { ...written, buildSeconds }, bare: bareLatency, without, withCounts });
    mkdirSync(join(root, 'bench', 'results'), { recursive: true });
    writeFileSync(join(root, 'bench', 'results', 'dashboard-dossiers.json'), `${JSON.stringify(report, null, 2)}\n`);
    const d = withCounts.default?.dashboard.p50 ?? 0;
    log(
      `bench done (dashboard-dossiers): ${fmt(options.responses)} responses + ${fmt(written.rows)} counts, dashboard p50 ${fmt(without.default?.dashboard.p50 ?? 0)} → ${fmt(d)} ms default, ` +
        `${fmt(without['12m']?.dashboard.p50 ?? 0)} → ${fmt(withCounts['12m']?.dashboard.p50 ?? 0)} ms 12m (target < 100 ms: ${d < 100 ? 'met' : 'NOT met'}) → bench/results/dashboard-dossiers.json`,
    );
    if (options.keep) log(`   database kept: ${file}`);
  } finally {
    for (const stop of stops) await stop();
    if (!options.keep) rmSync(dir, { recursive: true, force: true });
  }
}
