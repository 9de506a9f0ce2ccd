/** /login, /logout and the one-time /setup/:token for the first administrator. */
import { type Request, type Response, Router } from 'express';
import { audit } from '../../db/queries/audit.ts';
import { findUserByUsername, recordLogin } from '../../db/queries/users.ts';
import { newPasswordProblems, PASSWORD_MIN, type PasswordProblem } from '../auth/password-strength.ts';
import { dummyPasswordHash, hashPassword, USERNAME_PATTERN, verifyPassword } from '../auth/passwords.ts';
import { createAdministratorWithLink, setupTokenValid } from '../auth/setup.ts';
import { signInFlow } from '../auth/sign-in.ts';
import { type AttemptKeys, SignInThrottle } from '../auth/throttle.ts';
import { localeOf } from '../middleware/locale.ts';
import { renderError } from '../middleware/render.ts';
import type { MessageKey } from '../i18n/index.ts';
import type { RouteDeps } from './deps.ts';

/** Only a path on this site: never an absolute URL (open redirect). */
function safeNext(value: unknown): string {
  return typeof value === 'string' && value.startsWith('/') && !value.startsWith('//') && !value.startsWith('/\\') ? value : '/dashboard';
}

export function authRoutes({ db, config, secret, now }: RouteDeps): Router {
  const router = Router();
  const throttle = new SignInThrottle(db, secret, now);
  const signIn = signInFlow(secret, config.baseUrl);

  function renderLogin(req: Request, res: Response, status: number, error: string | null, username = '', hint: string | null = null): void {
    res.status(status).render('pages/staff/login', {
      error,
      hint,
      username,
      next: safeNext(req.query.next ?? (req.body as Record<string, unknown> | undefined)?.next),
    });
  }

  /**
   * 429 with the wait: the password was not checked, so this was not a guess. A browser not known to
   * the account is told how its owner gets in anyway (an older browser, or an unlock link). That
   * hint depends only on this browser's cookie, never on whether the account exists, so the page
   * tells no more than before: any user name, real or not, is answered alike.
   */
  function renderThrottled(req: Request, res: Response, seconds: number, username: string, knownBrowser: boolean): void {
    res.set('Retry-After', String(seconds));
    const { t } = localeOf(res);
    renderLogin(req, res, 429, t('login.throttled', { minutes: Math.ceil(seconds / 60) }), username, knownBrowser ? null : t('login.throttled.new.browser'));
  }

  router.get('/login', (req, res) => {
    if (res.locals.staff) return res.redirect(303, safeNext(req.query.next));
    renderLogin(req, res, 200, null);
  });

  router.post('/login', async (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const username = typeof body.username === 'string' ? body.username.trim().toLowerCase().slice(0, 100) : '';
    const password = typeof body.password === 'string' ? body.password : '';
    const browser = signIn.browsers.read(req);
    const keys = throttle.keysOf(username, req.ip ?? '', browser?.usernames.includes(username) ? browser.id : null);
    await throttle.oneAtATime(keys, () => attempt(req, res, body, username, password, keys));
  });

  async function attempt(req: Request, res: Response, body: Record<string, unknown>, username: string, password: string, keys: AttemptKeys): Promise<void> {
    const wait = await throttle.wait(keys);
    if (wait > 0) return renderThrottled(req, res, wait, username, keys.browser !== null);

    const user = username ? await findUserByUsername(db, username) : undefined;
    // Verify even for unknown users so the answer takes as long either way.
    const ok = await verifyPassword(user?.password_hash ?? (await dummyPasswordHash()), password);
    if (!user || !ok || user.active !== 1) {
      await throttle.failed(keys);
      await audit(db, { at: now().toISOString(), userId: user?.id ?? null, action: 'login.failed', subject: username.slice(0, 40) });
      return renderLogin(req, res, 401, localeOf(res).t('login.failed'), username);
    }
    // Wrong guesses sent in the same burst and checked meanwhile count too: a right one among them is not revealed.
    const late = await throttle.wait(keys);
    if (late > 0) return renderThrottled(req, res, late, username, keys.browser !== null);
    await throttle.succeeded(keys);
    await signIn.start(req, res, user);
    await recordLogin(db, user.id, now().toISOString());
    await audit(db, { at: now().toISOString(), userId: user.id, action: 'login', subject: user.username });
    res.redirect(303, safeNext(body.next));
  }

  router.post('/logout', async (req, res) => {
    await new Promise<void>((resolve) => req.session.destroy(() => resolve()));
    res.clearCookie('sipas.sid');
    res.redirect(303, `/login${localeOf(res).langQuery}`);
  });

  function renderSetup(req: Request, res: Response, status: number, errors: PasswordProblem[], values: Record<string, string> = {}): void {
    const { t } = localeOf(res);
    res.status(status).render('pages/staff/setup', {
      errors: errors.map((e) => t(e.key, e.params)),
      values: { username: values.username ?? '', displayName: values.displayName ?? '' },
      passwordMin: PASSWORD_MIN,
      passwordHint: t('password.hint'),
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
    const errors: PasswordProblem[] = [];
    const problem = (key: MessageKey) => errors.push({ key });
    if (!USERNAME_PATTERN.test(username)) problem('setup.error.username');
    if (displayName === '' || displayName.length > 100) problem('setup.error.name');
    const weak = newPasswordProblems(password, { username, displayName });
    errors.push(...weak);
    if (weak.length === 0 && password !== str('password_again')) problem('setup.error.mismatch');
    if (errors.length > 0) return renderSetup(req, res, 422, errors, { username, displayName });

    const at = now().toISOString();
    const id = await createAdministratorWithLink(db, token, { username, displayName, passwordHash: await hashPassword(password) }, at);
    // Another request with a setup link created the administrator first.
    if (id === null) return renderError(res, 404, 'setup.title', 'setup.invalid');
    await audit(db, { at, userId: id, action: 'user.create', subject: username, detail: 'first administrator via setup link' });
    await signIn.start(req, res, { id, username });
    res.redirect(303, '/dashboard');
  });

  return router;
}
