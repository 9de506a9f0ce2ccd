import { Router } from 'express';
import { findDeskByShortCode } from '../../db/queries/desks.ts';
import { groupShortCode, readShortCode, SHORT_CODE_LENGTH } from '../../db/short-codes.ts';
import { localeOf } from '../middleware/locale.ts';
import type { RouteDeps } from './deps.ts';

/** The home page's box: the desk's short code, as printed under its QR code (`/?ma=7K3M-9PXA`). */
const CODE_PARAM = 'ma';
/** A whole address pasted in fits; anything longer is not a code. */
const CODE_MAX = 200;

/**
 * Pages anyone may see without a QR code or an account. The home page is where a citizen lands from
 * a wrong QR code's "Về trang chủ": it says what this is, how to reach a desk's form (the box takes the
 * short code printed under the QR code and opens the desk's form, issue 21), where the public results
 * are, and keeps staff sign-in to a small link.
 */
export function homeRoutes({ config, db }: RouteDeps): Router {
  const router = Router();
  router.get('/', async (req, res) => {
    const { t, lang, langQuery } = localeOf(res);
    const raw = req.query[CODE_PARAM];
    const typed = typeof raw === 'string' ? raw.slice(0, CODE_MAX) : null;
    let error: string | null = null;
    let status = 200;
    if (typed !== null) {
      const code = readShortCode(typed);
      const desk = code === null ? undefined : await findDeskByShortCode(db, code);
      // The same address as the one printed: the form opens there, and its links stay on it.
      if (code !== null && desk) return res.redirect(303, `/q/${code}${langQuery}`);
      if (code === null) {
        status = 422;
        error = t(typed.trim() === '' ? 'home.code.empty' : 'home.code.malformed', { length: SHORT_CODE_LENGTH });
      } else {
        status = 404;
        error = t('home.code.unknown', { code: groupShortCode(code) });
      }
    }
    res.status(status).render('pages/public/home', {
      view: {
        // What the poster prints under each QR code, up to the desk's own part.
        codePrefix: `${config.baseUrl}/q/`,
        codeExample: `${config.baseUrl}/q/${groupShortCode('7K3M9PXA')}`,
        codeParam: CODE_PARAM,
        codeValue: typed ?? '',
        codeError: error,
        lang,
        resultsHref: `/cong-khai${langQuery}`,
        loginHref: `/login${langQuery}`,
      },
    });
  });
  return router;
}
