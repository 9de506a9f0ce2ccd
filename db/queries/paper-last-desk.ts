/**
 * The desk an account last typed a paper form in for, so /paper can offer it again on the next visit
 * (issue 21: no desk chosen for a clerk who has none yet, theirs remembered once they have one). Read
 * from what is already written with every typed form, so nothing more is stored and it outlives any
 * sign-in: the form's 'paper.enter' audit entry (found under the (user_id, at) index, as
 * db/queries/paper.ts does) and the response it names (by its public id), which holds the desk.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../schema.ts';

/** The desk of the account's most recently typed paper form; null when it has typed none. */
export async function lastPaperDesk(db: Kysely<Database>, userId: number): Promise<number | null> {
  const row = await db
    .selectFrom('audit_log')
    .innerJoin('responses', 'responses.public_id', 'audit_log.subject')
    .select('responses.desk_id')
    .where('audit_log.user_id', '=', userId)
    .where('audit_log.action', '=', 'paper.enter')
    .orderBy('audit_log.at', 'desc')
    .orderBy('audit_log.id', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row?.desk_id ?? null;
}
