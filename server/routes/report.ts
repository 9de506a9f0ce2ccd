/** GET /report: the dashboard's filters as a document to print for a meeting (A4, no JavaScript). */
import { Router } from 'express';
import { comparisonPeriod } from '../../analytics/periods.ts';
import { localDay } from '../../analytics/time.ts';
import { requireStaffPage, staffOf } from '../auth/middleware.ts';
import { localeOf } from '../middleware/locale.ts';
import { presentReport } from '../presenters/report.ts';
import { renderRefusal } from '../middleware/render.ts';
import { dashboardReport } from '../figures/dashboard.ts';
import { comparisonMonths, filtersQuery } from '../figures/filters.ts';
import { resolveReportRequest } from '../figures/request.ts';
import type { RouteDeps } from './deps.ts';

export function reportRoutes({ db, now, config }: RouteDeps): Router {
  const minN = config.minResponses;
  const router = Router();

  router.get('/report', requireStaffPage, async (req, res) => {
    const staff = staffOf(res);
    const { lang, t } = localeOf(res);
    const resolved = await resolveReportRequest(db, req.query, { kind: 'staff', staff }, localDay(now()));
    if (!resolved.ok) return renderRefusal(res, resolved);
    const { ctx, filters, filter, allowedUnits, scopeUnitId, today } = resolved.request;
    const previous = comparisonPeriod(filters.period, comparisonMonths(filters.preset));
    // Comments stay off paper: the report is handed round at meetings.
    const report = await dashboardReport(db, ctx, filter, { minN, includeHiddenComments: false, previous, today });
    const view = presentReport({
      report,
      filters,
      ctx,
      staff,
      allowedUnits,
      scopeUnitId,
      lang,
      t,
      minN,
      today,
      query: filtersQuery(filters, ctx, lang).toString(),
    });
    res.render('pages/staff/report', { view });
  });

  return router;
}
