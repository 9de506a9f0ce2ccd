/**
 * Why: a command writes its change and its audit entry in one transaction (issue 19), so a query
 * that needs a transaction of its own must join the caller's when it is given one, rather than
 * open a second one that would commit on its own. One helper, so every query does it the same way.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../schema.ts';

/** Runs `work` in the caller's transaction when given one, else in a new one. */
export function within<T>(db: Kysely<Database>, work: (trx: Kysely<Database>) => Promise<T>): Promise<T> {
  return db.isTransaction ? work(db) : db.transaction().execute(work);
}
