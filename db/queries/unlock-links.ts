/**
 * One-time sign-in unlock links (see the migration 2026-12-04-0011-unlock-links). Only the token's
 * hash is stored; a link works once, until it expires, and only for an active account.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../schema.ts';
import { within } from './within.ts';

export interface NewUnlockLink {
  userId: number;
  tokenHash: string;
  createdAt: string;
  expiresAt: string;
  createdBy: number;
}

/**
 * Replaces any earlier unused unlock link of the user (only the newest one works), in the caller's
 * transaction when given one (the command server/accounts/links.ts writes its audit entry with it).
 */
export async function createUnlockLink(db: Kysely<Database>, link: NewUnlockLink): Promise<void> {
  await within(db, async (trx) => {
    await trx.deleteFrom('unlock_links').where('user_id', '=', link.userId).where('used_at', 'is', null).execute();
    await trx
      .insertInto('unlock_links')
      .values({ user_id: link.userId, token_hash: link.tokenHash, created_at: link.createdAt, expires_at: link.expiresAt, created_by: link.createdBy })
      .execute();
  });
}

export interface ValidUnlockLink {
  id: number;
  userId: number;
  username: string;
  displayName: string;
}

/** The link behind a token hash when it is unused, unexpired and its account active. */
export async function findValidUnlockLink(db: Kysely<Database>, tokenHash: string, now: string): Promise<ValidUnlockLink | undefined> {
  const row = await db
    .selectFrom('unlock_links')
    .innerJoin('users', 'users.id', 'unlock_links.user_id')
    .select(['unlock_links.id', 'unlock_links.user_id', 'users.username', 'users.display_name'])
    .where('unlock_links.token_hash', '=', tokenHash)
    .where('unlock_links.used_at', 'is', null)
    .where('unlock_links.expires_at', '>', now)
    .where('users.active', '=', 1)
    .executeTakeFirst();
  return row ? { id: row.id, userId: row.user_id, username: row.username, displayName: row.display_name } : undefined;
}

/** Marks the link used; false (nothing written) when another request used it first (two tabs, a double click). */
export async function consumeUnlockLink(db: Kysely<Database>, linkId: number, now: string): Promise<boolean> {
  const result = await db.updateTable('unlock_links').set({ used_at: now }).where('id', '=', linkId).where('used_at', 'is', null).executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** A disabled account's unused links die with it: enabling it again does not bring them back. */
export async function deleteUnusedUnlockLinks(db: Kysely<Database>, userId: number): Promise<void> {
  await db.deleteFrom('unlock_links').where('user_id', '=', userId).where('used_at', 'is', null).execute();
}
