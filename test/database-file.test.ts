/**
 * A SQLite database file that exists but is empty, not a database, or damaged stops start-up with a
 * message that names the file, the problem and the fix, and is left as it was: never a new database
 * with a new secret (which would silently kill every printed QR code). SQLite only: a PostgreSQL
 * database is not a file the application opens.
 */
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { prepareDatabase } from '../server/bootstrap.ts';
import { loadConfig } from '../server/config.ts';

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

describe('an existing SQLite database file', () => {
  it('that is empty (0 bytes) stops `npm start` with the file, the problem and the fix, and stays empty', () => {
    const file = join(tempDir(), 'sipas.db');
    writeFileSync(file, '');
    // Vitest puts Vite's BASE_URL ("/") into the environment; the server must not inherit it.
    const { BASE_URL: _viteBaseUrl, ...inherited } = process.env;
    const run = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'server/main.ts')], {
      cwd: root,
      env: { ...inherited, DATABASE_URL: `sqlite:${file}`, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent' },
      encoding: 'utf8',
      timeout: 60_000,
    });
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
});
