/**
 * Group commit for submissions. Citizens who press "Gửi" within the same few milliseconds (a hall
 * scanning one poster, centers opening at the same hour) are written in one transaction, with one
 * commit and one fsync between them, and each gets its thank-you page only after that commit: no
 * acknowledged submission is ever lost, and synchronous=FULL stays on. If a batch fails, its
 * submissions are retried one by one, so one bad submission never fails its neighbours.
 *
 * Each submission may wait `waitMs` (DATABASE_BUSY_TIMEOUT_MS) from its arrival, in line and for
 * locks together (db/lock-wait.ts): a batch is written within the deadline of its earliest member.
 * When the database is locked or out of reach, a submission with time left is tried again (a
 * PostgreSQL restart of a few seconds costs no one their answers); one whose time is up gets the
 * error, and the route answers 503 and keeps the answers on the form. A write whose outcome was
 * lost with its connection is safe to try again: the form's nonce makes the second a replay.
 */
import type { Kysely } from 'kysely';
import { isDatabaseUnavailable, WaitedTooLongError } from '../../db/errors.ts';
import { withLockDeadline } from '../../db/lock-wait.ts';
import { type RecordResult, recordResponse, recordResponses, type ResponseInput } from '../../db/queries/responses.ts';
import type { Database } from '../../db/schema.ts';

export interface SubmissionQueue {
  /**
   * Resolves once the submission is committed (or found to be a replay of one that is). Its wait
   * is counted from `arrived` (Date.now() when its request came; now by default).
   */
  record(input: ResponseInput, arrived?: number): Promise<RecordResult>;
}

export interface QueueOptions {
  /** The most submissions in one transaction. */
  maxBatch?: number;
  /** How long the first submission of a batch waits for company, in milliseconds. */
  maxWaitMs?: number;
  /** How long a submission may wait, from its arrival, before it is refused as busy (ms). */
  waitMs?: number;
  /** Today's local day: a batch that touches earlier days tells the dashboard's cache of the past. */
  today?: () => string;
}

/** Between two tries of a database that refused at once (PostgreSQL restarting): no busy loop. */
const RETRY_PAUSE_MS = 100;
/** Too little time left to be worth another try. */
const TOO_LATE_MS = 10;

interface Waiting {
  input: ResponseInput;
  arrived: number;
  deadline: number;
  resolve: (result: RecordResult) => void;
  reject: (error: unknown) => void;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function createSubmissionQueue(db: Kysely<Database>, options: QueueOptions = {}): SubmissionQueue {
  const maxBatch = options.maxBatch ?? 64;
  const maxWaitMs = options.maxWaitMs ?? 2;
  const waitMs = options.waitMs ?? 5_000;
  let waiting: Waiting[] = [];
  let timer: NodeJS.Timeout | null = null;
  let writing = false;

  async function writeOneByOne(batch: Waiting[]): Promise<void> {
    for (const w of batch) {
      try {
        w.resolve(await withLockDeadline(w.deadline, () => recordResponse(db, w.input, { today: options.today?.() })));
      } catch (error) {
        w.reject(error);
      }
    }
  }

  /** The submissions whose time is up get the error they waited for; the others are kept. */
  function keepThoseWithTime(batch: Waiting[], error: unknown): Waiting[] {
    const now = Date.now();
    const kept: Waiting[] = [];
    for (const w of batch) {
      if (w.deadline - now > TOO_LATE_MS) kept.push(w);
      else w.reject(error ?? new WaitedTooLongError(now - w.arrived));
    }
    return kept;
  }

  async function write(): Promise<void> {
    timer = null;
    if (writing) return;
    writing = true;
    try {
      // Whatever arrived while a batch was being written forms the next batch at once.
      while (waiting.length > 0) {
        const batch = keepThoseWithTime(waiting.slice(0, maxBatch), null);
        waiting = waiting.slice(Math.min(maxBatch, waiting.length));
        if (batch.length === 0) continue;
        const deadline = Math.min(...batch.map((w) => w.deadline));
        const started = Date.now();
        try {
          const results = await withLockDeadline(deadline, () => recordResponses(db, batch.map((w) => w.input), { today: options.today?.() }));
          batch.forEach((w, i) => w.resolve(results[i] as RecordResult));
        } catch (error) {
          if (!isDatabaseUnavailable(error)) {
            await writeOneByOne(batch);
            continue;
          }
          // Tried again ahead of later arrivals, in the order they came.
          waiting = [...keepThoseWithTime(batch, error), ...waiting];
          if (waiting.length > 0 && Date.now() - started < RETRY_PAUSE_MS) await sleep(RETRY_PAUSE_MS);
        }
      }
    } finally {
      writing = false;
    }
  }

  return {
    record(input, arrived = Date.now()) {
      return new Promise<RecordResult>((resolve, reject) => {
        waiting.push({ input, arrived, deadline: arrived + waitMs, resolve, reject });
        if (writing) return;
        if (waiting.length >= maxBatch) {
          if (timer) clearTimeout(timer);
          void write();
        } else {
          timer ??= setTimeout(() => void write(), maxWaitMs);
        }
      });
    },
  };
}
