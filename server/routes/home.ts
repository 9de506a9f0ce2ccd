import { Router } from 'express';
import { localeOf } from '../middleware/locale.ts';
import type { RouteDeps } from './deps.ts';

/**
 * Pages anyone may see without a QR code or an account. The home page is where a citizen lands from
 * a wrong QR code's "Về trang chủ": it says what this is, how to reach a desk's form, where the
 * public results are, and keeps staff sign-in to a small link.
 */
export function homeRoutes({ config }: RouteDeps): Router {
  const router = Router();
  router.get('/', (_req, res) => {
    const { langQuery } = localeOf(res);
    res.render('pages/public/home', {
      view: {
        // What the poster prints under each QR code, up to the desk's own part.
        codePrefix: `${config.baseUrl}/q/`,
        resultsHref: `/cong-khai${langQuery}`,
        loginHref: `/login${langQuery}`,
      },
    });
  });
  return router;
}
