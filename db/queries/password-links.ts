/** One-time links to set a password (new accounts, resets). Only the token's hash is stored. */
import type { Kysely } from 'kysely';
import type { Database, PasswordLinksTable } from '../schema.ts';
import { within } from './within.ts';

export interface NewPasswordLink {
  userId: number;
  tokenHash: string;
  purpose: PasswordLinksTable['purpose'];
  createdAt: string;
  expiresAt: string;
  createdBy: number | null;
}

/** Replaces any earlier unused link of the user: only the newest one works (in the caller's transaction, if any). */
export async function createPasswordLink(db: Kysely<Database>, link: NewPasswordLink): Promise<void> {
  await within(db, async (trx) => {
    await trx.deleteFrom('password_links').where('user_id', '=', link.userId).where('used_at', 'is', null).execute();
    await trx
      .insertInto('password_links')
      .values({
        user_id: link.userId,
        token_hash: link.tokenHash,
        purpose: link.purpose,
        created_at: link.createdAt,
        expires_at: link.expiresAt,
        created_by: link.createdBy,
      })
      .execute();
  });
}

export interface ValidPasswordLink {
  id: number;
  userId: number;
  username: string;
  displayName: string;
  purpose: PasswordLinksTable['purpose'];
}

/** The link behind a token hash when it is unused, unexpired and its account active. */
export async function findValidPasswordLink(db: Kysely<Database>, tokenHash: string, now: string): Promise<ValidPasswordLink | undefined> {
  const row = await db
    .selectFrom('password_links')
    .innerJoin('users', 'users.id', 'password_links.user_id')
    .select(['password_links.id', 'password_links.user_id', 'users.username', 'users.display_name', 'password_links.purpose'])
    .where('password_links.token_hash', '=', tokenHash)
    .where('password_links.used_at', 'is', null)
    .where('password_links.expires_at', '>', now)
    .where('users.active', '=', 1)
    .executeTakeFirst();
  return row ? { id: row.id, userId: row.user_id, username: row.username, displayName: row.display_name, purpose: row.purpose } : undefined;
}

/** Marks the link used; false when another request used it first (two tabs, a double click). */
export async function consumePasswordLink(db: Kysely<Database>, id: number, now: string): Promise<boolean> {
  const result = await db.updateTable('password_links').set({ used_at: now }).where('id', '=', id).where('used_at', 'is', null).executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}
