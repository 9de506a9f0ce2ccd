/**
 * /set-password/:token: the one-time link an administrator hands to a new colleague (or to one who
 * forgot their password). It sets the password, signs every old session of the account out, and
 * signs the person in. The link works once, for a few days, and only for an active account.
 */
import { createHash } from 'node:crypto';
import { type Request, type Response, Router } from 'express';
import { audit } from '../../db/queries/audit.ts';
import { consumePasswordLink, findValidPasswordLink, type ValidPasswordLink } from '../../db/queries/password-links.ts';
import { deleteSessionsOfUser } from '../../db/queries/sessions.ts';
import { setPasswordHash } from '../../db/queries/users.ts';
import { newPasswordProblems, PASSWORD_MIN, type PasswordProblem } from '../auth/password-strength.ts';
import { hashPassword } from '../auth/passwords.ts';
import { signInFlow } from '../auth/sign-in.ts';
import { localeOf } from '../middleware/locale.ts';
import { renderError } from '../middleware/render.ts';
import type { RouteDeps } from './deps.ts';

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

export function setPasswordRoutes({ db, config, secret, now }: RouteDeps): Router {
  const router = Router();
  const signIn = signInFlow(secret, config.baseUrl);

  const linkOf = (token: string) => findValidPasswordLink(db, sha256(token), now().toISOString());

  function renderForm(req: Request, res: Response, link: ValidPasswordLink, errors: PasswordProblem[], status = 200): void {
    const { t } = localeOf(res);
    res.status(status).render('pages/staff/set-password', {
      heading: link.purpose === 'invite' ? t('password.invite.title') : t('password.reset.title'),
      body: t('password.body', { name: link.displayName, username: link.username }),
      errors: errors.map((e) => t(e.key, e.params)),
      passwordMin: PASSWORD_MIN,
      passwordHint: t('password.hint'),
    });
  }

  router.get('/set-password/:token', async (req, res) => {
    const link = await linkOf(req.params.token);
    if (!link) return renderError(res, 404, 'password.invalid.title', 'password.invalid');
    renderForm(req, res, link, []);
  });

  router.post('/set-password/:token', async (req, res) => {
    const link = await linkOf(String(req.params.token));
    if (!link) return renderError(res, 404, 'password.invalid.title', 'password.invalid');
    const body = (req.body ?? {}) as Record<string, unknown>;
    const password = typeof body.password === 'string' ? body.password : '';
    const errors: PasswordProblem[] = [];
    errors.push(...newPasswordProblems(password, { username: link.username, displayName: link.displayName }));
    if (errors.length === 0 && password !== body.password_again) errors.push({ key: 'setup.error.mismatch' });
    if (errors.length > 0) return renderForm(req, res, link, errors, 422);
    const at = now().toISOString();
    // Two tabs sending the same link: only the first sets the password.
    if (!(await consumePasswordLink(db, link.id, at))) return renderError(res, 404, 'password.invalid.title', 'password.invalid');
    await setPasswordHash(db, link.userId, await hashPassword(password));
    await deleteSessionsOfUser(db, link.userId);
    await audit(db, { at, userId: link.userId, action: link.purpose === 'invite' ? 'user.password.set' : 'user.password.reset', subject: link.username });
    await signIn.start(req, res, { id: link.userId, username: link.username });
    res.redirect(303, `/dashboard${localeOf(res).langQuery}`);
  });

  return router;
}
