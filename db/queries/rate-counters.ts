/** Counters of the rate limits, per key and time window, added to by every app server. */
import type { Kysely } from 'kysely';
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
