/**
 * A version of the past: of every rollup count of days before yesterday. Those counts change only
 * through a few paths (a paper form typed in for an earlier day, a response moved between ok and
 * spam, demo data and imports), and each of them calls `touchHistory`; so does hiding a comment,
 * for the counts of comments kept beside them (comments.ts). The days still moving have
 * their own version (`openVersion`), with which this one together keys their sums. So the sums the dashboard
 * reads for past spans can be kept in memory (analytics.ts) as long as the version stays the same:
 * a change made in this process is seen by the next request, one made by another process (another
 * app server, the command line) within VERSION_READ_MS. The dossier counts have a version of their
 * own, kept the same way.
 */
import { randomBytes } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../schema.ts';
import { addDays } from '../../analytics/time.ts';

const KEY = 'history_version';
const VERSION_READ_MS = 500;

/**
 * A version kept in the settings table under `key`, with what this process changed since its last
 * read: the version of the past here, and of the dossier counts (dossier-counts.ts), which only an
 * import or a push changes.
 */
class Version {
  private changesHere = 0;
  private lastRead: { at: number; value: string; changesHere: number } | null = null;
  constructor(private readonly key: string) {}

  async touch(db: Kysely<Database> | Transaction<Database>): Promise<void> {
    this.changesHere++;
    const value = randomBytes(8).toString('hex');
    await db.insertInto('settings').values({ key: this.key, value }).onConflict((oc) => oc.column('key').doUpdateSet({ value })).execute();
  }

  /**
   * Called once the transaction that touched the version has committed: a read made while it was
   * open saw the old data, so what was kept under it is not used again.
   */
  committed(): void {
    this.changesHere++;
  }

  /** The current version: read from the database at most every VERSION_READ_MS, at once after a change here. */
  async read(db: Kysely<Database>): Promise<string> {
    const now = Date.now();
    const last = this.lastRead;
    if (last && last.changesHere === this.changesHere && now - last.at < VERSION_READ_MS) return last.value;
    const seen = this.changesHere;
    const row = await db.selectFrom('settings').select('value').where('key', '=', this.key).executeTakeFirst();
    this.lastRead = { at: now, value: `${row?.value ?? ''}/${seen}`, changesHere: seen };
    return this.lastRead.value;
  }
}

const history = new Version(KEY);

export function touchHistory(db: Kysely<Database> | Transaction<Database>): Promise<void> {
  return history.touch(db);
}

/** The current version of the past. */
export function historyVersion(db: Kysely<Database>): Promise<string> {
  return history.read(db);
}

/** The version of the dossier counts: changed in the transaction of every import and push. */
export const dossierCountsVersion = new Version('dossier_counts_version');

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
