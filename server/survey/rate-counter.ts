/**
 * Counters for rate limits and stuffing signals that every app server shares and that survive a
 * restart, without a database round trip on the request: each server counts in memory and, every
 * SYNC_MS, adds what it counted to the database and reads back everyone's totals. A client therefore
 * sees the other servers' counts with a delay of about a second, which a limit of tens per minute
 * does not notice. Windows slide: a window of length W is counted in SLICES buckets of W/SLICES, and
 * a count is the sum of the current bucket and the SLICES before it, so every event of the last W is
 * in it (and at most W/SLICES more). A limit therefore holds over any W, wherever its boundaries
 * fall: 30 forms sent at x9:59 and 30 more at x0:01 are 60 within one window, not 30 in each of two.
 * Counts older than a day are deleted.
 */
import type { Kysely } from 'kysely';
import { addCounts, addOneAndRead, deleteCountsBefore, readCounts } from '../../db/queries/rate-counters.ts';
import type { Database } from '../../db/schema.ts';

export const SYNC_MS = 1_000;
/** Buckets per window: a count covers between W and W + W/SLICES. */
export const SLICES = 10;
const KEEP_MS = 24 * 60 * 60 * 1000;
const PRUNE_EVERY_MS = 10 * 60 * 1000;

export interface RateCounter {
  /** Counts one event and returns the total of the window that ends now (everyone's, as far as known). */
  hit(key: string, windowMs: number): number;
  /** The total of the window that ends now, without counting. */
  count(key: string, windowMs: number): number;
  /**
   * Counts one event in the database at once and returns the window's total from there: slower than
   * `hit`, but exact across app servers at the same moment. For events that are few and must hold a
   * limit even when sent in parallel to several servers (paper forms, dossier links). Its keys are
   * its own: never counted by `hit`.
   */
  hitShared(key: string, windowMs: number): Promise<number>;
  /** Seconds until the oldest events of the window leave it (for Retry-After). */
  secondsLeft(windowMs: number): number;
  /** Reads everyone's counts of these window lengths from now on, starting at once (a restarted server knows them within a moment). */
  watch(windowsMs: number[]): void;
  /** Sends this server's counts and reads everyone's now (also done every SYNC_MS). */
  sync(): Promise<void>;
  stop(): void;
}

const sliceOf = (windowMs: number) => Math.max(1, Math.floor(windowMs / SLICES));

/** The bucket of a window length that holds the instant `now`. */
function bucketOf(windowMs: number, now: number): string {
  return `${windowMs}:${String(Math.floor(now / sliceOf(windowMs))).padStart(14, '0')}`;
}

/** The buckets a count of the window ending at `now` adds up: the current one and SLICES before it, oldest first. */
function bucketsOf(windowMs: number, now: number): string[] {
  const slice = sliceOf(windowMs);
  const last = Math.floor(now / slice);
  const ids: string[] = [];
  for (let i = last - SLICES; i <= last; i++) ids.push(`${windowMs}:${String(i).padStart(14, '0')}`);
  return ids;
}

/** When a bucket ('<window>:<index>') stops filling, in ms since the epoch. */
function bucketEnd(bucket: string): number {
  const at = bucket.indexOf(':');
  return (Number(bucket.slice(at + 1)) + 1) * sliceOf(Number(bucket.slice(0, at)));
}

/** Counts by bucket, then by key: a count sums a key over eleven buckets without building a string per bucket. */
type Counts = Map<string, Map<string, number>>;

function add(counts: Counts, bucket: string, key: string, n: number): void {
  let keys = counts.get(bucket);
  if (!keys) counts.set(bucket, (keys = new Map<string, number>()));
  keys.set(key, (keys.get(key) ?? 0) + n);
}

export function createRateCounter(db: Kysely<Database>, clock: () => number = Date.now): RateCounter {
  /** Counted here and not yet written. */
  let pending: Counts = new Map();
  /** Written, and not yet in what was read back: still counted, or a sync would hide them for a moment. */
  let inFlight: Counts = new Map();
  /** Everyone's counts as last read. */
  let shared: Counts = new Map();
  const windowsInUse = new Set<number>();
  let lastPrune = 0;
  let syncing: Promise<void> | null = null;
  /** Closed buckets read after every server had written to them: not read again. */
  const settled = new Set<string>();
  /** The bucket ids of each window length for the current slice, made once per slice. */
  const bucketIds = new Map<number, { index: number; ids: string[] }>();

  function bucketsNow(windowMs: number): string[] {
    const index = Math.floor(clock() / sliceOf(windowMs));
    const known = bucketIds.get(windowMs);
    if (known?.index === index) return known.ids;
    const ids = bucketsOf(windowMs, clock());
    bucketIds.set(windowMs, { index, ids });
    return ids;
  }

  const sliding = (key: string, windowMs: number) => {
    let sum = 0;
    for (const bucket of bucketsNow(windowMs)) {
      sum += (shared.get(bucket)?.get(key) ?? 0) + (inFlight.get(bucket)?.get(key) ?? 0) + (pending.get(bucket)?.get(key) ?? 0);
    }
    return sum;
  };

  async function syncNow(): Promise<void> {
    if (windowsInUse.size === 0) return;
    const toWrite = pending;
    pending = new Map();
    inFlight = toWrite;
    const rows = [];
    for (const [time_window, keys] of toWrite) for (const [key, count] of keys) rows.push({ time_window, key, count });
    try {
      await addCounts(db, rows);
    } catch {
      // The database is unreachable: keep the counts for the next try, and go on counting here.
      for (const r of rows) add(pending, r.time_window, r.key, r.count);
      inFlight = new Map();
      return;
    }
    const now = clock();
    // A bucket still filling is read every time; a closed one until every server has surely written
    // to it (two syncs after it closed), then kept as read: most of a window is closed buckets, and
    // reading all of them every second was most of what counting cost under load.
    const wanted = [...windowsInUse].flatMap((ms) => bucketsOf(ms, now));
    // What this server has just written is read back, wherever the clock put it.
    for (const r of rows) settled.delete(r.time_window);
    const toRead = wanted.filter((b) => !settled.has(b));
    const read = await readCounts(db, toRead).catch(() => null);
    if (read) {
      const fresh: Counts = new Map();
      for (const b of wanted) {
        const kept = settled.has(b) ? shared.get(b) : undefined;
        if (kept) fresh.set(b, kept);
      }
      for (const r of read) add(fresh, r.time_window, r.key, Number(r.count));
      shared = fresh;
      const stillWanted = new Set(wanted);
      for (const b of settled) if (!stillWanted.has(b)) settled.delete(b);
      for (const b of toRead) if (bucketEnd(b) + 2 * SYNC_MS < now) settled.add(b);
    } else {
      for (const r of rows) add(shared, r.time_window, r.key, r.count);
    }
    inFlight = new Map();
    if (now - lastPrune > PRUNE_EVERY_MS) {
      lastPrune = now;
      for (const ms of windowsInUse) await deleteCountsBefore(db, `${ms}:`, bucketOf(ms, now - KEEP_MS)).catch(() => undefined);
    }
  }

  const sync = () => (syncing ??= syncNow().finally(() => (syncing = null)));
  const timer = setInterval(() => void sync(), SYNC_MS);
  timer.unref();

  return {
    hit(key, windowMs) {
      windowsInUse.add(windowMs);
      const ids = bucketsNow(windowMs);
      add(pending, ids[ids.length - 1] ?? '', key, 1);
      return sliding(key, windowMs);
    },
    count(key, windowMs) {
      windowsInUse.add(windowMs);
      return sliding(key, windowMs);
    },
    hitShared(key, windowMs) {
      // Kept in view so that its old buckets are pruned with the others.
      windowsInUse.add(windowMs);
      const [current, ...earlier] = [...bucketsNow(windowMs)].reverse();
      return addOneAndRead(db, `db|${key}`, current ?? '', earlier);
    },
    secondsLeft(windowMs) {
      const slice = sliceOf(windowMs);
      return Math.max(1, Math.ceil((slice - (clock() % slice)) / 1000));
    },
    watch(windowsMs) {
      for (const ms of windowsMs) windowsInUse.add(ms);
      void sync();
    },
    sync,
    stop() {
      clearInterval(timer);
    },
  };
}
