/**
 * Which database errors mean "the database cannot be reached right now" rather than "this request
 * is wrong": those get 503 and a Retry-After, and the server keeps running until the database is
 * back. Kept here because only db/ knows the drivers' error codes.
 */

/**
 * PostgreSQL SQLSTATE classes and codes of a connection that is gone or refused, and 55P03: a lock
 * another session held past our lock_timeout (lock-wait.ts), PostgreSQL's SQLITE_BUSY.
 */
const PG_UNAVAILABLE = [/^08/, /^57P0[1-3]$/, /^53300$/, /^55P03$/];
const NODE_NETWORK = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);
const PG_CLIENT_MESSAGES = [
  /Connection terminated/i,
  /timeout exceeded when trying to connect/i,
  /Query read timeout/i,
  /Client has encountered a connection error/i,
];

/** A submission that spent its whole allowance waiting in line: as busy as a lock held too long. */
export class WaitedTooLongError extends Error {
  constructor(waitedMs: number) {
    super(`waited ${waitedMs} ms for the database to take the submission`);
  }
}

export function isDatabaseUnavailable(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  if (error instanceof WaitedTooLongError) return true;
  const { code, message } = error as { code?: unknown; message?: unknown };
  if (typeof code === 'string') {
    if (NODE_NETWORK.has(code)) return true;
    if (PG_UNAVAILABLE.some((pattern) => pattern.test(code))) return true;
    // Another connection holds the SQLite write lock longer than busy_timeout.
    if (code === 'SQLITE_BUSY' || code === 'SQLITE_BUSY_SNAPSHOT') return true;
  }
  return typeof message === 'string' && PG_CLIENT_MESSAGES.some((pattern) => pattern.test(message));
}
