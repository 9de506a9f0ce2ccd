import { existsSync, mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Db } from '../../db/connect.ts';
import { progress } from './output.ts';

/**
 * An online, consistent copy of the SQLite database (SQLite's backup API), safe while the server
 * runs. The copy includes the generated SECRET, so printed QR codes keep working after a restore.
 */
export async function backupDatabase(db: Db, target: string): Promise<void> {
  if (!db.sqlite || !db.sqliteFile) {
    throw new Error(
      db.dialect === 'postgres'
        ? 'PostgreSQL is backed up with its own tools: pg_dump --format=custom "$DATABASE_URL" > sipas.dump'
        : 'an in-memory database cannot be backed up; set DATABASE_URL to a file.',
    );
  }
  const file = resolve(target);
  if (file === db.sqliteFile) throw new Error(`--to ${target} is the live database itself; choose another file.`);
  if (existsSync(file)) throw new Error(`${target} already exists; choose a new file name so that no backup is overwritten.`);
  mkdirSync(dirname(file), { recursive: true });
  let bar: ReturnType<typeof progress> | undefined;
  await db.sqlite.backup(file, {
    progress({ totalPages, remainingPages }) {
      bar ??= progress('Sao lưu / backup (pages)', totalPages);
      bar.tick(totalPages - remainingPages);
      return 200;
    },
  });
  (bar ?? progress('backup', 0)).finish(`Đã sao lưu / backed up ${db.sqliteFile} -> ${file}`);
}
