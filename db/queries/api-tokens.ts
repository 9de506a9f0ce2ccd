/** API tokens: stored as the SHA-256 of the token, each with an expiry; revoked ones are kept for the record. */
import type { Kysely } from 'kysely';
import type { Database, User } from '../schema.ts';

export interface NewApiToken {
  userId: number;
  tokenHash: string;
  label: string;
  createdAt: string;
  expiresAt: string;
  /** 'read' (default): the API's reports; 'read,links': also per-dossier survey links. */
  permissions?: string;
}

export async function createApiToken(db: Kysely<Database>, token: NewApiToken): Promise<number> {
  const { id } = await db
    .insertInto('api_tokens')
    .values({ user_id: token.userId, token_hash: token.tokenHash, label: token.label, created_at: token.createdAt, expires_at: token.expiresAt, permissions: token.permissions ?? 'read' })
    .returning('id')
    .executeTakeFirstOrThrow();
  return id;
}

/** The active user behind a token that is neither revoked nor expired. */
export async function findUserByTokenHash(db: Kysely<Database>, tokenHash: string, now: string): Promise<User | undefined> {
  return (await findTokenHolder(db, tokenHash, now))?.user;
}

/** The active user behind a valid token, and what the token may do ('read', 'links'). */
/** A valid token's account, what it may do besides reading, and its number. */
export interface TokenHolder {
  user: User;
  permissions: string[];
  tokenId: number;
}

export async function findTokenHolder(db: Kysely<Database>, tokenHash: string, now: string): Promise<TokenHolder | undefined> {
  const row = await db
    .selectFrom('api_tokens')
    .innerJoin('users', 'users.id', 'api_tokens.user_id')
    .selectAll('users')
    .select(['api_tokens.id as token_id', 'api_tokens.permissions as token_permissions'])
    .where('api_tokens.token_hash', '=', tokenHash)
    .where('api_tokens.revoked_at', 'is', null)
    .where('api_tokens.expires_at', '>', now)
    .where('users.active', '=', 1)
    .executeTakeFirst();
  if (!row) return undefined;
  await db.updateTable('api_tokens').set({ last_used_at: now }).where('id', '=', row.token_id).execute();
  const { token_id: tokenId, token_permissions: permissions, ...user } = row;
  return { user, permissions: permissions.split(','), tokenId };
}

export interface TokenListing {
  id: number;
  username: string;
  label: string;
  createdAt: string;
  expiresAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
  permissions: string;
}

/** Tokens of one user (or of everyone), newest first. */
export async function listTokens(db: Kysely<Database>, userId: number | null): Promise<TokenListing[]> {
  let q = db
    .selectFrom('api_tokens')
    .innerJoin('users', 'users.id', 'api_tokens.user_id')
    .select(['api_tokens.id', 'users.username', 'api_tokens.label', 'api_tokens.created_at', 'api_tokens.expires_at', 'api_tokens.last_used_at', 'api_tokens.revoked_at', 'api_tokens.permissions']);
  if (userId !== null) q = q.where('api_tokens.user_id', '=', userId);
  const rows = await q.orderBy('api_tokens.id', 'desc').execute();
  return rows.map((r) => ({
    id: r.id,
    username: r.username,
    label: r.label,
    createdAt: r.created_at,
    expiresAt: r.expires_at,
    lastUsedAt: r.last_used_at,
    revokedAt: r.revoked_at,
    permissions: r.permissions,
  }));
}

/** Whose token this is (revoked or not); undefined when there is no token with that number. */
export async function findTokenOwner(db: Kysely<Database>, tokenId: number): Promise<{ userId: number; username: string } | undefined> {
  const row = await db
    .selectFrom('api_tokens')
    .innerJoin('users', 'users.id', 'api_tokens.user_id')
    .select(['api_tokens.user_id', 'users.username'])
    .where('api_tokens.id', '=', tokenId)
    .executeTakeFirst();
  return row ? { userId: row.user_id, username: row.username } : undefined;
}

/** Revokes one token (of the given user, when one is named); false when there is no such token not yet revoked. */
export async function revokeToken(db: Kysely<Database>, userId: number | null, tokenId: number, now: string): Promise<boolean> {
  let q = db.updateTable('api_tokens').set({ revoked_at: now }).where('id', '=', tokenId).where('revoked_at', 'is', null);
  if (userId !== null) q = q.where('user_id', '=', userId);
  const result = await q.executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function revokeTokensOfUser(db: Kysely<Database>, userId: number, now: string): Promise<number> {
  const result = await db.updateTable('api_tokens').set({ revoked_at: now }).where('user_id', '=', userId).where('revoked_at', 'is', null).executeTakeFirst();
  return Number(result.numUpdatedRows);
}
