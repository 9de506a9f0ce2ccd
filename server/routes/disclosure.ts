/**
 * /cong-khai: the results made public, as the plan behind the targets asks ("công khai, minh bạch").
 * No login and no cookie, so a proxy or the browser may keep it for five minutes. It shows closed
 * periods only (the last complete month, quarter and year, server/figures/disclosure.ts), so the
 * figures are the same on every day of a month and nothing is learnt by comparing two days; and each
 * period's figures are stored the first time they are shown and shown as stored from then on, so a late
 * paper form or a response released from review changes the staff pages and the API, never a figure
 * already published.
 * /cong-khai.csv gives the same figures as a file, for anyone, withheld ones without a number.
 */
import { type Response, Router } from 'express';
import { localeOf } from '../middleware/locale.ts';
import { csvFormat } from '../exports/csv.ts';
import { disclosureCsv, presentDisclosure } from '../presenters/disclosure.ts';
import { loadReportContext } from '../figures/context.ts';
import { disclosureReport } from '../figures/disclosure.ts';
import type { RouteDeps } from './deps.ts';

export function disclosureRoutes({ db, now, config }: RouteDeps): Router {
  const router = Router();
  /** The page's figures, as the page or as CSV (the same view model, so the same figures are withheld). */
  async function view(res: Response) {
    const { lang, t } = localeOf(res);
    const [periods, ctx] = await Promise.all([disclosureReport(db, now(), config.publicMinResponses), loadReportContext(db)]);
    return presentDisclosure({ periods, ctx, lang, t, minN: config.publicMinResponses });
  }
  router.get('/cong-khai', async (_req, res) => {
    res.set('Cache-Control', 'public, max-age=300').render('pages/public/disclosure', { view: await view(res) });
  });
  router.get('/cong-khai.csv', async (req, res) => {
    const text = disclosureCsv(await view(res), csvFormat(req.query.format));
    res
      .set({ 'Content-Type': 'text/csv; charset=utf-8', 'Content-Disposition': 'attachment; filename="cong-khai.csv"', 'Cache-Control': 'public, max-age=300' })
      .send(text);
  });
  return router;
}
