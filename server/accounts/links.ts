/**
 * Why: the one-time links of an account (a set-password link for a new account or a reset, a
 * sign-in unlock link) are writes with rules (an active account; no unlock link before a password
 * is set), a permission (whoever manages the account) and an audit entry. Each is one command here,
 * writing the link and its entry in one transaction; so is using a link. The link itself is made
 * here and returned once: only its hash is stored (the route shows it, never keeps it).
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import { audit } from '../../db/queries/audit.ts';
import { consumePasswordLink, createPasswordLink, type ValidPasswordLink } from '../../db/queries/password-links.ts';
import { deleteSessionsOfUser } from '../../db/queries/sessions.ts';
import { listUnits } from '../../db/queries/units.ts';
import { consumeUnlockLink, createUnlockLink, type ValidUnlockLink } from '../../db/queries/unlock-links.ts';
import { setPasswordHash } from '../../db/queries/users.ts';
import type { Database, PasswordLinksTable, User } from '../../db/schema.ts';
import { chosenPasswordProblems, type PasswordProblem } from '../auth/password-strength.ts';
import { hashPassword } from '../auth/passwords.ts';
import { authorize } from '../auth/permissions.ts';
import type { Staff } from '../auth/scope.ts';

/** A set-password link is for the person it was made for, within a few days. */
export const PASSWORD_LINK_HOURS = 72;
/** Long enough to reach a colleague by phone, short enough that a forgotten link soon dies. */
export const UNLOCK_LINK_HOURS = 24;

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

const hoursAfter = (at: string, hours: number) => new Date(Date.parse(at) + hours * 3_600_000).toISOString();

/** The token of a one-time link (what goes in its address) and the hash that is stored. */
export function linkHash(token: string): string {
  return sha256(token);
}

/**
 * A fresh set-password link for the user (replacing an unused one), in the caller's transaction;
 * the token, to be shown once.
 */
export async function writePasswordLink(trx: Kysely<Database>, userId: number, purpose: PasswordLinksTable['purpose'], by: number | null, at: string): Promise<string> {
  const token = randomBytes(24).toString('base64url');
  await createPasswordLink(trx, { userId, tokenHash: sha256(token), purpose, createdAt: at, expiresAt: hoursAfter(at, PASSWORD_LINK_HOURS), createdBy: by });
  return token;
}

export type IssueLinkResult =
  | { ok: true; token: string }
  | { ok: false; status: 403 }
  /** disabled: the account is disabled; invited: it has no password yet (an unlock link would not help). */
  | { ok: false; status: 409; reason: 'disabled' | 'invited' };

async function mayManage(db: Kysely<Database>, staff: Staff, user: User): Promise<boolean> {
  return authorize(staff, 'manageUser', { user: { role: user.role, unitId: user.unit_id }, units: await listUnits(db) });
}

/**
 * A new set-password link for an active account ('invite' while it has no password, else 'reset'),
 * with its audit entry 'user.reset', in one transaction.
 */
export async function issuePasswordLink(db: Kysely<Database>, staff: Staff, user: User, at: string): Promise<IssueLinkResult> {
  if (!(await mayManage(db, staff, user))) return { ok: false, status: 403 };
  if (user.active !== 1) return { ok: false, status: 409, reason: 'disabled' };
  return db.transaction().execute(async (trx) => {
    const token = await writePasswordLink(trx, user.id, user.password_hash === '' ? 'invite' : 'reset', staff.id, at);
    await audit(trx, { at, userId: staff.id, action: 'user.reset', subject: user.username });
    return { ok: true, token };
  });
}

/**
 * A new sign-in unlock link (replacing an unused one) for an active account that has a password,
 * with its audit entry 'user.unlock.link' (who made it for whom), in one transaction.
 */
export async function issueUnlockLink(db: Kysely<Database>, staff: Staff, user: User, at: string): Promise<IssueLinkResult> {
  if (!(await mayManage(db, staff, user))) return { ok: false, status: 403 };
  if (user.active !== 1) return { ok: false, status: 409, reason: 'disabled' };
  if (user.password_hash === '') return { ok: false, status: 409, reason: 'invited' };
  return db.transaction().execute(async (trx) => {
    const token = randomBytes(24).toString('base64url');
    await createUnlockLink(trx, { userId: user.id, tokenHash: sha256(token), createdAt: at, expiresAt: hoursAfter(at, UNLOCK_LINK_HOURS), createdBy: staff.id });
    await audit(trx, { at, userId: staff.id, action: 'user.unlock.link', subject: user.username });
    return { ok: true, token };
  });
}

export type UseLinkResult =
  | { ok: true }
  /** The link was used meanwhile (two tabs, a double click): nothing written. */
  | { ok: false; status: 404 }
  | { ok: false; status: 422; problems: PasswordProblem[] };

/**
 * Sets the password of a valid set-password link's account: the password must be strong and typed
 * twice alike; then, in one transaction, the link is used, the password set, every session of the
 * account ended and 'user.password.set' (an invitation) or 'user.password.reset' recorded.
 */
export async function setPasswordWithLink(db: Kysely<Database>, link: ValidPasswordLink, input: { password: string; passwordAgain: string }, at: string): Promise<UseLinkResult> {
  const problems = chosenPasswordProblems(input.password, input.passwordAgain, { username: link.username, displayName: link.displayName });
  if (problems.length > 0) return { ok: false, status: 422, problems };
  const passwordHash = await hashPassword(input.password);
  return db.transaction().execute(async (trx) => {
    if (!(await consumePasswordLink(trx, link.id, at))) return { ok: false, status: 404 };
    await setPasswordHash(trx, link.userId, passwordHash);
    await deleteSessionsOfUser(trx, link.userId);
    await audit(trx, { at, userId: link.userId, action: link.purpose === 'invite' ? 'user.password.set' : 'user.password.reset', subject: link.username });
    return { ok: true };
  });
}

/** Uses a valid sign-in unlock link, with its audit entry 'user.unlock', in one transaction. */
export async function useUnlockLink(db: Kysely<Database>, link: ValidUnlockLink, at: string): Promise<{ ok: true } | { ok: false; status: 404 }> {
  return db.transaction().execute(async (trx) => {
    if (!(await consumeUnlockLink(trx, link.id, at))) return { ok: false, status: 404 } as const;
    await audit(trx, { at, userId: link.userId, action: 'user.unlock', subject: link.username });
    return { ok: true } as const;
  });
}
