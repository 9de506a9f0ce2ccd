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
