/**
 * What every way of signing in ends with (the login form, the first-administrator link, a
 * set-password link): a new session id (no fixation), the user in it, saved before the redirect,
 * and this browser remembered as one where the account signs in (known-browser.ts).
 * And the two writes of the login form (issue 19): a failed attempt's count and its audit entry
 * 'login.failed', and a successful one's count cleared, its time and its entry 'login', each in one
 * transaction, so that no attempt is counted without its entry, nor recorded without its count.
 */
import type { Request, Response } from 'express';
import type { Kysely } from 'kysely';
import { audit } from '../../db/queries/audit.ts';
import { recordLogin } from '../../db/queries/users.ts';
import type { Database } from '../../db/schema.ts';
import { type KnownBrowsers, knownBrowsers } from './known-browser.ts';
import type { AttemptKeys, SignInThrottle } from './throttle.ts';

export interface SignIn {
  browsers: KnownBrowsers;
  start(req: Request, res: Response, user: { id: number; username: string }): Promise<void>;
}

function regenerate(req: Request): Promise<void> {
  return new Promise((resolve, reject) => req.session.regenerate((error) => (error ? reject(error as Error) : resolve())));
}

function save(req: Request): Promise<void> {
  return new Promise((resolve, reject) => req.session.save((error) => (error ? reject(error as Error) : resolve())));
}

export function signInFlow(secret: string, baseUrl: string): SignIn {
  const browsers = knownBrowsers(secret, baseUrl.startsWith('https:'));
  return {
    browsers,
    async start(req, res, user) {
      await regenerate(req);
      req.session.userId = user.id;
      await save(req);
      browsers.remember(req, res, user.username);
    },
  };
}

/** A wrong password (or an unknown or disabled account): counted against the attempt's keys and recorded, together. */
export async function recordFailedSignIn(
  db: Kysely<Database>,
  throttle: SignInThrottle,
  attempt: { keys: AttemptKeys; username: string; userId: number | null },
  at: string,
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await throttle.failed(attempt.keys, trx);
    await audit(trx, { at, userId: attempt.userId, action: 'login.failed', subject: attempt.username.slice(0, 40) });
  });
}

/**
 * The right password: the count it was judged by cleared, the account's last sign-in and the entry
 * 'login', together, before the session starts (no session without its entry).
 */
export async function recordSignIn(db: Kysely<Database>, throttle: SignInThrottle, attempt: { keys: AttemptKeys; user: { id: number; username: string } }, at: string): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await throttle.succeeded(attempt.keys, trx);
    await recordLogin(trx, attempt.user.id, at);
    await audit(trx, { at, userId: attempt.user.id, action: 'login', subject: attempt.user.username });
  });
}
