/**
 * Group commit for submissions. Citizens who press "Gửi" within the same few milliseconds (a hall
 * scanning one poster, centers opening at the same hour) are written in one transaction, with one
 * commit and one fsync between them, and each gets its thank-you page only after that commit: no
 * acknowledged submission is ever lost, and synchronous=FULL stays on. If a batch fails, its
 * submissions are retried one by one, so one bad submission never fails its neighbours; if the
 * database is unreachable or locked, they all get the error (the route answers 503 and keeps the
 * answers on the form).
 */
import type { Kysely } from 'kysely';
import { isDatabaseUnavailable } from '../../db/errors.ts';
import { type RecordResult, recordResponse, recordResponses, type ResponseInput } from '../../db/queries/responses.ts';
import type { Database } from '../../db/schema.ts';

export interface SubmissionQueue {
  /** Resolves once the submission is committed (or found to be a replay of one that is). */
  record(input: ResponseInput): Promise<RecordResult>;
}

export interface QueueOptions {
  /** The most submissions in one transaction. */
  maxBatch?: number;
  /** How long the first submission of a batch waits for company, in milliseconds. */
  maxWaitMs?: number;
  /** Today's local day: a batch that touches earlier days tells the dashboard's cache of the past. */
  today?: () => string;
}

interface Waiting {
  input: ResponseInput;
  resolve: (result: RecordResult) => void;
  reject: (error: unknown) => void;
}

export function createSubmissionQueue(db: Kysely<Database>, options: QueueOptions = {}): SubmissionQueue {
  const maxBatch = options.maxBatch ?? 64;
  const maxWaitMs = options.maxWaitMs ?? 2;
  let waiting: Waiting[] = [];
  let timer: NodeJS.Timeout | null = null;
  let writing = false;

  async function writeOneByOne(batch: Waiting[]): Promise<void> {
    for (const w of batch) {
      try {
        w.resolve(await recordResponse(db, w.input, { today: options.today?.() }));
      } catch (error) {
        w.reject(error);
      }
    }
  }

  async function write(): Promise<void> {
    timer = null;
    if (writing) return;
    writing = true;
    try {
      // Whatever arrived while a batch was being written forms the next batch at once.
      while (waiting.length > 0) {
        const batch = waiting.slice(0, maxBatch);
        waiting = waiting.slice(batch.length);
        try {
          const results = await recordResponses(db, batch.map((w) => w.input), { today: options.today?.() });
          batch.forEach((w, i) => w.resolve(results[i] as RecordResult));
        } catch (error) {
          if (isDatabaseUnavailable(error)) batch.forEach((w) => w.reject(error));
          else await writeOneByOne(batch);
        }
      }
    } finally {
      writing = false;
    }
  }

  return {
    record(input) {
      return new Promise<RecordResult>((resolve, reject) => {
        waiting.push({ input, resolve, reject });
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
