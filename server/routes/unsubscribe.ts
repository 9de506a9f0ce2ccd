/**
 * /thu/huy-nhan: the link at the end of every alert email (issue 22). No session and no CSRF token:
 * the signature in the link is the authority (alerts/unsubscribe.ts). GET shows a small public page
 * with one button (a link scanner opening it changes nothing); POST, from that button or from a mail
 * client's one-click unsubscribe, turns the account's emails off and says how to turn them back on.
 * A wrong or cut signature is a 400 that says so.
 */
import { type Request, type Response, Router } from 'express';
import { UNSUBSCRIBE_PATH, unsubscribe, unsubscribeTarget } from '../alerts/unsubscribe.ts';
import { localeOf } from '../middleware/locale.ts';
import type { RouteDeps } from './deps.ts';
import { UnsubscribeQuerySchema } from './unsubscribe.schema.ts';

type State = 'ask' | 'done' | 'bad';

export function unsubscribeRoutes({ db, secret, now }: RouteDeps): Router {
  const router = Router();

  function render(req: Request, res: Response, state: State, username: string): void {
    const { t, langQuery } = localeOf(res);
    const title = state === 'bad' ? t('unsubscribe.bad.title') : state === 'done' ? t('unsubscribe.done.title') : t('unsubscribe.title');
    res
      .status(state === 'bad' ? 400 : 200)
      .set('Cache-Control', 'no-store')
      .render('pages/public/unsubscribe', {
        view: {
          state,
          title,
          lead: state === 'ask' ? t('unsubscribe.lead', { username }) : state === 'done' ? t('unsubscribe.done', { username }) : t('unsubscribe.bad'),
          again: state === 'done' ? t('unsubscribe.again') : null,
          // The form posts to the very link it came from (the signature travels in the query).
          action: req.originalUrl,
          button: t('unsubscribe.button'),
          homeHref: `/${langQuery}`,
          homeText: t('unsubscribe.home'),
        },
      });
  }

  router.get(UNSUBSCRIBE_PATH, async (req, res) => {
    const query = UnsubscribeQuerySchema.safeParse(req.query);
    const target = query.success ? await unsubscribeTarget(db, secret, query.data.u, query.data.sig) : null;
    if (!target?.ok) return render(req, res, 'bad', '');
    render(req, res, 'ask', target.username);
  });

  router.post(UNSUBSCRIBE_PATH, async (req, res) => {
    const query = UnsubscribeQuerySchema.safeParse(req.query);
    const done = query.success ? await unsubscribe(db, secret, query.data.u, query.data.sig, now().toISOString()) : null;
    if (!done?.ok) return render(req, res, 'bad', '');
    render(req, res, 'done', done.username);
  });

  return router;
}
