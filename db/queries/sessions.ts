/** Staff sessions, looked up by the SHA-256 of their id (the store hashes; the id never reaches SQL). */
import type { Kysely } from 'kysely';
import type { Database } from '../schema.ts';

export async function readSession(db: Kysely<Database>, sidHash: string, now: string): Promise<string | undefined> {
  const row = await db.selectFrom('sessions').select('data').where('sid_hash', '=', sidHash).where('expires_at', '>', now).executeTakeFirst();
  return row?.data;
}

export async function writeSession(db: Kysely<Database>, sidHash: string, data: string, expiresAt: string, userId: number | null): Promise<void> {
  await db
    .insertInto('sessions')
    .values({ sid_hash: sidHash, data, expires_at: expiresAt, user_id: userId })
    .onConflict((oc) => oc.column('sid_hash').doUpdateSet({ data, expires_at: expiresAt, user_id: userId }))
    .execute();
}

/** Signs a person out everywhere (their account was disabled or their password reset). */
export async function deleteSessionsOfUser(db: Kysely<Database>, userId: number): Promise<number> {
  const result = await db.deleteFrom('sessions').where('user_id', '=', userId).executeTakeFirst();
  return Number(result.numDeletedRows);
}

export async function extendSession(db: Kysely<Database>, sidHash: string, expiresAt: string): Promise<void> {
  await db.updateTable('sessions').set({ expires_at: expiresAt }).where('sid_hash', '=', sidHash).execute();
}

export async function deleteSession(db: Kysely<Database>, sidHash: string): Promise<void> {
  await db.deleteFrom('sessions').where('sid_hash', '=', sidHash).execute();
}

export async function deleteExpiredSessions(db: Kysely<Database>, now: string): Promise<number> {
  const result = await db.deleteFrom('sessions').where('expires_at', '<=', now).executeTakeFirst();
  return Number(result.numDeletedRows);
}
