/**
 * A browser where an account signed in before ("device cookie", OWASP's answer to lockouts): a
 * signed cookie that names the accounts that signed in on it. Such a browser is throttled by a
 * count of its own instead of the account's and the address's (throttle.ts), so an official is not
 * locked out by a script guessing their password, or guessing from their center's shared address.
 * A stolen cookie gives no more guesses than the account count would (5, then growing waits).
 */
import { randomBytes } from 'node:crypto';
import type { Request, Response } from 'express';
import { cookieJar } from './cookies.ts';
import { keyFor } from './keys.ts';

const KEEP_ACCOUNTS = 10;
const DAYS = 365;

export interface KnownBrowser {
  id: string;
  usernames: string[];
}

export interface KnownBrowsers {
  /** The browser's mark when its signature holds; null otherwise. */
  read(req: Request): KnownBrowser | null;
  /** Adds the account to the browser's mark (a new mark for a browser without one); the mark as written. */
  remember(req: Request, res: Response, username: string): KnownBrowser;
}

export function knownBrowsers(secret: string, https: boolean): KnownBrowsers {
  const key = keyFor(secret, 'known-browser');
  const cookie = cookieJar('sipas.browser', https, { maxAgeMs: DAYS * 24 * 3_600_000, sameSite: 'strict' });

  function read(req: Request): KnownBrowser | null {
    const value = cookie.read(req) ?? '';
    // id.user1~user2.mac: usernames are [a-z0-9._-], so the id ends at the first dot and the MAC starts after the last.
    const first = value.indexOf('.');
    const last = value.lastIndexOf('.');
    if (first <= 0 || last <= first) return null;
    const body = value.slice(0, last);
    if (!key.verify(body, value.slice(last + 1))) return null;
    return { id: value.slice(0, first), usernames: value.slice(first + 1, last).split('~').filter(Boolean) };
  }

  return {
    read,
    remember(req, res, username) {
      const known = read(req) ?? { id: randomBytes(16).toString('base64url'), usernames: [] };
      const usernames = [username, ...known.usernames.filter((u) => u !== username)].slice(0, KEEP_ACCOUNTS);
      const body = `${known.id}.${usernames.join('~')}`;
      cookie.write(res, `${body}.${key.mac(body)}`);
      return { id: known.id, usernames };
    },
  };
}
