/** Counters of the rate limits, per key and time window, added to by every app server. */
import { type Kysely, sql } from 'kysely';
import { addToRows } from '../bulk.ts';
import type { Database } from '../schema.ts';

export interface CounterRow {
  key: string;
  /** '<window length in ms>:<index of the window>' (window is a reserved word in SQL). */
  time_window: string;
  count: number;
}

/** Adds counts (keys must be distinct within one call). */
export async function addCounts(db: Kysely<Database>, rows: CounterRow[]): Promise<void> {
  if (rows.length > 0) await addToRows(db, 'rate_counters', ['key', 'time_window'], ['count'], rows.flatMap((r) => [r.key, r.time_window, r.count]));
}

/** The counts of the given windows, for keys that start with any of the prefixes (all keys when none). */
export async function readCounts(db: Kysely<Database>, windows: string[]): Promise<CounterRow[]> {
  if (windows.length === 0) return [];
  return db.selectFrom('rate_counters').select(['key', 'time_window', 'count']).where('time_window', 'in', windows).execute();
}

/** Forgets windows that ended long ago. */
export async function deleteCountsBefore(db: Kysely<Database>, windowPrefix: string, oldest: string): Promise<void> {
  await db.deleteFrom('rate_counters').where('time_window', 'like', `${windowPrefix}%`).where('time_window', '<', oldest).execute();
}

/**
 * Adds one to a key's count in a window's current bucket and returns the key's total over the given
 * buckets, the current one included, straight from the database: the current bucket is added to
 * atomically (an upsert that returns the new count), so requests on every app server at the same
 * moment each see a different total.
 */
export async function addOneAndRead(db: Kysely<Database>, key: string, bucket: string, earlier: string[]): Promise<number> {
  const row = await db
    .insertInto('rate_counters')
    .values({ key, time_window: bucket, count: 1 })
    .onConflict((oc) => oc.columns(['key', 'time_window']).doUpdateSet({ count: sql<number>`rate_counters.count + 1` }))
    .returning('count')
    .executeTakeFirstOrThrow();
  if (earlier.length === 0) return Number(row.count);
  const before = await db
    .selectFrom('rate_counters')
    .select((eb) => eb.fn.sum<string | number | null>('count').as('n'))
    .where('key', '=', key)
    .where('time_window', 'in', earlier)
    .executeTakeFirst();
  return Number(row.count) + Number(before?.n ?? 0);
}
