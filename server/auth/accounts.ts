/**
 * Disabling and enabling an account, the same from /admin/users and from `sipas user disable`:
 * disabling signs the person out everywhere and revokes their API tokens at once, and the last
 * active administrator is never disabled or demoted (someone must be able to manage the system).
 */
import type { Kysely } from 'kysely';
import { deleteUnusedUnlockLinks } from '../../db/queries/unlock-links.ts';
import { revokeTokensOfUser } from '../../db/queries/api-tokens.ts';
import { deleteSessionsOfUser } from '../../db/queries/sessions.ts';
import { countOtherActiveAdmins, setUserActive } from '../../db/queries/users.ts';
import type { Database, User } from '../../db/schema.ts';

export async function isLastActiveAdmin(db: Kysely<Database>, user: Pick<User, 'id' | 'role' | 'active'>): Promise<boolean> {
  return user.role === 'admin' && user.active === 1 && (await countOtherActiveAdmins(db, user.id)) === 0;
}

/** What disabling ended: sessions signed out, API tokens revoked. */
export interface Ended {
  sessions: number;
  tokens: number;
}

/** Disables the account; the caller has checked isLastActiveAdmin. */
export async function disableAccount(db: Kysely<Database>, userId: number, at: string): Promise<Ended> {
  await setUserActive(db, userId, false);
  await deleteUnusedUnlockLinks(db, userId);
  return { sessions: await deleteSessionsOfUser(db, userId), tokens: await revokeTokensOfUser(db, userId, at) };
}

export async function enableAccount(db: Kysely<Database>, userId: number): Promise<void> {
  await setUserActive(db, userId, true);
}
