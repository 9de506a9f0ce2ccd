import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Kysely } from 'kysely';
import type { Dialect } from '../../db/connect.ts';
import type { Database } from '../../db/schema.ts';
import { freshPostgresDatabase } from './postgres.ts';

export type TableName = keyof Database;

export interface FreshDatabase {
  /** A DATABASE_URL for an empty database of the dialect. */
  url: string;
  /** Deletes it (the SQLite file's directory, or the PostgreSQL database). */
  drop(): Promise<void>;
}

/** An empty database: a SQLite file in a new temp directory, or a new database on the test run's PostgreSQL. */
export async function freshDatabase(dialect: Dialect): Promise<FreshDatabase> {
  if (dialect === 'postgres') return freshPostgresDatabase();
  const dir = mkdtempSync(join(tmpdir(), 'sipas-test-'));
  return {
    url: `sqlite:${join(dir, 'sipas.db')}`,
    drop: () => Promise.resolve(rmSync(dir, { recursive: true, force: true })),
  };
}

export async function countRows(db: Kysely<Database>, table: TableName): Promise<number> {
  const row = await db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Row counts of every table a submission writes to: "writes nothing" means these do not change. */
export async function submissionFootprint(db: Kysely<Database>): Promise<Record<string, number>> {
  const tables: TableName[] = ['responses', 'answers', 'comments', 'daily_rollups', 'daily_responses', 'used_nonces'];
  const counts: Record<string, number> = {};
  for (const table of tables) counts[table] = await countRows(db, table);
  return counts;
}
