/**
 * express-session's store over our database, so sessions survive restarts and work across app
 * servers. Rows are keyed by the SHA-256 of the session id: the id (192 random bits) lives only in
 * the browser's cookie, so a backup or a database dump holds no session anyone could resume, even
 * together with the cookie-signing secret it may also hold.
 */
import { createHash } from 'node:crypto';
import session from 'express-session';
import type { Kysely } from 'kysely';
import { deleteExpiredSessions, deleteSession, extendSession, readSession, writeSession } from '../../db/queries/sessions.ts';
import type { Database } from '../../db/schema.ts';

const DEFAULT_TTL_MS = 8 * 60 * 60 * 1000;

export function sessionIdHash(sid: string): string {
  return createHash('sha256').update(sid).digest('hex');
}

function expiryOf(data: session.SessionData): string {
  const expires = data.cookie.expires ? new Date(data.cookie.expires) : new Date(Date.now() + DEFAULT_TTL_MS);
  return expires.toISOString();
}

export class KyselySessionStore extends session.Store {
  private lastPrune = 0;

  constructor(private readonly db: Kysely<Database>) {
    super();
  }

  override get(sid: string, callback: (err: unknown, session?: session.SessionData | null) => void): void {
    readSession(this.db, sessionIdHash(sid), new Date().toISOString()).then(
      (data) => callback(null, data === undefined ? null : (JSON.parse(data) as session.SessionData)),
      (error: unknown) => callback(error),
    );
  }

  override set(sid: string, data: session.SessionData, callback?: (err?: unknown) => void): void {
    this.prune();
    writeSession(this.db, sessionIdHash(sid), JSON.stringify(data), expiryOf(data), data.userId ?? null).then(
      () => callback?.(),
      (error: unknown) => callback?.(error),
    );
  }

  override destroy(sid: string, callback?: (err?: unknown) => void): void {
    deleteSession(this.db, sessionIdHash(sid)).then(
      () => callback?.(),
      (error: unknown) => callback?.(error),
    );
  }

  /**
   * Extending a session's expiry is not worth a wait: the page is sent at once and the update is
   * written when the database can take it (a failed one only shortens the session).
   */
  override touch(sid: string, data: session.SessionData, callback?: () => void): void {
    extendSession(this.db, sessionIdHash(sid), expiryOf(data)).catch(() => undefined);
    callback?.();
  }

  /** Expired rows are removed at most once an hour, on the back of a write. */
  private prune(): void {
    const now = Date.now();
    if (now - this.lastPrune < 60 * 60 * 1000) return;
    this.lastPrune = now;
    deleteExpiredSessions(this.db, new Date(now).toISOString()).catch(() => undefined);
  }
}
