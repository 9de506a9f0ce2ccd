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
import { addCounts, addOneAndRead, deleteCountsBefore, readCounts } from '../db/queries/rate-counters.ts';
import type { Database } from '../db/schema.ts';

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

/** The buckets a count of the window ending at `now` adds up: the current one and SLICES before it. */
function bucketsOf(windowMs: number, now: number): string[] {
  const slice = sliceOf(windowMs);
  const last = Math.floor(now / slice);
  const ids: string[] = [];
  for (let i = last - SLICES; i <= last; i++) ids.push(`${windowMs}:${String(i).padStart(14, '0')}`);
  return ids;
}

export function createRateCounter(db: Kysely<Database>, clock: () => number = Date.now): RateCounter {
  /** Counted here and not yet written. */
  let pending = new Map<string, number>();
  /** Written, and not yet in what was read back: still counted, or a sync would hide them for a moment. */
  let inFlight = new Map<string, number>();
  /** Everyone's counts as last read, by "window|key". */
  let shared = new Map<string, number>();
  const windowsInUse = new Set<number>();
  let lastPrune = 0;
  let syncing: Promise<void> | null = null;

  const total = (k: string) => (shared.get(k) ?? 0) + (inFlight.get(k) ?? 0) + (pending.get(k) ?? 0);
  const sliding = (key: string, windowMs: number) => {
    let sum = 0;
    for (const bucket of bucketsOf(windowMs, clock())) sum += total(`${bucket}|${key}`);
    return sum;
  };

  async function syncNow(): Promise<void> {
    if (windowsInUse.size === 0) return;
    const toWrite = pending;
    pending = new Map();
    inFlight = toWrite;
    try {
      await addCounts(
        db,
        [...toWrite].map(([k, count]) => {
          const at = k.indexOf('|');
          return { time_window: k.slice(0, at), key: k.slice(at + 1), count };
        }),
      );
    } catch {
      // The database is unreachable: keep the counts for the next try, and go on counting here.
      for (const [k, n] of toWrite) pending.set(k, (pending.get(k) ?? 0) + n);
      inFlight = new Map();
      return;
    }
    const now = clock();
    const windows = [...windowsInUse].flatMap((ms) => bucketsOf(ms, now));
    const rows = await readCounts(db, windows).catch(() => null);
    if (rows) shared = new Map(rows.map((r) => [`${r.time_window}|${r.key}`, Number(r.count)]));
    else for (const [k, n] of toWrite) shared.set(k, (shared.get(k) ?? 0) + n);
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
      const k = `${bucketOf(windowMs, clock())}|${key}`;
      pending.set(k, (pending.get(k) ?? 0) + 1);
      return sliding(key, windowMs);
    },
    count(key, windowMs) {
      windowsInUse.add(windowMs);
      return sliding(key, windowMs);
    },
    hitShared(key, windowMs) {
      // Kept in view so that its old buckets are pruned with the others.
      windowsInUse.add(windowMs);
      const [current, ...earlier] = bucketsOf(windowMs, clock()).reverse();
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
