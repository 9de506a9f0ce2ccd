import type { Request, RequestHandler, Response } from 'express';
import session from 'express-session';
import type { Kysely } from 'kysely';
import { findTokenHolder, findUserByTokenHash, type TokenHolder } from '../../db/queries/api-tokens.ts';
import { findActiveUser } from '../../db/queries/users.ts';
import type { Database, User } from '../../db/schema.ts';
import { hashApiToken } from './api-tokens.ts';
import type { Staff } from './scope.ts';
import { KyselySessionStore } from './session-store.ts';

declare module 'express-session' {
  interface SessionData {
    userId?: number;
    /** One message for the next page a staff member sees (after a redirect). */
    flash?: { message: string; params?: Record<string, string | number>; kind?: 'success' | 'error' };
  }
}

export const SESSION_HOURS = 8;

export function sessionMiddleware(db: Kysely<Database>, secret: string, https: boolean): RequestHandler {
  return session({
    name: 'sipas.sid',
    store: new KyselySessionStore(db),
    secret,
    resave: false,
    saveUninitialized: false,
    rolling: true,
    // An https BASE_URL on a plain-http listener means TLS ends at a proxy: trust its
    // X-Forwarded-Proto for the Secure cookie, or no browser would ever get a session.
    proxy: https ? true : undefined,
    cookie: { httpOnly: true, sameSite: 'lax', secure: https, maxAge: SESSION_HOURS * 60 * 60 * 1000 },
  });
}

export function toStaff(user: User): Staff {
  return { id: user.id, username: user.username, displayName: user.display_name, role: user.role, unitId: user.unit_id, paperEntry: user.paper_entry === 1 };
}

/**
 * The token holder of a request's `Authorization: Bearer …` header, with its permissions: for the
 * routes the one-stop software calls (dossier links, dossier counts), which take no session.
 */
export async function bearerHolder(db: Kysely<Database>, req: Request, at: Date): Promise<TokenHolder | undefined> {
  const header = req.get('authorization') ?? '';
  return header.startsWith('Bearer ') ? findTokenHolder(db, hashApiToken(header.slice(7).trim()), at.toISOString()) : undefined;
}

/** Who is asking: a bearer token (API clients) or the session cookie (browsers). */
export function loadStaff(db: Kysely<Database>, now: () => Date): RequestHandler {
  return async (req, res, next) => {
    const locals = res.locals;
    const header = req.get('authorization');
    if (header?.startsWith('Bearer ')) {
      const user = await findUserByTokenHash(db, hashApiToken(header.slice(7).trim()), now().toISOString());
      if (user) {
        locals.staff = toStaff(user);
        locals.authVia = 'token';
      }
      next();
      return;
    }
    const userId = req.session?.userId;
    if (userId !== undefined) {
      const user = await findActiveUser(db, userId);
      if (user) {
        locals.staff = toStaff(user);
        locals.authVia = 'session';
      }
    }
    next();
  };
}

/**
 * The signed-in staff member, for a route behind a sign-in check (requireStaffPage, requireStaffApi,
 * a guard); `res.locals.staff` (typed in middleware/staff-frame.ts) is the one to test when nobody
 * may be signed in.
 */
export function staffOf(res: Response): Staff {
  const staff = res.locals.staff;
  if (!staff) throw new Error(`${res.req.method} ${res.req.path}: no signed-in staff member; the route needs requireStaffPage, requireStaffApi or a guard in front`);
  return staff;
}

/** Pages: a visitor without a session goes to the login page and comes back afterwards. */
export const requireStaffPage: RequestHandler = (req, res, next) => {
  if (res.locals.staff) {
    next();
    return;
  }
  res.redirect(303, `/login?next=${encodeURIComponent(req.originalUrl)}`);
};

/** API: 401 with a JSON message. */
export const requireStaffApi: RequestHandler = (_req, res, next) => {
  if (res.locals.staff) {
    next();
    return;
  }
  res.status(401).set('WWW-Authenticate', 'Bearer').json({ error: 'Cần đăng nhập hoặc token / authentication required' });
};
