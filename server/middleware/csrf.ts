/**
 * Synchroniser-token CSRF protection for staff forms (csrf-sync): the token lives in the session
 * and travels in a hidden `_csrf` field. `guard` runs once, in front of every staff route, so a new
 * form is protected without remembering to be. Citizens' survey forms have their own signed token;
 * API clients that send `Authorization: Bearer` carry no cookie and so cannot be forged.
 */
import type { Request, RequestHandler } from 'express';
import { csrfSync } from 'csrf-sync';
import { renderError } from '../render.ts';

export interface Csrf {
  token(req: Request): string;
  /** Refuses (403) any state-changing request without a valid token, unless it is a Bearer API call. */
  guard: RequestHandler;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function createCsrf(): Csrf {
  const { generateToken, isRequestValid } = csrfSync({
    getTokenFromRequest: (req) => {
      const body = req.body as Record<string, unknown> | undefined;
      return typeof body?._csrf === 'string' ? body._csrf : undefined;
    },
  });
  return {
    token: (req) => generateToken(req),
    guard: (req, res, next) => {
      if (SAFE_METHODS.has(req.method) || req.get('authorization')?.startsWith('Bearer ') || isRequestValid(req)) {
        next();
        return;
      }
      renderError(res, 403, 'error.403.title', 'error.csrf');
    },
  };
}
