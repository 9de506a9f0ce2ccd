/**
 * Synchroniser-token CSRF protection for staff forms (csrf-sync): the token lives in the session
 * and travels in a hidden `_csrf` field. Citizens' survey forms have their own signed token.
 */
import type { Request, RequestHandler } from 'express';
import { csrfSync } from 'csrf-sync';
import type { MessageKey } from '../i18n/index.ts';
import { renderError } from '../render.ts';

export interface Csrf {
  token(req: Request): string;
  protect(message: MessageKey): RequestHandler;
}

export function createCsrf(): Csrf {
  const { generateToken, isRequestValid } = csrfSync({
    getTokenFromRequest: (req) => {
      const body = req.body as Record<string, unknown> | undefined;
      return typeof body?._csrf === 'string' ? body._csrf : undefined;
    },
  });
  return {
    token: (req) => generateToken(req),
    protect: (message) => (req, res, next) => {
      if (isRequestValid(req)) {
        next();
        return;
      }
      renderError(res, 403, 'error.403.title', message);
    },
  };
}
