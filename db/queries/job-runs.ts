/**
 * Why: every app server runs the scheduler (issue 22), and each scheduled run must happen once. A run
 * is claimed by inserting its row (primary key job + run_key) with a lease; a holder that died leaves
 * its lease to lapse, and then one other server takes the run over with an atomic UPDATE guarded by
 * the lapsed lease. A holder renews its lease while it works and marks the run finished at the end.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../schema.ts';

export interface JobClaim {
  job: string;
  runKey: string;
  holder: string;
  at: string;
  leaseUntil: string;
}

/** 'new': this server inserted the run; 'taken-over': it took a lapsed one over; null: someone else has it, or it is done. */
export async function claimJobRun(db: Kysely<Database>, claim: JobClaim): Promise<'new' | 'taken-over' | null> {
  const inserted = await db
    .insertInto('job_runs')
    .values({ job: claim.job, run_key: claim.runKey, holder: claim.holder, started_at: claim.at, lease_until: claim.leaseUntil, finished_at: null, summary: null })
    .onConflict((oc) => oc.columns(['job', 'run_key']).doNothing())
    .executeTakeFirst();
  if (Number(inserted.numInsertedOrUpdatedRows ?? 0n) === 1) return 'new';
  const taken = await db
    .updateTable('job_runs')
    .set({ holder: claim.holder, lease_until: claim.leaseUntil })
    .where('job', '=', claim.job)
    .where('run_key', '=', claim.runKey)
    .where('finished_at', 'is', null)
    .where('lease_until', '<', claim.at)
    .executeTakeFirst();
  return Number(taken.numUpdatedRows) === 1 ? 'taken-over' : null;
}

/** Extends the lease while this holder still has the run; false when another server has taken it over. */
export async function renewJobRun(db: Kysely<Database>, job: string, runKey: string, holder: string, leaseUntil: string): Promise<boolean> {
  const result = await db
    .updateTable('job_runs')
    .set({ lease_until: leaseUntil })
    .where('job', '=', job)
    .where('run_key', '=', runKey)
    .where('holder', '=', holder)
    .where('finished_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Marks the run done (never run again) with what it did. */
export async function finishJobRun(db: Kysely<Database>, job: string, runKey: string, holder: string, at: string, summary: string): Promise<void> {
  await db
    .updateTable('job_runs')
    .set({ finished_at: at, summary })
    .where('job', '=', job)
    .where('run_key', '=', runKey)
    .where('holder', '=', holder)
    .execute();
}

/**
 * Leaves the run unfinished and lets its lease lapse at `retryAt` (something failed: the mail server
 * was down), so this or another server tries it again then.
 */
export async function postponeJobRun(db: Kysely<Database>, job: string, runKey: string, holder: string, retryAt: string, summary: string): Promise<void> {
  await db
    .updateTable('job_runs')
    .set({ lease_until: retryAt, summary })
    .where('job', '=', job)
    .where('run_key', '=', runKey)
    .where('holder', '=', holder)
    .where('finished_at', 'is', null)
    .execute();
}
