/**
 * A SQLite database file that exists but is empty, not a database, damaged or another program's
 * stops start-up with a message that names the file, the problem and the fix, and is left as it was,
 * with nothing new beside it: never a new database with a new secret (which would silently kill
 * every printed QR code), never SIPAS's tables added to someone else's data. SQLite only: a
 * PostgreSQL database is not a file the application opens, and its start-up is not affected.
 */
import { spawnSync } from 'node:child_process';
import { closeSync, copyFileSync, existsSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { prepareDatabase } from '../server/start/bootstrap.ts';
import { loadConfig } from '../server/start/config.ts';

const root = join(import.meta.dirname, '..');
const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'sipas-dbfile-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** `npm start` on the file, as an administrator runs it. */
function startServer(file: string) {
  // Vitest puts Vite's BASE_URL ("/") into the environment; the server must not inherit it.
  const { BASE_URL: _viteBaseUrl, ...inherited } = process.env;
  return spawnSync(process.execPath, [join(root, 'dist/server/main.js')], {
    cwd: root,
    env: { ...inherited, DATABASE_URL: `sqlite:${file}`, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent' },
    encoding: 'utf8',
    timeout: 60_000,
  });
}

/** What a refused file must keep: its bytes, its modification time and its folder's listing. */
function snapshot(file: string) {
  const dir = join(file, '..');
  return { bytes: readFileSync(file), mtimeNs: statSync(file, { bigint: true }).mtimeNs, beside: readdirSync(dir).sort() };
}

/** Another program's database: a table with rows, in the given journal mode. */
function foreignDatabase(file: string, journalMode: 'delete' | 'wal'): void {
  const other = new SqliteDatabase(file);
  other.pragma(`journal_mode = ${journalMode}`);
  other.exec("create table customers (id integer primary key, name text, phone text); insert into customers (name, phone) values ('Nguyễn Văn A', '0912345678'), ('Trần Thị B', '0987654321');");
  other.exec('create table orders (id integer primary key, customer_id integer references customers, total integer)');
  other.close();
}

describe('an existing SQLite database file', () => {
  it('that is empty (0 bytes) stops `npm start` with the file, the problem and the fix, and stays empty', () => {
    const file = join(tempDir(), 'sipas.db');
    writeFileSync(file, '');
    const run = startServer(file);
    expect(run.status).toBe(1);
    expect(run.stdout).not.toContain('is running at');
    expect(run.stderr).toContain(`Database ${file}: the file is empty (0 bytes)`);
    expect(run.stderr).toContain('every printed QR code would stop working');
    expect(run.stderr).toContain('Fix: restore the latest backup in its place');
    expect(run.stderr).toContain('tệp rỗng (0 byte)');
    expect(statSync(file).size).toBe(0);
    expect(existsSync(`${file}-wal`)).toBe(false);
  }, 60_000);

  it('that is not a SQLite database is refused before SQLite touches it', async () => {
    const file = join(tempDir(), 'sipas.db');
    writeFileSync(file, 'PGDMP this is a pg_dump file, not SQLite'.repeat(200));
    await expect(prepareDatabase(loadConfig({ DATABASE_URL: `sqlite:${file}` }))).rejects.toThrow(/is not a SQLite database.*check that DATABASE_URL names the right file/s);
    expect(statSync(file).size).toBe(8000);
  });

  it('that is damaged where start-up itself reads nothing is refused by PRAGMA quick_check', async () => {
    const file = join(tempDir(), 'sipas.db');
    const first = await prepareDatabase(loadConfig({ DATABASE_URL: `sqlite:${file}` }));
    // A table that migrations and seeding never read, over many pages.
    const handle = first.db.sqlite as NonNullable<typeof first.db.sqlite>;
    handle.exec("create table old_notes (id integer primary key, body text); with recursive n(i) as (select 1 union all select i + 1 from n where i < 2000) insert into old_notes select i, printf('%0200d', i) from n;");
    const pages = (handle.prepare("select pageno from dbstat where name = 'old_notes' and pagetype = 'leaf'").all() as { pageno: number }[]).map((r) => r.pageno);
    const pageSize = handle.pragma('page_size', { simple: true }) as number;
    await first.db.close();
    // Scribble over some of its pages: what a failing disk or a bad copy leaves.
    const fd = openSync(file, 'r+');
    for (const page of pages.slice(10, 20)) writeSync(fd, Buffer.alloc(pageSize, 0x5a), 0, pageSize, (page - 1) * pageSize);
    closeSync(fd);
    await expect(prepareDatabase(loadConfig({ DATABASE_URL: `sqlite:${file}` }))).rejects.toThrow(/the file is damaged: SQLite reports .*Fix: stop the server, keep the damaged file/s);
  });

  it('that is healthy starts as before, with the same secret', async () => {
    const file = join(tempDir(), 'sipas.db');
    const first = await prepareDatabase(loadConfig({ DATABASE_URL: `sqlite:${file}` }));
    await first.db.close();
    const again = await prepareDatabase(loadConfig({ DATABASE_URL: `sqlite:${file}` }));
    expect(again.secret).toBe(first.secret);
    await again.db.close();
  });

  it("that is another program's (a rollback journal, as sqlite3 and exporters leave) stops `npm start`, unchanged, nothing beside it", () => {
    const file = join(tempDir(), 'khach-hang.db');
    foreignDatabase(file, 'delete');
    const before = snapshot(file);
    const run = startServer(file);
    expect(run.status).toBe(1);
    expect(run.stdout).not.toContain('is running at');
    expect(run.stdout).not.toContain('one-time link');
    expect(run.stderr).toContain(`Database ${file}: the file is another program's SQLite database, not SIPAS's: it has the tables "customers", "orders" but not kysely_migration`);
    expect(run.stderr).toContain("Fix: check that DATABASE_URL names SIPAS's own database file; for a new database, choose a path where no file exists yet");
    expect(run.stderr).toContain(`Cơ sở dữ liệu ${file}: tệp là cơ sở dữ liệu SQLite của một chương trình khác`);
    expect(snapshot(file)).toEqual(before);
  }, 90_000);

  it("that is another program's in WAL mode is refused, unchanged, with no -wal or -shm left beside it", async () => {
    const file = join(tempDir(), 'zalo.db');
    foreignDatabase(file, 'wal');
    const before = snapshot(file);
    expect(before.beside).toEqual(['zalo.db']);
    await expect(prepareDatabase(loadConfig({ DATABASE_URL: `sqlite:${file}` }))).rejects.toThrow(/another program's SQLite database.*"customers", "orders".*The server was not started and nothing was written/s);
    expect(snapshot(file)).toEqual(before);
  });

  it('that is a SIPAS database cut short is refused as damaged, unchanged, with nothing beside it', async () => {
    const whole = join(tempDir(), 'sipas.db');
    const first = await prepareDatabase(loadConfig({ DATABASE_URL: `sqlite:${whole}` }));
    await first.db.close();
    // A copy that stopped half way (a full disk, an interrupted transfer).
    const bytes = readFileSync(whole);
    const file = join(tempDir(), 'sipas.db');
    writeFileSync(file, bytes.subarray(0, Math.floor(bytes.length / 2)));
    const before = snapshot(file);
    expect(before.beside).toEqual(['sipas.db']);
    await expect(prepareDatabase(loadConfig({ DATABASE_URL: `sqlite:${file}` }))).rejects.toThrow(/the file is damaged: SQLite reports .*Fix: stop the server, keep the damaged file/s);
    expect(snapshot(file)).toEqual(before);
  });

  it('with the journal of an interrupted write beside it is refused before SQLite rolls it back', async () => {
    const source = join(tempDir(), 'ghi-do.db');
    const writer = new SqliteDatabase(source);
    writer.pragma('synchronous = off');
    writer.exec("create table notes (id integer primary key, body text); with recursive n(i) as (select 1 union all select i + 1 from n where i < 500) insert into notes select i, printf('%0200d', i) from n;");
    // A small cache makes SQLite write into the file before the commit: the journal is then "hot".
    writer.pragma('cache_size = 5');
    writer.exec("begin; update notes set body = 'changed' || body;");
    const file = join(tempDir(), 'ghi-do.db');
    copyFileSync(source, file);
    copyFileSync(`${source}-journal`, `${file}-journal`);
    writer.exec('rollback');
    writer.close();
    const before = snapshot(file);
    const journal = readFileSync(`${file}-journal`);
    await expect(prepareDatabase(loadConfig({ DATABASE_URL: `sqlite:${file}` }))).rejects.toThrow(/-journal beside it is the journal of a write that stopped half way.*open it once with sqlite3 FILE "pragma quick_check"/s);
    expect(snapshot(file)).toEqual(before);
    expect(readFileSync(`${file}-journal`).equals(journal)).toBe(true);
  });

  it('that has no tables yet (`sqlite3 FILE vacuum`) starts as a new database', async () => {
    const file = join(tempDir(), 'sipas.db');
    new SqliteDatabase(file).exec('vacuum').close();
    expect(statSync(file).size).toBeGreaterThan(0);
    const ready = await prepareDatabase(loadConfig({ DATABASE_URL: `sqlite:${file}` }));
    expect(ready.migrations.length).toBeGreaterThan(0);
    await ready.db.close();
  });

  it('in use by another process (-wal and -shm beside it) starts, read without disturbing it', async () => {
    const file = join(tempDir(), 'sipas.db');
    const first = await prepareDatabase(loadConfig({ DATABASE_URL: `sqlite:${file}` }));
    // The server keeps its connection: a `sipas` command starts beside it.
    expect(readdirSync(join(file, '..')).sort()).toEqual(['sipas.db', 'sipas.db-shm', 'sipas.db-wal']);
    const again = await prepareDatabase(loadConfig({ DATABASE_URL: `sqlite:${file}` }));
    expect(again.secret).toBe(first.secret);
    expect(again.migrations).toEqual([]);
    await again.db.close();
    await first.db.close();
  });
});
