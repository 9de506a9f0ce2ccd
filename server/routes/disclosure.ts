/**
 * /cong-khai: the results made public, as the plan behind the targets asks ("công khai, minh bạch").
 * No login and no cookie, so a proxy or the browser may keep it for five minutes.
 */
import { Router } from 'express';
import { localDay } from '../../analytics/time.ts';
import { localeOf } from '../middleware/locale.ts';
import { presentDisclosure } from '../presenters/disclosure.ts';
import { loadReportContext } from '../reports/context.ts';
import { disclosureReport } from '../reports/disclosure.ts';
import type { RouteDeps } from './deps.ts';

export function disclosureRoutes({ db, now, config }: RouteDeps): Router {
  const router = Router();
  router.get('/cong-khai', async (_req, res) => {
    const { lang, t } = localeOf(res);
    const today = localDay(now());
    const [periods, ctx] = await Promise.all([disclosureReport(db, today, config.minResponses), loadReportContext(db)]);
    const view = presentDisclosure({ periods, ctx, lang, t, minN: config.minResponses, today });
    res.set('Cache-Control', 'public, max-age=300').render('pages/public/disclosure', { view });
  });
  return router;
}
