import type { Kysely } from 'kysely';
import type { Database, User } from '../schema.ts';

export async function createApiToken(db: Kysely<Database>, userId: number, tokenHash: string, label: string, now: string): Promise<void> {
  await db.insertInto('api_tokens').values({ user_id: userId, token_hash: tokenHash, label, created_at: now }).execute();
}

/** The active user behind a token that is not revoked. */
export async function findUserByTokenHash(db: Kysely<Database>, tokenHash: string, now: string): Promise<User | undefined> {
  const row = await db
    .selectFrom('api_tokens')
    .innerJoin('users', 'users.id', 'api_tokens.user_id')
    .selectAll('users')
    .select('api_tokens.id as token_id')
    .where('api_tokens.token_hash', '=', tokenHash)
    .where('api_tokens.revoked_at', 'is', null)
    .where('users.active', '=', 1)
    .executeTakeFirst();
  if (!row) return undefined;
  await db.updateTable('api_tokens').set({ last_used_at: now }).where('id', '=', row.token_id).execute();
  const { token_id: _tokenId, ...user } = row;
  return user;
}

export interface TokenListing {
  id: number;
  label: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

export async function listTokensOfUser(db: Kysely<Database>, userId: number): Promise<TokenListing[]> {
  const rows = await db
    .selectFrom('api_tokens')
    .select(['id', 'label', 'created_at', 'last_used_at', 'revoked_at'])
    .where('user_id', '=', userId)
    .orderBy('id', 'desc')
    .execute();
  return rows.map((r) => ({ id: r.id, label: r.label, createdAt: r.created_at, lastUsedAt: r.last_used_at, revokedAt: r.revoked_at }));
}

/** Revokes one token of a user; false when it was not theirs or already revoked. */
export async function revokeToken(db: Kysely<Database>, userId: number, tokenId: number, now: string): Promise<boolean> {
  const result = await db
    .updateTable('api_tokens')
    .set({ revoked_at: now })
    .where('id', '=', tokenId)
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function revokeTokensOfUser(db: Kysely<Database>, userId: number, now: string): Promise<number> {
  const result = await db.updateTable('api_tokens').set({ revoked_at: now }).where('user_id', '=', userId).where('revoked_at', 'is', null).executeTakeFirst();
  return Number(result.numUpdatedRows);
}
