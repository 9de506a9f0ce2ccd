/**
 * CSRF protection for every staff form, checked once in front of every staff route so that a new
 * form is protected without remembering to be. Two kinds of token, chosen by one rule (is someone
 * signed in?) both when a form is drawn and when it comes back:
 *  - signed in: a synchroniser token kept in the session (csrf-sync), in a hidden `_csrf` field;
 *  - nobody signed in (the login form, the first-administrator and set-password links): a signed
 *    double-submit token. The page sets a random, httpOnly, SameSite=Strict cookie and puts an
 *    HMAC of it in the form; a forged form from another site can neither read the page nor set the
 *    cookie. So an anonymous visitor gets a form without the server storing anything: no session
 *    row for every GET /login.
 * Citizens' survey forms have their own signed token; API clients that send `Authorization:
 * Bearer` carry no cookie and so cannot be forged.
 */
import { randomBytes } from 'node:crypto';
import type { Request, RequestHandler, Response } from 'express';
import { csrfSync } from 'csrf-sync';
import { cookieJar } from '../auth/cookies.ts';
import { keyFor } from '../auth/keys.ts';
import { renderError } from './render.ts';

export interface Csrf {
  /** The token for a form on this page (may set the anonymous form cookie on the response). */
  token(req: Request, res: Response): string;
  /** Refuses (403) any state-changing request without a valid token, unless it is a Bearer API call. */
  guard: RequestHandler;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
/** A login page left open over a lunch break still works; after a day, reload it. */
const ANONYMOUS_FORM_HOURS = 24;

const signedIn = (req: Request) => req.session?.userId !== undefined;

export function createCsrf(secret: string, https: boolean): Csrf {
  const { generateToken, isRequestValid } = csrfSync({
    getTokenFromRequest: (req) => {
      const body = req.body as Record<string, unknown> | undefined;
      return typeof body?._csrf === 'string' ? body._csrf : undefined;
    },
  });
  const key = keyFor(secret, 'anonymous-form');
  const cookie = cookieJar('sipas.form', https, { maxAgeMs: ANONYMOUS_FORM_HOURS * 3_600_000, sameSite: 'strict' });

  function anonymousToken(req: Request, res: Response): string {
    const existing = cookie.read(req);
    const value = existing && /^[A-Za-z0-9_-]{43}$/.test(existing) ? existing : randomBytes(32).toString('base64url');
    // Written again on every form, so its lifetime counts from the last page drawn.
    cookie.write(res, value);
    return key.mac(value);
  }

  function anonymousRequestValid(req: Request): boolean {
    const value = cookie.read(req);
    const presented = (req.body as Record<string, unknown> | undefined)?._csrf;
    return value !== undefined && typeof presented === 'string' && key.verify(value, presented);
  }

  return {
    token: (req, res) => (signedIn(req) ? generateToken(req) : anonymousToken(req, res)),
    guard: (req, res, next) => {
      if (SAFE_METHODS.has(req.method) || req.get('authorization')?.startsWith('Bearer ')) {
        next();
        return;
      }
      if (signedIn(req) ? isRequestValid(req) : anonymousRequestValid(req)) {
        next();
        return;
      }
      renderError(res, 403, 'error.403.title', 'error.csrf');
    },
  };
}
