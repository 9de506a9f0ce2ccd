/**
 * Why: every alert email carries a link that stops them without signing in (issue 22; a mail client's
 * one-click unsubscribe, RFC 8058, posts to it too). The link is signed with the app's secret
 * (HMAC-SHA256 of 'unsubscribe:' + the account's id), so the signature is the authority and no CSRF
 * token is needed; it is compared in constant time. Stopping the emails is one command: the switch
 * turned off and the audit entry 'user.unsubscribe' in the same transaction.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Kysely } from 'kysely';
import { audit } from '../../db/queries/audit.ts';
import { turnOffAlertEmails } from '../../db/queries/mail.ts';
import { findUser } from '../../db/queries/users.ts';
import type { Database } from '../../db/schema.ts';

export const UNSUBSCRIBE_PATH = '/thu/huy-nhan';

export function unsubscribeSignature(secret: string, userId: number): string {
  return createHmac('sha256', secret).update(`unsubscribe:${userId}`).digest('base64url');
}

/** The absolute link of an account's emails; English accounts' page opens in English. */
export function unsubscribeUrl(baseUrl: string, secret: string, userId: number, lang: 'vi' | 'en' = 'vi'): string {
  const query = new URLSearchParams({ u: String(userId), sig: unsubscribeSignature(secret, userId) });
  if (lang === 'en') query.set('lang', 'en');
  return `${baseUrl}${UNSUBSCRIBE_PATH}?${query.toString()}`;
}

/** Whether `sig` is this account's signature (constant time). */
export function verifyUnsubscribe(secret: string, userId: number, sig: string): boolean {
  const expected = Buffer.from(unsubscribeSignature(secret, userId));
  const given = Buffer.from(sig);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

export type UnsubscribeResult = { ok: true; username: string; changed: boolean } | { ok: false; reason: 'bad-signature' | 'no-account' };

/** Who a link names, when its signature holds (for the page before the button). */
export async function unsubscribeTarget(db: Kysely<Database>, secret: string, userId: number, sig: string): Promise<UnsubscribeResult> {
  if (!verifyUnsubscribe(secret, userId, sig)) return { ok: false, reason: 'bad-signature' };
  const user = await findUser(db, userId);
  if (!user) return { ok: false, reason: 'no-account' };
  return { ok: true, username: user.username, changed: false };
}

/** Turns the account's alert emails off; a second click changes nothing and writes nothing. */
export async function unsubscribe(db: Kysely<Database>, secret: string, userId: number, sig: string, at: string): Promise<UnsubscribeResult> {
  const target = await unsubscribeTarget(db, secret, userId, sig);
  if (!target.ok) return target;
  return db.transaction().execute(async (trx) => {
    const changed = await turnOffAlertEmails(trx, userId);
    if (changed) {
      await audit(trx, { at, userId, action: 'user.unsubscribe', subject: target.username, detail: 'email link', before: { alertEmails: true }, after: { alertEmails: false } });
    }
    return { ok: true, username: target.username, changed } as const;
  });
}
