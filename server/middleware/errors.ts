import type { ErrorRequestHandler, RequestHandler } from 'express';
import { isDatabaseUnavailable } from '../../db/errors.ts';
import type { Logger } from '../log.ts';
import { renderError } from './render.ts';
import { loggedPath } from './request-log.ts';

/** A database restart or a failover usually takes well under a minute. */
const RETRY_AFTER_SECONDS = 30;

export const notFound: RequestHandler = (_req, res) => renderError(res, 404);

/** body-parser and the router mark client errors with a type or a status; the rest is our fault and logged. */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (error: unknown, req, res, next) => {
    if (res.headersSent) {
      next(error);
      return;
    }
    const { type, status } = error as { type?: string; status?: number };
    if (type === 'entity.too.large' || type === 'parameters.too.many') {
      renderError(res, 413);
      return;
    }
    if (error instanceof URIError) {
      // A QR link mangled on its way (bad percent-encoding) is still just a QR code that is not valid.
      if (req.path.startsWith('/q/')) renderError(res, 404, 'qr.invalid.title', 'qr.invalid.body');
      else renderError(res, 400);
      return;
    }
    if (type !== undefined || (status !== undefined && status >= 400 && status < 500)) {
      renderError(res, status === 404 ? 404 : 400);
      return;
    }
    if (isDatabaseUnavailable(error)) {
      // The database is restarting or out of reach: say when to come back; the process stays up.
      logger.warn({ err: error, method: req.method, path: loggedPath(req.path) }, 'database unavailable');
      res.set('Retry-After', String(RETRY_AFTER_SECONDS));
      renderError(res, 503);
      return;
    }
    logger.error({ err: error, method: req.method, path: loggedPath(req.path) }, 'unhandled error');
    renderError(res, 500);
  };
}
