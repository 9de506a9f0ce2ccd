/**
 * The one place that asks which database a connection talks to, and reads what only differs by
 * database in its answers (issue 19: it was asked three ways in 16 files). A connection opened by
 * db/connect.ts carries its dialect (`db.dialect`, set from DATABASE_URL); code that holds only a
 * Kysely instance or a transaction asks here. Migrations are frozen and keep their own copies.
 */
import { type Kysely, PostgresAdapter, type Transaction } from 'kysely';

export type Dialect = 'sqlite' | 'postgres';

/** The dialect of a Kysely instance or transaction, from its adapter. */
export function dialectOf<DB>(db: Kysely<DB> | Transaction<DB>): Dialect {
  return db.getExecutor().adapter instanceof PostgresAdapter ? 'postgres' : 'sqlite';
}

/** A write refused because a row with the same key exists: SQLite's constraint codes or PostgreSQL's 23505. */
export function isUniqueViolation(error: unknown): boolean {
  const e = error as { code?: string };
  return e.code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || e.code === 'SQLITE_CONSTRAINT_UNIQUE' || e.code === '23505';
}
