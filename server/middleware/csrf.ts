/**
 * Synchroniser-token CSRF protection for staff forms (csrf-sync): the token lives in the session
 * and travels in a hidden `_csrf` field. Citizens' survey forms have their own signed token.
 */
import type { Request, RequestHandler } from 'express';
import { csrfSync } from 'csrf-sync';
import type { MessageKey } from '../i18n/index.ts';
import { localeOf } from './locale.ts';

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
      const { t } = localeOf(res);
      res.status(403).render('pages/errors/error', { heading: t('error.403.title'), body: t(message) });
    },
  };
}
