/**
 * One consistent snapshot to read a long export from, without holding up the citizens who submit
 * meanwhile. PostgreSQL: a read-only REPEATABLE READ transaction (its own pooled connection; the
 * cursor that streams the rows lives inside it). SQLite: the application has a single connection
 * and a transaction on it would queue every submission behind the export, so the snapshot is a
 * read transaction on a second, read-only connection to the same file; WAL lets it see the
 * database as of its first read while writers carry on. An in-memory database has no file
 * to open twice and falls back to a transaction on its one connection.
 *
 * Inside the snapshot, `rows` streams one compiled query as arrays of column values in select
 * order, `chunk` rows at a time: on a SQLite file straight from a prepared statement in raw mode
 * (no object per row, no async step per row: an export's rows are its whole cost); otherwise
 * through Kysely's stream (a PostgreSQL cursor), asking for the next chunk before the current one is
 * handed over, so that the database produces it while this process encodes the last one.
 */
import SqliteDatabase from 'better-sqlite3';
import { type CompiledQuery, Kysely, SqliteDialect, sql } from 'kysely';
import type { Database } from './schema.ts';
import { dialectOf } from './dialect.ts';

/** The rows of one query inside the snapshot, as arrays of column values in select order, a chunk at a time. */
export type RowStream = (query: CompiledQuery, chunk: number) => AsyncIterable<unknown[][]> | Iterable<unknown[][]>;

async function sqliteFile(db: Kysely<Database>): Promise<string> {
  const result = await sql<{ file: string }>`select file from pragma_database_list where name = 'main'`.execute(db);
  return result.rows[0]?.file ?? '';
}

function statementRows(handle: SqliteDatabase.Database): RowStream {
  return function* rows(query, chunk) {
    const statement = handle.prepare(query.sql).raw(true);
    let batch: unknown[][] = [];
    for (const row of statement.iterate(query.parameters) as IterableIterator<unknown[]>) {
      batch.push(row);
      if (batch.length >= chunk) {
        yield batch;
        batch = [];
      }
    }
    if (batch.length > 0) yield batch;
  };
}

function executorRows(db: Kysely<Database>): RowStream {
  return async function* rows(query, chunk) {
    const results = db.getExecutor().stream<Record<string, unknown>>(query, chunk);
    let next: Promise<IteratorResult<{ rows: Record<string, unknown>[] }>> | null = results.next();
    try {
      for (;;) {
        const result: IteratorResult<{ rows: Record<string, unknown>[] }> = await next;
        next = null;
        if (result.done) return;
        next = results.next();
        // Aliases in a select are distinct, so an object's values are its columns in order.
        yield result.value.rows.map((row) => Object.values(row));
      }
    } finally {
      // A reader that left: the chunk read ahead is dropped, then the cursor closed.
      if (next) await next.catch(() => undefined);
      await results.return?.(undefined);
    }
  };
}

export async function readSnapshot<T>(db: Kysely<Database>, read: (snapshot: Kysely<Database>, rows: RowStream) => Promise<T>): Promise<T> {
  if (dialectOf(db) === 'postgres') {
    return db
      .transaction()
      .setIsolationLevel('repeatable read')
      .setAccessMode('read only')
      .execute(async (trx) => {
        // A long export is one statement to PostgreSQL (the cursor's portal stays open between
        // fetches): the per-statement limit that protects the pages would cut it off.
        await sql`set local statement_timeout = 0`.execute(trx);
        return read(trx, executorRows(trx));
      });
  }
  const file = await sqliteFile(db);
  if (file === '') return db.transaction().execute((trx) => read(trx, executorRows(trx)));
  const handle = new SqliteDatabase(file, { readonly: true, fileMustExist: true });
  handle.pragma('busy_timeout = 5000');
  const reader = new Kysely<Database>({ dialect: new SqliteDialect({ database: handle }) });
  try {
    return await reader.transaction().execute((trx) => read(trx, statementRows(handle)));
  } finally {
    await reader.destroy();
  }
}
