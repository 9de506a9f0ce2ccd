/**
 * One consistent snapshot to read a long export from, without holding up the citizens who submit
 * meanwhile. PostgreSQL: a read-only REPEATABLE READ transaction (its own pooled connection; the
 * cursor that streams the rows lives inside it). SQLite: the application has a single connection
 * and a transaction on it would queue every submission behind the export, so the snapshot is a
 * read transaction on a second, read-only connection to the same file; WAL lets it see the
 * database as of its first read while writers carry on. An in-memory SQLite database has no file
 * to open twice and falls back to a transaction on its one connection.
 */
import SqliteDatabase from 'better-sqlite3';
import { Kysely, PostgresAdapter, SqliteDialect, sql } from 'kysely';
import type { Database } from './schema.ts';

async function sqliteFile(db: Kysely<Database>): Promise<string> {
  const result = await sql<{ file: string }>`select file from pragma_database_list where name = 'main'`.execute(db);
  return result.rows[0]?.file ?? '';
}

export async function readSnapshot<T>(db: Kysely<Database>, read: (snapshot: Kysely<Database>) => Promise<T>): Promise<T> {
  if (db.getExecutor().adapter instanceof PostgresAdapter) {
    return db
      .transaction()
      .setIsolationLevel('repeatable read')
      .setAccessMode('read only')
      .execute(async (trx) => {
        // A long export is one statement to PostgreSQL (the cursor's portal stays open between
        // fetches): the per-statement limit that protects the pages would cut it off.
        await sql`set local statement_timeout = 0`.execute(trx);
        return read(trx);
      });
  }
  const file = await sqliteFile(db);
  if (file === '') return db.transaction().execute(read);
  const handle = new SqliteDatabase(file, { readonly: true, fileMustExist: true });
  handle.pragma('busy_timeout = 5000');
  const reader = new Kysely<Database>({ dialect: new SqliteDialect({ database: handle }) });
  try {
    return await reader.transaction().execute(read);
  } finally {
    await reader.destroy();
  }
}
