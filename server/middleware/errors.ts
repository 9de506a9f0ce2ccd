import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { Logger } from '../log.ts';
import { renderError } from '../render.ts';

export const notFound: RequestHandler = (_req, res) => renderError(res, 404);

/** body-parser marks its errors with a type; everything else is our fault and logged. */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (error: unknown, req, res, next) => {
    if (res.headersSent) {
      next(error);
      return;
    }
    const type = (error as { type?: string }).type;
    if (type === 'entity.too.large' || type === 'parameters.too.many') {
      renderError(res, 413);
      return;
    }
    if (type === 'entity.parse.failed' || type === 'charset.unsupported' || type === 'encoding.unsupported' || type === 'request.aborted') {
      renderError(res, 400);
      return;
    }
    logger.error({ err: error, method: req.method, path: req.path }, 'unhandled error');
    renderError(res, 500);
  };
}
