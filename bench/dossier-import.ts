/**
 * `npm run bench -- --only import [--rows N] [--postgres]`: a year of a province's dossier counts
 * (issue 20: a million rows, as Excel in Vietnam saves them) through `sipas dossiers import`, against
 * bare baselines measured in the same run on the same file: reading the file line by line, and a
 * plain better-sqlite3 insert of the same rows in one transaction (with --postgres, also a plain pg
 * insert, 1,000 rows a statement, in one transaction, against an embedded PostgreSQL). Each runs as its own process, so
 * its peak memory (VmHWM) is its own. Why: the import must take a year in about a minute without
 * holding the file several times over, and a figure only means something beside what the machine
 * does bare, so speed and memory are reported as ratios, never as limits inside tests.
 * Bounded: the generator stops at N rows (default 1,000,000) or ten years of days.
 */
import { spawn } from 'node:child_process';
import { createReadStream, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';
import Database from 'better-sqlite3';
import pg from 'pg';
import { addDays, formatDay, localDay } from '../analytics/time.ts';
import { ensureDemoDesks } from '../db/seed/demo.ts';
import { loadConfig } from '../server/start/config.ts';
import { prepareDatabase } from '../server/start/bootstrap.ts';

const root = join(import.meta.dirname, '..');
const HEADER = 'Ngày;Mã đơn vị;Mã quầy;Mã lĩnh vực;Kênh;Tiếp nhận;Đã giải quyết;Đúng hạn;Quá hạn;Đã xin lỗi;Tồn quá hạn;Phản ánh kiến nghị';
const CHANNELS = ['Trực tiếp', 'Trực tuyến', 'Bưu chính'];
const MAX_DAYS = 3650;

export interface ImportBenchOptions {
  rows: number;
  postgres?: boolean;
}

interface Run {
  seconds: number;
  peakMb: number;
  status: number | null;
  output: string;
}

/** Runs one process to its end, sampling its peak resident memory (VmHWM) from /proc. */
function measure(args: string[], env: Record<string, string> = {}): Promise<Run> {
  const { BASE_URL: _vite, ...inherited } = process.env;
  const started = process.hrtime.bigint();
  const child = spawn(process.execPath, ['--import', 'tsx', ...args], { cwd: root, env: { ...inherited, LOG_LEVEL: 'silent', ...env } });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  let peakKb = 0;
  const sample = () => {
    try {
      const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
      peakKb = Math.max(peakKb, Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0));
    } catch {
      // The process has just ended.
    }
  };
  const sampler = setInterval(sample, 20);
  return new Promise((resolve) => {
    child.once('exit', (status) => {
      clearInterval(sampler);
      resolve({ seconds: Number(process.hrtime.bigint() - started) / 1e9, peakMb: peakKb / 1024, status, output });
    });
  });
}

/** A deterministic day of counts for one desk, field and channel: every resolved dossier on time or late. */
function countsOf(seed: number): string {
  let x = seed;
  const next = (n: number) => {
    x = (Math.imul(x, 1_103_515_245) + 12_345) >>> 0;
    return x % n;
  };
  const resolved = next(40);
  const late = resolved === 0 ? 0 : next(Math.max(1, Math.floor(resolved / 8)));
  return [resolved + next(5), resolved, resolved - late, late, late > 0 ? late - next(2) : 0, next(3), next(50) === 0 ? 1 : 0].join(';');
}

/** Writes N valid rows for the demo desks, day after day back from yesterday. */
export async function writeCountsFile(path: string, databaseUrl: string, rows: number): Promise<{ rows: number; desks: number; from: string; to: string }> {
  const ready = await prepareDatabase(loadConfig({ DATABASE_URL: databaseUrl, LOG_LEVEL: 'silent' }));
  const db = ready.db.kysely;
  await ensureDemoDesks(db, new Date().toISOString());
  const pairs = await db
    .selectFrom('desk_fields')
    .innerJoin('desks', 'desks.id', 'desk_fields.desk_id')
    .innerJoin('units', 'units.id', 'desks.unit_id')
    .innerJoin('fields', 'fields.id', 'desk_fields.field_id')
    .select(['units.code as unit', 'desks.code as desk', 'fields.code as field'])
    .orderBy('desks.id')
    .orderBy('fields.id')
    .execute();
  await ready.db.close();
  const desks = new Set(pairs.map((p) => `${p.unit}\n${p.desk}`)).size;
  const lines: string[] = [HEADER];
  let n = 0;
  const to = addDays(localDay(new Date()), -1);
  let day = to;
  for (let d = 0; d < MAX_DAYS && n < rows; d++) {
    day = addDays(to, -d);
    const shown = formatDay(day);
    for (const p of pairs) {
      for (const [c, channel] of CHANNELS.entries()) {
        if (n >= rows) break;
        lines.push(`${shown};${p.unit};${p.desk};${p.field};${channel};${countsOf(n * 3 + c)}`);
        n++;
      }
    }
  }
  writeFileSync(path, `\uFEFF${lines.join('\r\n')}\r\n`);
  return { rows: n, desks, from: day, to };
}

/** Baseline 1: the file read line by line and split, nothing else. */
async function readBaseline(file: string): Promise<void> {
  let cells = 0;
  for await (const line of createInterface({ input: createReadStream(file), crlfDelay: Infinity })) cells += line.split(';').length;
  console.log(`cells ${cells}`);
}

/** Baseline 2: the same rows inserted bare with better-sqlite3 (same pragmas as the app), in one transaction. */
async function insertBaseline(file: string, dbFile: string): Promise<void> {
  const db = new Database(dbFile);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.exec(`create table counts (day text not null, unit text not null, desk text not null, field text not null, channel text not null,
    received integer not null, resolved integer not null, on_time integer not null, late integer not null, apologised integer not null,
    backlog integer not null, complaints integer not null, imported_at text not null, primary key (day, unit, desk, field, channel))`);
  const insert = db.prepare('insert into counts values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)');
  const at = new Date().toISOString();
  let first = true;
  db.exec('begin');
  for await (const line of createInterface({ input: createReadStream(file), crlfDelay: Infinity })) {
    if (first || line === '') {
      first = false;
      continue;
    }
    const c = line.split(';');
    insert.run(c[0], c[1], c[2], c[3], c[4], Number(c[5]), Number(c[6]), Number(c[7]), Number(c[8]), Number(c[9]), Number(c[10]), Number(c[11]), at);
  }
  db.exec('commit');
  const n = (db.prepare('select count(*) as n from counts').get() as { n: number }).n;
  db.close();
  console.log(`rows ${n}`);
}

/** Baseline 3 (with --postgres): the same rows inserted bare with pg, 1,000 a statement, in one transaction. */
async function insertBaselinePostgres(file: string, url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query(`create table bare_counts (day text not null, unit text not null, desk text not null, field text not null, channel text not null,
    received integer not null, resolved integer not null, on_time integer not null, late integer not null, apologised integer not null,
    backlog integer not null, complaints integer not null, imported_at text not null, primary key (day, unit, desk, field, channel))`);
  const at = new Date().toISOString();
  const flush = async (values: (string | number)[]) => {
    const rows = values.length / 13;
    const groups = Array.from({ length: rows }, (_, r) => `(${Array.from({ length: 13 }, (_c, c) => `$${r * 13 + c + 1}`).join(',')})`);
    await client.query(`insert into bare_counts values ${groups.join(',')}`, values);
  };
  let first = true;
  let values: (string | number)[] = [];
  await client.query('begin');
  for await (const line of createInterface({ input: createReadStream(file), crlfDelay: Infinity })) {
    if (first || line === '') {
      first = false;
      continue;
    }
    const c = line.split(';');
    values.push(c[0] ?? '', c[1] ?? '', c[2] ?? '', c[3] ?? '', c[4] ?? '', ...c.slice(5, 12).map(Number), at);
    if (values.length === 13_000) {
      await flush(values);
      values = [];
    }
  }
  if (values.length > 0) await flush(values);
  await client.query('commit');
  const { rows } = await client.query<{ n: string }>('select count(*) as n from bare_counts');
  await client.query('drop table bare_counts');
  await client.end();
  console.log(`rows ${rows[0]?.n}`);
}

const fmt = (n: number, digits = 0) => n.toLocaleString('en-GB', { minimumFractionDigits: digits, maximumFractionDigits: digits });

export async function runDossierImportBench(options: ImportBenchOptions): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'sipas-bench-import-'));
  const log = (s: string) => console.log(s);
  try {
    const self = join(root, 'bench', 'dossier-import.ts');
    const file = join(dir, 'so-lieu-ho-so-nam.csv');
    const sqliteUrl = `sqlite:${join(dir, 'sipas.db')}`;
    log(`Dossier import: ${cpus()[0]?.model ?? '?'} ×${cpus().length}, node ${process.version}`);
    const made = await writeCountsFile(file, sqliteUrl, options.rows);
    const bytes = statSync(file).size;
    log(`file: ${fmt(made.rows)} rows, ${made.desks} desks, ${formatDay(made.from)}–${formatDay(made.to)}, ${fmt(bytes / 1024 / 1024, 1)} MB`);

    const read = await measure([self, '--baseline-read', file]);
    const bare = await measure([self, '--baseline-insert', file, join(dir, 'bare.db')]);
    if (bare.status !== 0) throw new Error(`the baseline failed:\n${bare.output}`);
    const cli = (url: string, check: boolean) => measure([join(root, 'server/cli/main.ts'), 'dossiers', 'import', file, ...(check ? ['--check'] : [])], { DATABASE_URL: url });
    const check = await cli(sqliteUrl, true);
    const sqlite = await cli(sqliteUrl, false);
    if (check.status !== 0 || sqlite.status !== 0) throw new Error(`the import failed:\n${check.output}\n${sqlite.output}`);

    const line = (label: string, r: Run, base = bare, baseLabel = 'bare insert') =>
      `${label.padEnd(34)} ${fmt(r.seconds, 1).padStart(6)} s  ${fmt(made.rows / r.seconds).padStart(9)} rows/s  peak RSS ${fmt(r.peakMb).padStart(5)} MB` +
      `  time ×${fmt(r.seconds / base.seconds, 2)}  RSS ×${fmt(r.peakMb / base.peakMb, 2)} of ${baseLabel}`;
    log(line('baseline: read and split lines', read));
    log(line('baseline: bare better-sqlite3 insert', bare));
    log(line('sipas dossiers import --check', check));
    log(line('sipas dossiers import (SQLite)', sqlite));
    log(`   ${sqlite.output.trim().split('\n').at(-1) ?? ''}`);

    if (options.postgres) {
      const { startPostgresServer } = await import('../test/support/postgres-server.ts');
      const server = await startPostgresServer();
      try {
        const url = server.url;
        await prepareDatabase(loadConfig({ DATABASE_URL: url, LOG_LEVEL: 'silent' })).then(async (ready) => {
          await ensureDemoDesks(ready.db.kysely, new Date().toISOString());
          await ready.db.close();
        });
        const barePg = await measure([self, '--baseline-insert-pg', file, url]);
        if (barePg.status !== 0) throw new Error(`the PostgreSQL baseline failed:\n${barePg.output}`);
        const pgRun = await cli(url, false);
        if (pgRun.status !== 0) throw new Error(`the PostgreSQL import failed:\n${pgRun.output}`);
        log(line('baseline: bare pg insert', barePg, barePg, 'bare pg insert'));
        log(line('sipas dossiers import (PostgreSQL)', pgRun, barePg, 'bare pg insert'));
        log(`   ${pgRun.output.trim().split('\n').at(-1) ?? ''}`);
      } finally {
        await server.remove();
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const [mode, file, dbFile] = process.argv.slice(2);
  if (mode === '--baseline-read' && file) await readBaseline(file);
  else if (mode === '--baseline-insert' && file && dbFile) await insertBaseline(file, dbFile);
  else if (mode === '--baseline-insert-pg' && file && dbFile) await insertBaselinePostgres(file, dbFile);
  else {
    console.error('usage: bench/dossier-import.ts --baseline-read FILE | --baseline-insert FILE DB | --baseline-insert-pg FILE URL (or npm run bench -- --only import)');
    process.exit(2);
  }
}
