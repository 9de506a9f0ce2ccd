/**
 * /set-password/:token: the one-time link an administrator hands to a new colleague (or to one who
 * forgot their password). It sets the password, signs every old session of the account out, and
 * signs the person in. The link works once, for a few days, and only for an active account. The
 * form is parsed by set-password.schema.ts; the rules and the audit entry are the command's
 * (accounts/links.ts, setPasswordWithLink).
 */
import { type Request, type Response, Router } from 'express';
import { findValidPasswordLink, type ValidPasswordLink } from '../../db/queries/password-links.ts';
import { linkHash, setPasswordWithLink } from '../accounts/links.ts';
import { PASSWORD_MIN, type PasswordProblem } from '../auth/password-strength.ts';
import { signInFlow } from '../auth/sign-in.ts';
import { localeOf } from '../middleware/locale.ts';
import { renderError } from '../middleware/render.ts';
import type { RouteDeps } from './deps.ts';
import { SetPasswordFormSchema } from './set-password.schema.ts';

export function setPasswordRoutes({ db, config, secret, now }: RouteDeps): Router {
  const router = Router();
  const signIn = signInFlow(secret, config.baseUrl);

  const linkOf = (token: string) => findValidPasswordLink(db, linkHash(token), now().toISOString());

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
    const parsed = SetPasswordFormSchema.safeParse(req.body ?? {});
    const form = parsed.success ? parsed.data : { password: '', password_again: '' };
    const set = await setPasswordWithLink(db, link, { password: form.password, passwordAgain: form.password_again }, now().toISOString());
    if (!set.ok && set.status === 422) return renderForm(req, res, link, set.problems, 422);
    // Two tabs sending the same link: only the first sets the password.
    if (!set.ok) return renderError(res, 404, 'password.invalid.title', 'password.invalid');
    await signIn.start(req, res, { id: link.userId, username: link.username });
    res.redirect(303, `/dashboard${localeOf(res).langQuery}`);
  });

  return router;
}
