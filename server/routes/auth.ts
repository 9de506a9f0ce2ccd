/**
 * /login, /logout and the one-time /setup/:token for the first administrator. The forms are parsed
 * by auth.schema.ts; a sign-in's count and audit entry are written together (auth/sign-in.ts), and
 * the first administrator is one command (auth/setup.ts).
 */
import { type Request, type Response, Router } from 'express';
import { findUserByUsername } from '../../db/queries/users.ts';
import { PASSWORD_MIN, type PasswordProblem } from '../auth/password-strength.ts';
import { dummyPasswordHash, verifyPassword } from '../auth/passwords.ts';
import { setUpFirstAdministrator, setupTokenValid } from '../auth/setup.ts';
import { recordFailedSignIn, recordSignIn, signInFlow } from '../auth/sign-in.ts';
import { type AttemptKeys, SignInThrottle } from '../auth/throttle.ts';
import { localeOf } from '../middleware/locale.ts';
import { renderError } from '../middleware/render.ts';
import { LoginFormSchema, SetupFormSchema } from './auth.schema.ts';
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
    const form = LoginFormSchema.safeParse(req.body ?? {});
    res.status(status).render('pages/staff/login', {
      error,
      hint,
      username,
      next: safeNext(req.query.next ?? (form.success ? form.data.next : undefined)),
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
    const parsed = LoginFormSchema.safeParse(req.body ?? {});
    const { username, password, next } = parsed.success ? parsed.data : { username: '', password: '', next: undefined };
    const browser = signIn.browsers.read(req);
    const keys = throttle.keysOf(username, req.ip ?? '', browser?.usernames.includes(username) ? browser.id : null);
    await throttle.oneAtATime(keys, () => attempt(req, res, next, username, password, keys));
  });

  async function attempt(req: Request, res: Response, next: unknown, username: string, password: string, keys: AttemptKeys): Promise<void> {
    const wait = await throttle.wait(keys);
    if (wait > 0) return renderThrottled(req, res, wait, username, keys.browser !== null);

    const user = username ? await findUserByUsername(db, username) : undefined;
    // Verify even for unknown users so the answer takes as long either way.
    const ok = await verifyPassword(user?.password_hash ?? (await dummyPasswordHash()), password);
    if (!user || !ok || user.active !== 1) {
      await recordFailedSignIn(db, throttle, { keys, username, userId: user?.id ?? null }, now().toISOString());
      return renderLogin(req, res, 401, localeOf(res).t('login.failed'), username);
    }
    // Wrong guesses sent in the same burst and checked meanwhile count too: a right one among them is not revealed.
    const late = await throttle.wait(keys);
    if (late > 0) return renderThrottled(req, res, late, username, keys.browser !== null);
    await recordSignIn(db, throttle, { keys, user }, now().toISOString());
    await signIn.start(req, res, user);
    res.redirect(303, safeNext(next));
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
    const parsed = SetupFormSchema.safeParse(req.body ?? {});
    const form = parsed.success ? parsed.data : SetupFormSchema.parse({});
    const input = { username: form.username, displayName: form.display_name, password: form.password, passwordAgain: form.password_again };
    const created = await setUpFirstAdministrator(db, token, input, now().toISOString());
    if (!created.ok && created.status === 422) return renderSetup(req, res, 422, created.problems, { username: input.username, displayName: input.displayName });
    // Another request with a setup link created the administrator first.
    if (!created.ok) return renderError(res, 404, 'setup.title', 'setup.invalid');
    await signIn.start(req, res, { id: created.id, username: form.username });
    res.redirect(303, '/dashboard');
  });

  return router;
}
