/**
 * The first administrator, created through a setup link exactly once however many requests race:
 * inside one transaction the link must still exist, no account may exist yet, and a claim row must
 * be inserted under a unique key. A second transaction waits on the first one's claim (PostgreSQL)
 * or on the one connection (SQLite), then finds it taken.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../schema.ts';
import { countUsers, createUser, type NewUser } from './users.ts';
import { within } from './within.ts';

export interface SetupClaim {
  /** The settings key of the link that was opened (its hash, never the link). */
  linkKey: string;
  /** Every link's key starts with this: all of them stop working at once. */
  linkPrefix: string;
  /** The settings key whose insertion is the claim. */
  claimKey: string;
}

/**
 * The new administrator's id, or null when the link is gone or another request got there first; in
 * the caller's transaction when given one (the command writes its audit entry with it).
 */
export async function createFirstAdministrator(db: Kysely<Database>, claim: SetupClaim, user: NewUser, at: string): Promise<number | null> {
  return within(db, async (trx) => {
    const link = await trx.selectFrom('settings').select('key').where('key', '=', claim.linkKey).executeTakeFirst();
    if (!link || (await countUsers(trx)) > 0) return null;
    const claimed = await trx
      .insertInto('settings')
      .values({ key: claim.claimKey, value: at })
      .onConflict((oc) => oc.column('key').doNothing())
      .returning('key')
      .executeTakeFirst();
    if (!claimed) return null;
    const id = await createUser(trx, user, at);
    await trx.deleteFrom('settings').where('key', 'like', `${claim.linkPrefix}%`).execute();
    return id;
  });
}
