/**
 * Counters for rate limits and stuffing signals that every app server shares and that survive a
 * restart, without a database round trip on the request: each server counts in memory and, every
 * SYNC_MS, adds what it counted to the database and reads back everyone's totals. A client therefore
 * sees the other servers' counts with a delay of about a second, which a limit of tens per minute
 * does not notice. Windows are fixed (e.g. each minute); counts older than a day are deleted.
 */
import type { Kysely } from 'kysely';
import { addCounts, deleteCountsBefore, readCounts } from '../db/queries/rate-counters.ts';
import type { Database } from '../db/schema.ts';

export const SYNC_MS = 1_000;
const KEEP_MS = 24 * 60 * 60 * 1000;
const PRUNE_EVERY_MS = 10 * 60 * 1000;

export interface RateCounter {
  /** Counts one event and returns the total of the current window (everyone's, as far as known). */
  hit(key: string, windowMs: number): number;
  /** The total of the current window, without counting. */
  count(key: string, windowMs: number): number;
  /** Seconds until the current window ends (for Retry-After). */
  secondsLeft(windowMs: number): number;
  /** Reads everyone's counts of these window lengths from now on, starting at once (a restarted server knows them within a moment). */
  watch(windowsMs: number[]): void;
  /** Sends this server's counts and reads everyone's now (also done every SYNC_MS). */
  sync(): Promise<void>;
  stop(): void;
}

function windowOf(windowMs: number, now: number): string {
  return `${windowMs}:${String(Math.floor(now / windowMs)).padStart(14, '0')}`;
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

  const id = (key: string, windowMs: number) => `${windowOf(windowMs, clock())}|${key}`;
  const total = (k: string) => (shared.get(k) ?? 0) + (inFlight.get(k) ?? 0) + (pending.get(k) ?? 0);

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
    const windows = [...windowsInUse].map((ms) => windowOf(ms, now));
    const rows = await readCounts(db, windows).catch(() => null);
    if (rows) shared = new Map(rows.map((r) => [`${r.time_window}|${r.key}`, Number(r.count)]));
    else for (const [k, n] of toWrite) shared.set(k, (shared.get(k) ?? 0) + n);
    inFlight = new Map();
    if (now - lastPrune > PRUNE_EVERY_MS) {
      lastPrune = now;
      for (const ms of windowsInUse) await deleteCountsBefore(db, `${ms}:`, windowOf(ms, now - KEEP_MS)).catch(() => undefined);
    }
  }

  const sync = () => (syncing ??= syncNow().finally(() => (syncing = null)));
  const timer = setInterval(() => void sync(), SYNC_MS);
  timer.unref();

  return {
    hit(key, windowMs) {
      windowsInUse.add(windowMs);
      const k = id(key, windowMs);
      pending.set(k, (pending.get(k) ?? 0) + 1);
      return total(k);
    },
    count(key, windowMs) {
      windowsInUse.add(windowMs);
      return total(id(key, windowMs));
    },
    secondsLeft(windowMs) {
      return Math.max(1, Math.ceil((windowMs - (clock() % windowMs)) / 1000));
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
