/**
 * `npm run bench [-- --responses N --requests R]`: latency and throughput of the survey, the API and
 * the dashboard, each as a ratio to a bare Express + better-sqlite3 baseline measured in the same run
 * (same process, same machine, same moment), so the figures mean something on a noisy machine.
 * Traffic goes to 127.0.0.1 only; every loop is bounded in count and time.
 * `--coverage [--replications R]` runs the statistical coverage simulation instead (bench/coverage.ts).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { Agent, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import express, { type Express } from 'express';
import { localDay } from '../analytics/time.ts';
import { findDeskSurvey, listActiveDesks } from '../db/queries/desks.ts';
import { seedDemo } from '../db/seed/demo.ts';
import { createApp } from '../server/app.ts';
import { apiTokenExpiry, newApiToken } from '../server/auth/api-tokens.ts';
import { prepareDatabase } from '../server/bootstrap.ts';
import { progress } from '../server/cli/output.ts';
import { loadConfig } from '../server/config.ts';
import { createLogger } from '../server/log.ts';
import { summarizeRatings } from '../server/survey/summary.ts';
import { signDeskToken, signFormToken } from '../server/tokens.ts';
import { createApiToken } from '../db/queries/api-tokens.ts';
import { createUser } from '../db/queries/users.ts';

const { values } = parseArgs({
  options: { responses: { type: 'string' }, requests: { type: 'string' }, coverage: { type: 'boolean' }, replications: { type: 'string' } },
});
const RESPONSES = Number(values.responses ?? 20_000);
const REQUESTS = Number(values.requests ?? 400);
const CONCURRENCY = 4;
const TIME_LIMIT_MS = 30_000;

interface Result {
  name: string;
  count: number;
  p50: number;
  p95: number;
  perSecond: number;
}

const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });

function send(port: number, method: string, path: string, body?: string, headers: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, method, path, agent, headers: body ? { 'content-type': 'application/x-www-form-urlencoded', 'content-length': Buffer.byteLength(body), ...headers } : headers }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    if (body) req.write(body);
    req.end();
  });
}

async function measure(name: string, port: number, make: (i: number) => { method: string; path: string; body?: string; headers?: Record<string, string>; expect: number }): Promise<Result> {
  const times: number[] = [];
  const bar = progress(name, REQUESTS);
  const started = performance.now();
  let next = 0;
  async function worker(): Promise<void> {
    while (next < REQUESTS && performance.now() - started < TIME_LIMIT_MS) {
      const i = next++;
      const r = make(i);
      const t0 = performance.now();
      const status = await send(port, r.method, r.path, r.body, r.headers);
      times.push(performance.now() - t0);
      if (status !== r.expect) throw new Error(`${name}: request ${i} answered ${status}, expected ${r.expect}`);
      bar.tick(times.length);
    }
  }
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  const elapsed = (performance.now() - started) / 1000;
  times.sort((a, b) => a - b);
  const at = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))] ?? NaN;
  bar.finish(`  ${name}: ${times.length} requests, p50 ${at(0.5).toFixed(2)} ms, p95 ${at(0.95).toFixed(2)} ms`);
  return { name, count: times.length, p50: at(0.5), p95: at(0.95), perSecond: times.length / elapsed };
}

function listen(app: Express): Promise<{ port: number; close(): Promise<void> }> {
  return new Promise((resolve) => {
    const server = app.listen(0, '127.0.0.1', () =>
      resolve({ port: (server.address() as AddressInfo).port, close: () => new Promise((r) => server.close(() => r())) }),
    );
  });
}

/** The bare baseline: one insert per POST with the same durability settings, one aggregate per GET. */
function baselineApp(file: string): Express {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.exec('CREATE TABLE r (id INTEGER PRIMARY KEY, desk INTEGER, day TEXT, value INTEGER)');
  const insert = db.prepare('INSERT INTO r (desk, day, value) VALUES (?, ?, ?)');
  const seed = db.transaction((n: number) => {
    for (let i = 0; i < n; i++) insert.run(i % 14, `2025-${String((i % 12) + 1).padStart(2, '0')}-15`, (i % 5) + 1);
  });
  seed(RESPONSES);
  const sum = db.prepare('SELECT desk, count(*) n, sum(value >= 4) s FROM r WHERE day >= ? GROUP BY desk');
  const app = express();
  app.use(express.urlencoded({ extended: false }));
  app.post('/submit', (req, res) => {
    const body = req.body as Record<string, string>;
    insert.run(Number(body.desk ?? 0), '2025-06-15', Number(body.value ?? 5));
    res.redirect(303, '/thanks');
  });
  app.get('/read', (_req, res) => {
    res.json(sum.all('2025-01-01'));
  });
  app.get('/page', (_req, res) => {
    res.send('<!doctype html><title>x</title><form method="post"><input name="value"></form>');
  });
  return app;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'sipas-bench-'));
  try {
    console.log(`SIPAS bench: ${RESPONSES} demo responses, ${REQUESTS} requests per scenario, ${CONCURRENCY} at a time (127.0.0.1)`);
    const rssStart = process.memoryUsage().rss;

    const baseline = await listen(baselineApp(join(dir, 'baseline.db')));
    const baseWrite = await measure('baseline POST (insert)', baseline.port, (i) => ({ method: 'POST', path: '/submit', body: `desk=${i % 14}&value=5`, expect: 303 }));
    const baseRead = await measure('baseline GET (aggregate)', baseline.port, () => ({ method: 'GET', path: '/read', expect: 200 }));
    const basePage = await measure('baseline GET (static page)', baseline.port, () => ({ method: 'GET', path: '/page', expect: 200 }));
    await baseline.close();

    const config = loadConfig({ DATABASE_URL: `sqlite:${join(dir, 'sipas.db')}`, SURVEY_RATE_LIMIT: '10000', SURVEY_MIN_SECONDS: '0', LOG_LEVEL: 'silent' });
    const ready = await prepareDatabase(config);
    const seedBar = progress('seeding demo responses', RESPONSES);
    await seedDemo(ready.db.kysely, { responses: RESPONSES, now: new Date(), localDay, summarize: summarizeRatings, onProgress: (d) => seedBar.tick(d) });
    seedBar.finish(`  seeded ${RESPONSES} responses`);
    const rssSeeded = process.memoryUsage().rss;
    const userId = await createUser(ready.db.kysely, { username: 'bench', displayName: 'bench', passwordHash: 'x', role: 'admin', unitId: null }, new Date().toISOString());
    const { token, hash } = newApiToken();
    const created = new Date();
    await createApiToken(ready.db.kysely, { userId, tokenHash: hash, label: 'bench', createdAt: created.toISOString(), expiresAt: apiTokenExpiry(created) });
    const desk = (await listActiveDesks(ready.db.kysely))[0];
    if (!desk) throw new Error('no demo desk');
    const survey = await findDeskSurvey(ready.db.kysely, desk.id);
    if (!survey) throw new Error('no demo desk');
    const deskPath = `/q/${signDeskToken(ready.secret, desk.id, desk.tokenVersion)}`;
    const app = createApp({ db: ready.db.kysely, config, secret: ready.secret, logger: createLogger('silent') });
    const server = await listen(app);
    const nowSec = Math.floor(Date.now() / 1000);
    const answers = 'a=5&b=4&c=5&d=4&e=3&overall=5&expectations=minh-bach&comment=bench';

    const form = await measure('survey GET /q/:token', server.port, () => ({ method: 'GET', path: deskPath, expect: 200 }));
    const submit = await measure('survey POST /q/:token', server.port, () => ({
      method: 'POST',
      path: deskPath,
      body: `ft=${signFormToken(ready.secret, desk.id, survey.questionnaire.id, nowSec)}&${answers}`,
      expect: 303,
    }));
    const auth = { authorization: `Bearer ${token}` };
    const api = await measure('API /api/v1/indicators (12 months)', server.port, () => ({ method: 'GET', path: '/api/v1/indicators?period=12m', headers: auth, expect: 200 }));
    const questions = await measure('API /api/v1/questions (12 months)', server.port, () => ({ method: 'GET', path: '/api/v1/questions?period=12m', headers: auth, expect: 200 }));
    await server.close();
    const rssEnd = process.memoryUsage().rss;
    await ready.db.close();

    const ratio = (ours: Result, base: Result) => (ours.p50 / base.p50).toFixed(1);
    console.log('\nRatios of median latency to the bare baseline (lower is better):');
    console.log(`  survey form      ${ratio(form, basePage)}x  static page   (${form.perSecond.toFixed(0)} req/s vs ${basePage.perSecond.toFixed(0)})`);
    console.log(`  survey submit    ${ratio(submit, baseWrite)}x  single insert (${submit.perSecond.toFixed(0)} req/s vs ${baseWrite.perSecond.toFixed(0)})`);
    console.log(`  indicators API   ${ratio(api, baseRead)}x  one aggregate (${api.perSecond.toFixed(0)} req/s vs ${baseRead.perSecond.toFixed(0)})`);
    console.log(`  questions API    ${ratio(questions, baseRead)}x  one aggregate (${questions.perSecond.toFixed(0)} req/s vs ${baseRead.perSecond.toFixed(0)})`);
    const mb = (n: number) => (n / 1024 / 1024).toFixed(0);
    console.log(`Memory (RSS): ${mb(rssStart)} MB at start, ${mb(rssSeeded)} MB after seeding, ${mb(rssEnd)} MB at the end.`);
    console.log(`bench done: submit ${ratio(submit, baseWrite)}x, form ${ratio(form, basePage)}x, indicators ${ratio(api, baseRead)}x baseline at ${RESPONSES} responses`);
  } finally {
    agent.destroy();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (values.coverage) {
  const { runCoverage } = await import('./coverage.ts');
  await runCoverage(Number(values.replications ?? 2000));
} else {
  await main();
}
