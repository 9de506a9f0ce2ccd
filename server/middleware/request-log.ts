import type { RequestHandler } from 'express';
import type { Logger } from '../log.ts';

/**
 * Paths whose second segment is a secret: a desk's QR or kiosk token (whoever reads the log could
 * post as that desk), a dossier's personal survey link, a setup link, a set-password link, a sign-in
 * unlock link. The log
 * keeps the route, not the token (Express matches routes whatever their case, so this does too).
 */
const TOKEN_PATHS = /^\/+(q|k|d|setup|set-password|unlock)\/+[^/]+/i;

/** The path as it may be written to a log: judged as the router reads it (`/%71/…` is `/q/…`), written without its token. */
export function loggedPath(path: string): string {
  let decoded: string;
  try {
    decoded = decodeURIComponent(path);
  } catch {
    // Not even a path the router could read: nothing of it is worth keeping beyond its first segment.
    return `/${path.split('/')[1]?.slice(0, 20) ?? ''}/…`;
  }
  return TOKEN_PATHS.test(decoded) ? decoded.replace(TOKEN_PATHS, '/$1/:token') : path;
}

/**
 * One line per request: method, path (tokens replaced), status, duration. Never the query string,
 * the body, the client address or cookies: citizens answer anonymously and logs are kept longer
 * than answers.
 */
export function requestLog(logger: Logger): RequestHandler {
  return (req, res, next) => {
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      logger.info({ method: req.method, path: loggedPath(req.path), status: res.statusCode, ms: Math.round(ms * 10) / 10 }, 'request');
    });
    next();
  };
}
