/**
 * Why: API tokens are made by `sipas token create` and revoked from /admin/users/:id or by
 * `sipas token revoke`; each is one command with its rules (an active account, a lifetime of 1 to
 * 3650 days, the one extra permission "links"), its permission (whoever manages the account) and
 * its audit entry ('token.create' / 'token.revoke'), written in one transaction with the change.
 */
import type { Kysely } from 'kysely';
import { createApiToken, findTokenOwner, revokeToken, revokeTokensOfUser } from '../../db/queries/api-tokens.ts';
import { audit } from '../../db/queries/audit.ts';
import { listUnits } from '../../db/queries/units.ts';
import { findUser } from '../../db/queries/users.ts';
import type { Database, User } from '../../db/schema.ts';
import { API_TOKEN_DAYS, API_TOKEN_DAYS_MAX, apiTokenExpiry, newApiToken } from '../auth/api-tokens.ts';
import { authorize } from '../auth/permissions.ts';
import { type Actor, actorUserId } from './actor.ts';

async function mayManage(db: Kysely<Database>, actor: Actor, user: User): Promise<boolean> {
  return actor.kind === 'operator' || authorize(actor.staff, 'manageUser', { user: { role: user.role, unitId: user.unit_id }, units: await listUnits(db) });
}

/** How the command line says where a token was made or revoked; the pages say nothing. */
const fromCli = (actor: Actor) => (actor.kind === 'operator' ? ' (cli)' : '');

export interface NewToken {
  user: User | undefined;
  label: string;
  /** Days until it expires, as typed (undefined: API_TOKEN_DAYS). */
  expiresDays?: string;
  /** One extra permission: 'links' (per-dossier survey links) or 'counts' (pushing dossier counts), or none. */
  permission?: string;
}

/** What a token may do besides reading the API: make per-dossier survey links, push dossier counts. */
export const EXTRA_PERMISSIONS: readonly string[] = ['links', 'counts'];

export type CreateTokenResult =
  | { ok: true; token: string; id: number; expiresAt: string }
  | { ok: false; status: 403 }
  /** No active account of that name. */
  | { ok: false; status: 404 }
  | { ok: false; status: 422; problem: 'expires-days' | 'permission' };

/** A new token, shown once (only its hash is stored), and 'token.create' recorded under the account it is for. */
export async function createApiTokenFor(db: Kysely<Database>, actor: Actor, input: NewToken, at: Date): Promise<CreateTokenResult> {
  const { user } = input;
  if (!user || user.active !== 1) return { ok: false, status: 404 };
  if (!(await mayManage(db, actor, user))) return { ok: false, status: 403 };
  const days = input.expiresDays === undefined ? API_TOKEN_DAYS : Number(input.expiresDays);
  if (!Number.isInteger(days) || days < 1 || days > API_TOKEN_DAYS_MAX) return { ok: false, status: 422, problem: 'expires-days' };
  if (input.permission !== undefined && !EXTRA_PERMISSIONS.includes(input.permission)) return { ok: false, status: 422, problem: 'permission' };
  const permissions = input.permission === undefined ? 'read' : `read,${input.permission}`;
  const { token, hash } = newApiToken();
  const createdAt = at.toISOString();
  const expiresAt = apiTokenExpiry(at, days);

  return db.transaction().execute(async (trx) => {
    const id = await createApiToken(trx, { userId: user.id, tokenHash: hash, label: input.label, createdAt, expiresAt, permissions });
    await audit(trx, { at: createdAt, userId: user.id, action: 'token.create', subject: user.username, detail: `token ${id} (${permissions}), expires ${expiresAt}` });
    return { ok: true, token, id, expiresAt } as const;
  });
}

export type RevokeResult = { ok: true; revoked: number } | { ok: false; status: 403 | 404 };

/**
 * Revokes one token: of `owner` when the page names the account, or whoever's it is (the command
 * line's `--id N`). 404 when there is no such token not yet revoked.
 */
export async function revokeApiToken(db: Kysely<Database>, actor: Actor, target: { tokenId: number; owner?: User }, at: string): Promise<RevokeResult> {
  const found = target.owner ? { userId: target.owner.id } : await findTokenOwner(db, target.tokenId);
  const owner = target.owner ?? (found ? await findUser(db, found.userId) : undefined);
  if (!owner) return { ok: false, status: 404 };
  if (!(await mayManage(db, actor, owner))) return { ok: false, status: 403 };

  return db.transaction().execute(async (trx) => {
    if (!(await revokeToken(trx, owner.id, target.tokenId, at))) return { ok: false, status: 404 } as const;
    await audit(trx, { at, userId: actorUserId(actor), action: 'token.revoke', subject: owner.username, detail: `token ${target.tokenId}${fromCli(actor)}` });
    return { ok: true, revoked: 1 } as const;
  });
}

/** Revokes every token of the account that is not revoked yet (`sipas token revoke --username U --all`). */
export async function revokeAllApiTokens(db: Kysely<Database>, actor: Actor, owner: User, at: string): Promise<RevokeResult> {
  if (!(await mayManage(db, actor, owner))) return { ok: false, status: 403 };
  return db.transaction().execute(async (trx) => {
    const n = await revokeTokensOfUser(trx, owner.id, at);
    await audit(trx, { at, userId: actorUserId(actor), action: 'token.revoke', subject: owner.username, detail: `all ${n} tokens${fromCli(actor)}` });
    return { ok: true, revoked: n } as const;
  });
}
