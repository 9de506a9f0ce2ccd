/**
 * `npm run bench`: what users feel, measured out of process and side by side in one run. The
 * application and the bare baselines (bare-server.ts) each run as their own process and are driven
 * by autocannon over 127.0.0.1; every figure that matters is a ratio to its baseline measured
 * minutes apart on the same machine, so a noisy machine moves both. Prints a table and writes
 * bench/results/latest.json. Bounded: every load has a fixed duration or request count.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import type { Server } from 'node:http';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import autocannon from 'autocannon';
import { createApiToken } from '../db/queries/api-tokens.ts';
import { listActiveDesks } from '../db/queries/desks.ts';
import { getSetting } from '../db/queries/settings.ts';
import { createUser } from '../db/queries/users.ts';
import { connect } from '../db/connect.ts';
import { apiTokenExpiry, newApiToken } from '../server/auth/api-tokens.ts';
import { hashPassword } from '../server/auth/passwords.ts';
import { localDay } from '../analytics/time.ts';
import { signDeskToken } from '../server/tokens/tokens.ts';
import { phoneAddress } from '../test/support/respondents.ts';
import { exportFigures } from './export.ts';

const root = join(import.meta.dirname, '..');

export interface PerfOptions {
  /** Responses for the large measurement (the small one is a tenth of it). */
  responses: number;
  /** Seconds of load per throughput scenario. */
  seconds: number;
  /** Only the full flows and the survey page (`--only survey`); latest.json is left as it was. */
  surveyOnly?: boolean;
  /** `--database postgres`: every database of the run on an embedded PostgreSQL with its default durability; the bare flow inserts through pg. */
  database?: 'sqlite' | 'postgres';
}

/**
 * Where the run's databases live: SQLite files in the run's folder, or databases of one embedded
 * PostgreSQL started for the run with its own defaults (fsync, synchronous_commit and
 * full_page_writes on, unlike the tests' throw-away server), removed at the end.
 */
export async function benchDatabases(kind: 'sqlite' | 'postgres', dir: string): Promise<{ url(name: string): Promise<string>; bare(name: string): Promise<string>; stop(): Promise<void> }> {
  if (kind === 'sqlite') {
    return { url: (name) => Promise.resolve(`sqlite:${join(dir, `${name}.db`)}`), bare: (name) => Promise.resolve(join(dir, `${name}.db`)), stop: () => Promise.resolve() };
  }
  const { startPostgresServer } = await import('../test/support/postgres-server.ts');
  const server = await startPostgresServer({ durable: true });
  const pg = (await import('pg')).default;
  const create = async (name: string) => {
    const admin = new pg.Client({ connectionString: server.url });
    await admin.connect();
    try {
      await admin.query(`create database ${name}`);
    } finally {
      await admin.end();
    }
    const url = new URL(server.url);
    url.pathname = `/${name}`;
    return url.toString();
  };
  return { url: create, bare: create, stop: () => server.remove() };
}

export interface Proc {
  child: ChildProcess;
  url: string;
  rssMb(): number;
  /** CPU time the process has used so far (user + system): per request, it is what a loaded machine moves least. */
  cpuMs(): number;
  stop(): Promise<void>;
}

let nextPort = 41_000 + Math.floor(Math.random() * 10_000);

/**
 * The application's server as `npm start` runs it, read from package.json's start script: its
 * environment settings (`MALLOC_ARENA_MAX=2`), node's flags, the compiled server (dist/).
 */
function npmStart(): { env: Record<string, string>; args: string[] } {
  const script = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: { start: string } }).scripts.start;
  const words = script.trim().split(/\s+/);
  const env: Record<string, string> = {};
  while (words[0] && /^[A-Z_]+=/.test(words[0])) {
    const [name = '', value = ''] = (words.shift() ?? '').split('=');
    env[name] = value;
  }
  if (words.shift() !== 'node') throw new Error(`package.json's start script is not "node …": ${script}`);
  return { env, args: words };
}
const NPM_START = npmStart();
/** The compiled server's file: start([APP_SERVER], …) runs it with npm start's settings and flags. */
export const APP_SERVER = NPM_START.args[NPM_START.args.length - 1] ?? 'dist/server/main.js';

/**
 * Starts `node ARGS` on a free port of 127.0.0.1 (`--import tsx` first for a TypeScript file),
 * resolved once its output matches `ready`. Shared by every bench.
 */
export function start(args: string[], env: Record<string, string>, ready: RegExp): Promise<Proc> {
  const port = nextPort++;
  const { BASE_URL: _vite, ...inherited } = process.env;
  const app = args[0] === APP_SERVER;
  const first = app ? NPM_START.args : args[0]?.endsWith('.ts') ? ['--import', 'tsx', args[0]] : args.slice(0, 1);
  const child = spawn(process.execPath, [...first, ...args.slice(1)].map((a) => a.replace('{port}', String(port))), {
    cwd: root,
    env: { ...inherited, ...(app ? NPM_START.env : {}), PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'silent', BASE_URL: `http://127.0.0.1:${port}`, ...env },
  });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${args.join(' ')} did not start in 60 s:\n${out}`)), 60_000);
    const poll = setInterval(() => {
      if (ready.test(out)) {
        clearInterval(poll);
        clearTimeout(timer);
        resolve({
          child,
          url: `http://127.0.0.1:${port}`,
          rssMb: () => {
            const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
            return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
          },
          cpuMs: () => {
            const fields = readFileSync(`/proc/${child.pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
            return (Number(fields[11]) + Number(fields[12])) * 10; // clock ticks of 10 ms
          },
          stop: () =>
            new Promise((done) => {
              if (child.exitCode !== null) return done();
              child.once('exit', () => done());
              child.kill('SIGTERM');
            }),
        });
      } else if (child.exitCode !== null) {
        clearInterval(poll);
        clearTimeout(timer);
        reject(new Error(`${args.join(' ')} exited:\n${out}`));
      }
    }, 50);
  });
}

/** Runs `node --import tsx ARGS` to its end: its seconds and output, or an error with the output. */
export function run(args: string[], env: Record<string, string>): Promise<{ seconds: number; out: string }> {
  const started = performance.now();
  const { BASE_URL: _vite, ...inherited } = process.env;
  const child = spawn(process.execPath, ['--import', 'tsx', ...args], { cwd: root, env: { ...inherited, LOG_LEVEL: 'silent', ...env } });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  return new Promise((resolve, reject) =>
    child.on('exit', (code) => (code === 0 ? resolve({ seconds: (performance.now() - started) / 1000, out }) : reject(new Error(`${args.join(' ')} failed:\n${out}`)))),
  );
}

function cannon(opts: autocannon.Options): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => {
    autocannon(opts, (error, result) => (error ? reject(error as Error) : resolve(result)));
  });
}

export const log = (line: string) => console.log(line);
export const fmt = (n: number, digits = 0) => n.toLocaleString('en-GB', { maximumFractionDigits: digits, minimumFractionDigits: digits });

/**
 * Each connection is its own citizen, as in a hall where everyone scans from their own phone: an
 * address of its own in X-Forwarded-For (the app trusts 127.0.0.1 as its proxy here), so the
 * per-client limits of issue 9 see fifty clients rather than one client asking 50 times at once.
 */
let citizens = 0;
function asCitizen(request: autocannon.Request): autocannon.Request {
  const setup = request.setupRequest;
  return {
    ...request,
    setupRequest: (req, context) => {
      const own = context as { address?: string };
      // The same phones as the tests' citizens (test/support/respondents.ts).
      own.address ??= phoneAddress(++citizens);
      // A string setupRequest names a module for worker threads; this bench runs none.
      const base = typeof setup === 'function' ? setup(req, context) : req;
      return { ...base, headers: { ...base.headers, 'x-forwarded-for': own.address } };
    },
  };
}

/** GET the form, POST six ratings with its token, expect 303: one citizen, start to finish. */
async function flows(url: string, formPath: string, body: (ft: string) => string, seconds: number): Promise<{ perSecond: number; result: autocannon.Result }> {
  const result = await cannon({
    url,
    connections: 50,
    duration: seconds,
    requests: (
      [
      {
        method: 'GET',
        path: formPath,
        onResponse: (_status, html, context) => {
          (context as { ft?: string }).ft = /name="ft" value="([^"]+)"/.exec(html)?.[1] ?? '';
        },
      },
      {
        method: 'POST',
        path: formPath,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        setupRequest: (request, context) => ({ ...request, body: body((context as { ft?: string }).ft ?? '') }),
      },
    ] satisfies autocannon.Request[]
    ).map(asCitizen),
  });
  // A refused request (429, 503) is not a citizen served: the figure would flatter the app.
  if (result.non2xx > result['3xx']) throw new Error(`${url}${formPath}: ${result.non2xx - result['3xx']} answers other than 2xx and 303, ${result.errors} errors`);
  // Each flow is two requests; only a 303 finishes one.
  return { perSecond: (result['3xx'] ?? 0) / result.duration, result };
}

export interface Latency {
  p50: number;
  p95: number;
  /** The first request after the server started, before anything was kept in memory. */
  first?: number;
}

/** p50 and p95 of `amount` requests sent one after another. */
export async function latency(url: string, path: string, headers: Record<string, string>, amount: number): Promise<Latency> {
  const result = await cannon({ url: `${url}${path}`, connections: 1, amount, headers, timeout: 60 });
  if (result.non2xx > 0 || result.errors > 0) throw new Error(`${path}: ${result.non2xx} non-2xx answers, ${result.errors} errors`);
  return { p50: result.latency.p50, p95: result.latency.p97_5 ?? result.latency.p99 };
}

export async function runPerf(options: PerfOptions): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'sipas-bench-'));
  const report: Record<string, unknown> = {
    date: new Date().toISOString(),
    machine: { node: process.version, cpus: cpus().length, model: cpus()[0]?.model ?? '', loadavg: loadavg() },
  };
  const procs: Proc[] = [];
  const database = options.database ?? 'sqlite';
  const databases = await benchDatabases(database, dir);
  try {
    log(`SIPAS bench · ${report.date as string} · node ${process.version} · ${cpus().length} cores · load ${loadavg().map((l) => l.toFixed(1)).join(' ')} · ${database}`);
    report.database = database;

    // 1. Full flow: the application against the bare flow server.
    const flowDb = await databases.url('flow');
    await run(['server/cli/main.ts', 'desk', 'add', '--unit', '16681', '--code', 'B', '--name', 'Quầy bench', '--fields', 'dat-dai'], { DATABASE_URL: flowDb });
    const app = await start(
      [APP_SERVER],
      { DATABASE_URL: flowDb, TRUST_PROXY: '127.0.0.1', SURVEY_RATE_LIMIT: '10000', SURVEY_FORM_LIMIT: '10000', SURVEY_MIN_SECONDS: '0' },
      /is running at/,
    );
    procs.push(app);
    const flowSetup = connect(flowDb);
    const desk = (await listActiveDesks(flowSetup.kysely))[0];
    const secret = (await getSetting(flowSetup.kysely, 'secret')) ?? '';
    await flowSetup.close();
    if (!desk) throw new Error('no desk');
    const formPath = `/q/${signDeskToken(secret, desk.id, desk.tokenVersion)}`;
    // At rest: the server as `npm start` runs it, after its first page, before any load.
    await (await fetch(`${app.url}${formPath}`)).text();
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const restRss = app.rssMb();
    log(`0. server RSS at rest (npm start's settings, after its first page): ${fmt(restRss)} MB (target < 100 MB)`);
    report.serverRssAtRestMb = restRss;
    const answers = 'a=5&b=4&c=5&d=4&e=3&overall=5';
    log(`1. Full flow (GET form, POST six ratings, 303), 50 connections, ${options.seconds} s each`);
    let cpu = app.cpuMs();
    const appFlows = await flows(app.url, formPath, (ft) => `ft=${ft}&${answers}`, options.seconds);
    const appFlowCpu = (app.cpuMs() - cpu) / (appFlows.perSecond * appFlows.result.duration);
    const appRss = app.rssMb();
    const bareFlow = await start(['bench/bare-server.ts', database === 'postgres' ? 'flow-pg' : 'flow', '{port}', await databases.bare('bare')], {}, /listening/);
    procs.push(bareFlow);
    cpu = bareFlow.cpuMs();
    const bareFlows = await flows(bareFlow.url, '/form', (ft) => `ft=${ft}&${answers}`, options.seconds);
    const bareFlowCpu = (bareFlow.cpuMs() - cpu) / (bareFlows.perSecond * bareFlows.result.duration);
    await bareFlow.stop();
    const flowRatio = appFlows.perSecond / bareFlows.perSecond;
    log(`   app ${fmt(appFlows.perSecond)} flows/s · bare ${fmt(bareFlows.perSecond)} flows/s · ratio ${fmt(flowRatio, 2)}x (target ≥ 0.6x)`);
    log(`   CPU per flow: app ${fmt(appFlowCpu, 2)} ms · bare ${fmt(bareFlowCpu, 2)} ms · ratio ${fmt(bareFlowCpu / appFlowCpu, 2)}x`);
    log(`   server RSS after the submission run: ${fmt(appRss)} MB`);

    // 2. The survey page alone, gzipped, against the same page from a bare route.
    const page = await fetch(`${app.url}${formPath}`);
    const html = await page.text();
    writeFileSync(join(dir, 'page.html'), html);
    const gzipBytes = gzipSync(html).length;
    const barePage = await start(['bench/bare-server.ts', 'page', '{port}', join(dir, 'page.html')], {}, /listening/);
    procs.push(barePage);
    log(`2. Survey page GET (gzip), 50 connections, ${options.seconds} s each`);
    const gz = { 'accept-encoding': 'gzip' };
    cpu = app.cpuMs();
    const appGet = await cannon({ url: `${app.url}${formPath}`, connections: 50, duration: options.seconds, requests: [asCitizen({ method: 'GET', headers: gz })] });
    const appGetCpu = (app.cpuMs() - cpu) / appGet.requests.total;
    cpu = barePage.cpuMs();
    const bareGet = await cannon({ url: `${barePage.url}/page`, connections: 50, duration: options.seconds, headers: gz });
    const bareGetCpu = (barePage.cpuMs() - cpu) / bareGet.requests.total;
    if (appGet.non2xx > 0) throw new Error(`${app.url}${formPath}: ${appGet.non2xx} answers other than 2xx`);
    await barePage.stop();
    await app.stop();
    const getRatio = appGet.requests.average / bareGet.requests.average;
    log(`   app ${fmt(appGet.requests.average)} req/s · bare ${fmt(bareGet.requests.average)} req/s · ratio ${fmt(getRatio, 2)}x (target ≥ 0.7x)`);
    log(`   CPU per page: app ${fmt(appGetCpu, 2)} ms · bare ${fmt(bareGetCpu, 2)} ms · ratio ${fmt(bareGetCpu / appGetCpu, 2)}x`);
    // Our own deferred scripts only (survey-form.js gives the form its own address); no inline script, and the form works without them.
    const scripts = [...html.matchAll(/<script[^>]*src="([^"]+)"/gi)].map((m) => m[1] ?? '');
    const inline = /<script(?![^>]*src=)[^>]*>/i.test(html);
    log(`   page ${fmt(Buffer.byteLength(html) / 1024, 1)} KB, ${fmt(gzipBytes / 1024, 1)} KB gzipped, scripts: ${scripts.length === 0 ? 'none' : scripts.join(', ')}${inline ? ', INLINE' : ''} (target < 30 KB; works without JavaScript, nothing inline)`);

    report.flow = { app: appFlows.perSecond, bare: bareFlows.perSecond, ratio: flowRatio, cpuMsPerFlow: { app: appFlowCpu, bare: bareFlowCpu }, connections: 50, seconds: options.seconds };
    report.surveyGet = { app: appGet.requests.average, bare: bareGet.requests.average, ratio: getRatio, cpuMsPerRequest: { app: appGetCpu, bare: bareGetCpu }, pageBytes: Buffer.byteLength(html), gzipBytes, scripts, inlineScript: inline };
    report.serverRssAfterSubmissionsMb = appRss;
    if (options.surveyOnly) {
      log(`bench done (survey only): flow ${fmt(flowRatio, 2)}x bare, survey GET ${fmt(getRatio, 2)}x bare, load ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
      return;
    }

    // 3. The dashboard and the API at a tenth of the responses and at all of them.
    const bigDb = await databases.url('big');
    const small = Math.round(options.responses / 10);
    const sizes: Record<string, unknown> = {};
    let seeded = 0;
    for (const target of [small, options.responses]) {
      log(`3. ${fmt(target)} responses: seeding ${fmt(target - seeded)} more…`);
      const seed = await run(['server/cli/main.ts', 'seed', '--demo', '--responses', String(target - seeded)], { DATABASE_URL: bigDb });
      log(`   seeded in ${fmt(seed.seconds, 1)} s (${fmt((target - seeded) / seed.seconds)} responses/s)`);
      report[`seed${target}`] = { responses: target - seeded, seconds: seed.seconds };
      seeded = target;
      const token = await staffToken(bigDb);
      const server = await start([APP_SERVER], { DATABASE_URL: bigDb }, /is running at/);
      procs.push(server);
      const cookie = await signIn(server.url);
      const today = localDay(new Date());
      const views: Record<string, string> = {
        year: 'period=year',
        quarter: 'period=quarter',
        unit: 'period=12m&unit=16681',
        day: `from=${today}&to=${today}`,
      };
      const measured: Record<string, { api: Latency; dashboard: Latency }> = {};
      for (const [name, query] of Object.entries(views)) {
        const api = await latency(server.url, `/api/v1/indicators?${query}`, { authorization: `Bearer ${token}` }, 20);
        const dashboard = await latency(server.url, `/dashboard?${query}`, { cookie }, 10);
        measured[name] = { api, dashboard };
        log(`   ${name.padEnd(8)} API p50 ${fmt(api.p50)} ms p95 ${fmt(api.p95)} ms · dashboard p50 ${fmt(dashboard.p50)} ms p95 ${fmt(dashboard.p95)} ms`);
      }
      sizes[String(target)] = measured;
      await server.stop();
    }
    const growth = Object.fromEntries(
      Object.keys((sizes[String(small)] ?? {})).map((name) => {
        const a = (sizes[String(small)] as Record<string, { api: Latency; dashboard: Latency }>)[name];
        const b = (sizes[String(options.responses)] as Record<string, { api: Latency; dashboard: Latency }>)[name];
        return [name, { api: (b?.api.p50 ?? 0) / (a?.api.p50 || 1), dashboard: (b?.dashboard.p50 ?? 0) / (a?.dashboard.p50 || 1) }];
      }),
    );
    for (const [name, g] of Object.entries(growth)) log(`   growth ${fmt(small)} → ${fmt(options.responses)} (${name}): API ${fmt(g.api, 2)}x, dashboard ${fmt(g.dashboard, 2)}x (target < 1.5x)`);
    report.latency = sizes;
    report.growth = growth;

    // 4. What one dashboard request costs, query by query, at the largest size.
    log(`4. Queries of one dashboard request (year) at ${fmt(options.responses)} responses, slowest first`);
    const queries = await dashboardQueries(bigDb);
    for (const q of queries.slice(0, 12)) log(`   ${fmt(q.ms, 1).padStart(7)} ms  ${q.sql}`);
    report.dashboardQueries = queries;

    // 5. CSV export of every response, streamed.
    report.export = await exportFigures(bigDb, options.responses, { encodings: ['gzip'], runs: 1, label: '5.' });

    mkdirSync(join(root, 'bench', 'results'), { recursive: true });
    writeFileSync(join(root, 'bench', 'results', 'latest.json'), `${JSON.stringify(report, null, 2)}\n`);
    log(
      `bench done: flow ${fmt(flowRatio, 2)}x bare, survey GET ${fmt(getRatio, 2)}x bare, page ${fmt(gzipBytes / 1024, 1)} KB gz, ` +
        `year API p50 ${fmt((sizes[String(options.responses)] as Record<string, { api: Latency }>).year?.api.p50 ?? 0)} ms at ${fmt(options.responses)} responses → bench/results/latest.json`,
    );
  } finally {
    for (const p of procs) if (p.child.exitCode === null) p.child.kill('SIGKILL');
    await databases.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** An administrator 'bench' and an API token of theirs (bench/dashboard-dossiers.ts uses it too). */
export async function staffToken(url: string): Promise<string> {
  const db = connect(url);
  try {
    let user = await db.kysely.selectFrom('users').select('id').where('username', '=', 'bench').executeTakeFirst();
    if (!user) {
      const id = await createUser(db.kysely, { username: 'bench', displayName: 'Bench', passwordHash: await hashPassword('bench-password-2025'), role: 'admin', unitId: null }, new Date().toISOString());
      user = { id };
    }
    const { token, hash } = newApiToken();
    const created = new Date();
    await createApiToken(db.kysely, { userId: user.id, tokenHash: hash, label: 'bench', createdAt: created.toISOString(), expiresAt: apiTokenExpiry(created) });
    return token;
  } finally {
    await db.close();
  }
}

/** The session cookie of 'bench' signed in through the login form. */
export async function signIn(url: string): Promise<string> {
  const page = await fetch(`${url}/login`);
  // The login form's own cookie (a signed double-submit token), then the session's.
  const cookiesOf = (r: globalThis.Response) => r.headers.getSetCookie().map((c) => c.split(';')[0] ?? '');
  const cookie = cookiesOf(page).join('; ');
  const csrf = /name="_csrf" value="([^"]+)"/.exec(await page.text())?.[1] ?? '';
  const res = await fetch(`${url}/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ _csrf: csrf, username: 'bench', password: 'bench-password-2025' }),
  });
  return cookiesOf(res).join('; ');
}

/** Every query of one dashboard request, timed in this process through the real route. */
async function dashboardQueries(url: string): Promise<{ sql: string; ms: number }[]> {
  const { createApp } = await import('../server/app.ts');
  const { loadConfig } = await import('../server/start/config.ts');
  const { createLogger } = await import('../server/log.ts');
  const timings: { sql: string; ms: number }[] = [];
  let recording = false;
  const db = connect(url, { onQuery: (sql, ms) => recording && timings.push({ sql: sql.replace(/\s+/g, ' ').slice(0, 110), ms }) });
  try {
    const config = loadConfig({ DATABASE_URL: url, LOG_LEVEL: 'silent' });
    const secret = (await getSetting(db.kysely, 'secret')) ?? '';
    const app = createApp({ db: db.kysely, config, secret, logger: createLogger('silent') });
    const server = await new Promise<Server>((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
    const address = server.address();
    const base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    const cookie = await signIn(base);
    await fetch(`${base}/dashboard?period=year`, { headers: { cookie } }); // warm the caches as a real server is
    recording = true;
    await fetch(`${base}/dashboard?period=year`, { headers: { cookie } });
    recording = false;
    await new Promise((resolve) => server.close(resolve));
  } finally {
    await db.close();
  }
  return timings.sort((a, b) => b.ms - a.ms);
}
