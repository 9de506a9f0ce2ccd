import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';

export type TableName = keyof Database;

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
