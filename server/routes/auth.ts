/** /login, /logout and the one-time /setup/:token for the first administrator. */
import { type Request, type Response, Router } from 'express';
import { rateLimit } from 'express-rate-limit';
import { audit } from '../../db/queries/audit.ts';
import { createUser, findUserByUsername, recordLogin } from '../../db/queries/users.ts';
import { staffOf } from '../auth/middleware.ts';
import { dummyPasswordHash, hashPassword, PASSWORD_MAX, PASSWORD_MIN, USERNAME_PATTERN, verifyPassword } from '../auth/passwords.ts';
import { consumeSetupToken, setupTokenValid } from '../auth/setup.ts';
import { localeOf } from '../middleware/locale.ts';
import { renderError } from '../render.ts';
import type { MessageKey } from '../i18n/index.ts';
import type { RouteDeps } from './deps.ts';

/** Only a path on this site: never an absolute URL (open redirect). */
function safeNext(value: unknown): string {
  return typeof value === 'string' && value.startsWith('/') && !value.startsWith('//') && !value.startsWith('/\\') ? value : '/dashboard';
}

function regenerate(req: Request): Promise<void> {
  return new Promise((resolve, reject) => req.session.regenerate((error) => (error ? reject(error as Error) : resolve())));
}

function save(req: Request): Promise<void> {
  return new Promise((resolve, reject) => req.session.save((error) => (error ? reject(error as Error) : resolve())));
}

export function authRoutes({ db, csrf, now }: RouteDeps): Router {
  const router = Router();
  const loginLimiter = rateLimit({
    windowMs: 15 * 60_000,
    limit: 10,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    skipSuccessfulRequests: true,
    handler: (req, res) => renderLogin(req, res, 429, 'login.throttled'),
  });

  function renderLogin(req: Request, res: Response, status: number, error: MessageKey | null, username = ''): void {
    res.status(status).set('Cache-Control', 'no-store').render('pages/staff/login', {
      error: error ? localeOf(res).t(error) : null,
      username,
      next: safeNext(req.query.next ?? (req.body as Record<string, unknown> | undefined)?.next),
      csrfToken: csrf.token(req),
    });
  }

  router.get('/login', (req, res) => {
    if (staffOf(res)) return res.redirect(303, safeNext(req.query.next));
    renderLogin(req, res, 200, null);
  });

  router.post('/login', loginLimiter, async (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const username = typeof body.username === 'string' ? body.username.trim().toLowerCase() : '';
    const password = typeof body.password === 'string' ? body.password : '';
    const user = username ? await findUserByUsername(db, username) : undefined;
    // Verify even for unknown users so the answer takes as long either way.
    const ok = await verifyPassword(user?.password_hash ?? (await dummyPasswordHash()), password);
    if (!user || !ok || user.active !== 1) {
      await audit(db, { at: now().toISOString(), userId: user?.id ?? null, action: 'login.failed', subject: username.slice(0, 40) });
      return renderLogin(req, res, 401, 'login.failed', username);
    }
    await regenerate(req);
    req.session.userId = user.id;
    await save(req);
    await recordLogin(db, user.id, now().toISOString());
    await audit(db, { at: now().toISOString(), userId: user.id, action: 'login', subject: user.username });
    res.redirect(303, safeNext(body.next));
  });

  router.post('/logout', async (req, res) => {
    await new Promise<void>((resolve) => req.session.destroy(() => resolve()));
    res.clearCookie('sipas.sid');
    res.redirect(303, `/login${localeOf(res).langQuery}`);
  });

  function renderSetup(req: Request, res: Response, status: number, errors: MessageKey[], values: Record<string, string> = {}): void {
    const { t } = localeOf(res);
    res.status(status).set('Cache-Control', 'no-store').render('pages/staff/setup', {
      errors: errors.map((e) => t(e)),
      values: { username: values.username ?? '', displayName: values.displayName ?? '' },
      csrfToken: csrf.token(req),
      passwordMin: PASSWORD_MIN,
    });
  }

  router.get('/setup/:token', async (req, res) => {
    if (!(await setupTokenValid(db, req.params.token))) return renderError(res, 404, 'setup.title', 'setup.invalid');
    renderSetup(req, res, 200, []);
  });

  router.post('/setup/:token', async (req, res) => {
    const token = String(req.params.token);
    if (!(await setupTokenValid(db, token))) return renderError(res, 404, 'setup.title', 'setup.invalid');
    const body = (req.body ?? {}) as Record<string, unknown>;
    const str = (k: string) => (typeof body[k] === 'string' ? (body[k]) : '');
    const username = str('username').trim().toLowerCase();
    const displayName = str('display_name').trim().normalize('NFC');
    const password = str('password');
    const errors: MessageKey[] = [];
    if (!USERNAME_PATTERN.test(username)) errors.push('setup.error.username');
    if (displayName === '' || displayName.length > 100) errors.push('setup.error.name');
    if (password.length < PASSWORD_MIN || password.length > PASSWORD_MAX) errors.push('setup.error.password');
    else if (password !== str('password_again')) errors.push('setup.error.mismatch');
    if (errors.length > 0) return renderSetup(req, res, 422, errors, { username, displayName });

    const at = now().toISOString();
    const id = await createUser(db, { username, displayName, passwordHash: await hashPassword(password), role: 'admin', unitId: null }, at);
    await consumeSetupToken(db);
    await audit(db, { at, userId: id, action: 'user.create', subject: username, detail: 'first administrator via setup link' });
    await regenerate(req);
    req.session.userId = id;
    await save(req);
    res.redirect(303, '/dashboard');
  });

  return router;
}
