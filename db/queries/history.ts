/**
 * A version of the past: of every rollup count of days before yesterday. Those counts change only
 * through a few paths (a paper form typed in for an earlier day, a response moved between ok and
 * spam, demo data and imports), and each of them calls `touchHistory`; so does hiding a comment,
 * for the counts of comments kept beside them (comments.ts). The days still moving have
 * their own version (`openVersion`), with which this one together keys their sums. So the sums the dashboard
 * reads for past spans can be kept in memory (analytics.ts) as long as the version stays the same:
 * a change made in this process is seen by the next request, one made by another process (another
 * app server, the command line) within VERSION_READ_MS.
 */
import { randomBytes } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../schema.ts';
import { addDays } from '../../analytics/time.ts';

const KEY = 'history_version';
const VERSION_READ_MS = 500;

let changesHere = 0;
let lastRead: { at: number; value: string; changesHere: number } | null = null;

export async function touchHistory(db: Kysely<Database> | Transaction<Database>): Promise<void> {
  changesHere++;
  const value = randomBytes(8).toString('hex');
  await db.insertInto('settings').values({ key: KEY, value }).onConflict((oc) => oc.column('key').doUpdateSet({ value })).execute();
}

/** The current version: read from the database at most every VERSION_READ_MS, at once after a change here. */
export async function historyVersion(db: Kysely<Database>): Promise<string> {
  const now = Date.now();
  if (lastRead && lastRead.changesHere === changesHere && now - lastRead.at < VERSION_READ_MS) return lastRead.value;
  const seen = changesHere;
  const row = await db.selectFrom('settings').select('value').where('key', '=', KEY).executeTakeFirst();
  lastRead = { at: now, value: `${row?.value ?? ''}/${seen}`, changesHere: seen };
  return lastRead.value;
}

/**
 * A version of the days still moving (openFrom): how many responses they hold. A submission adds
 * one; a response moved between statuses changes no count, so moves touch the history instead
 * (review.ts). Counted, not a maximum id, because on PostgreSQL a lower id can commit after a higher
 * one. Read at every report from the day index: the days' own responses, a few thousand at most.
 */
export function openVersion(db: Kysely<Database>, today: string): Promise<string> {
  // The queries of one report ask together: they share one count (read before any of their sums, so
  // sums kept under it can only be newer than it, never older).
  let counting = openCounts.get(db);
  if (!counting) openCounts.set(db, (counting = new Map<string, Promise<string>>()));
  let count = counting.get(today);
  if (!count) {
    count = db
      .selectFrom('responses')
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .where('local_day', '>=', openFrom(today))
      .executeTakeFirstOrThrow()
      .then((row) => String(row.n))
      .finally(() => counting.delete(today));
    counting.set(today, count);
  }
  return count;
}

const openCounts = new WeakMap<Kysely<Database>, Map<string, Promise<string>>>();


/**
 * The first local day whose counts are still moving: yesterday. Submissions land on today, and a
 * clock a little behind another server's may still land on yesterday; everything before is history.
 */
export function openFrom(today: string): string {
  return addDays(today, -1);
}
