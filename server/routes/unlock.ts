/**
 * /unlock/:token: the one-time sign-in unlock link an administrator hands to an official kept out of
 * a new phone or computer. Anyone who knows a user name can make that account wait on every browser
 * where it never signed in (auth/throttle.ts); opened on the new device, this link marks its browser
 * as one where the account signs in (auth/known-browser.ts), so that browser is counted on its own
 * from then on and others' failures no longer make it wait. It sets no password and signs nobody in:
 * the owner still signs in with their password. Opening the link (GET) only shows a button, so a
 * chat app that fetches the link for a preview does not use it; the button's POST (CSRF-checked like
 * every staff form) uses it, once, within a day, for an active account.
 */
import { type Response, Router } from 'express';
import { findValidUnlockLink, type ValidUnlockLink } from '../../db/queries/unlock-links.ts';
import { linkHash, useUnlockLink } from '../accounts/links.ts';
import { signInFlow } from '../auth/sign-in.ts';
import { SignInThrottle } from '../auth/throttle.ts';
import { localeOf } from '../middleware/locale.ts';
import { withoutForm } from '../middleware/staff-frame.ts';
import { renderError } from '../middleware/render.ts';
import type { RouteDeps } from './deps.ts';

export function unlockRoutes({ db, config, secret, now }: RouteDeps): Router {
  const router = Router();
  const signIn = signInFlow(secret, config.baseUrl);
  const throttle = new SignInThrottle(db, secret, now);

  const linkOf = (token: string) => findValidUnlockLink(db, linkHash(token), now().toISOString());

  function render(res: Response, link: ValidUnlockLink, done: boolean): void {
    const { t } = localeOf(res);
    if (done) {
      // The last word draws no form (no token, no form cookie) but is no more to be kept than the button.
      withoutForm(res);
      res.set('Cache-Control', 'no-store');
    }
    res.status(200).render('pages/staff/unlock', {
      heading: done ? t('unlock.done.title') : t('unlock.title'),
      body: done ? t('unlock.done', { username: link.username }) : t('unlock.body', { name: link.displayName, username: link.username }),
      done,
    });
  }

  router.get('/unlock/:token', async (req, res) => {
    const link = await linkOf(req.params.token);
    if (!link) return renderError(res, 404, 'unlock.invalid.title', 'unlock.invalid');
    render(res, link, false);
  });

  router.post('/unlock/:token', async (req, res) => {
    const link = await linkOf(String(req.params.token));
    if (!link) return renderError(res, 404, 'unlock.invalid.title', 'unlock.invalid');
    const at = now().toISOString();
    // Two tabs sending the same link: only the first unlocks.
    if (!(await useUnlockLink(db, link, at)).ok) return renderError(res, 404, 'unlock.invalid.title', 'unlock.invalid');
    const browser = signIn.browsers.remember(req, res, link.username);
    // The owner's own earlier typos on this browser are forgiven too; the account's count stays.
    await throttle.unlocked(link.username, browser.id);
    render(res, link, true);
  });

  return router;
}
