/**
 * How long the current piece of work may still wait for a lock another connection holds. A citizen's
 * submission has one allowance from the moment it arrived (DATABASE_BUSY_TIMEOUT_MS), whether it
 * spends it queued behind other submissions or waiting for a `sipas` command's or a psql session's
 * lock; the queue (server/survey/submission-queue.ts) runs each write within the deadline of the
 * earliest submission it carries, and the drivers honour it: SQLite's stops retrying at it
 * (sqlite-driver.ts), PostgreSQL's transaction gets a matching lock_timeout (connect.ts).
 * AsyncLocalStorage carries the deadline to the driver without threading it through every query.
 */
import { AsyncLocalStorage } from 'node:async_hooks';

const deadlines = new AsyncLocalStorage<number>();

/** Runs `work` with locks waited for at most until `deadline` (milliseconds since the epoch). */
export function withLockDeadline<T>(deadline: number, work: () => Promise<T>): Promise<T> {
  return deadlines.run(deadline, work);
}

/** The deadline of the work running now, if it has one. */
export function lockDeadline(): number | undefined {
  return deadlines.getStore();
}
