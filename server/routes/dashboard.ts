/** /dashboard for staff: indicators against targets for the filters in the URL, within the user's scope. */
import { Router } from 'express';
import { comparisonPeriod } from '../../analytics/periods.ts';
import { localDay } from '../../analytics/time.ts';
import { requireStaffPage, staffOf } from '../auth/middleware.ts';
import type { Staff } from '../auth/scope.ts';
import { localeOf } from '../middleware/locale.ts';
import { presentDashboard } from '../presenters/dashboard.ts';
import { UNIT_SEARCH_PARAM, unitSearchOf } from '../presenters/unit-picker.ts';
import { renderRefusal } from '../render.ts';
import { dashboardReport } from '../reports/dashboard.ts';
import { comparisonMonths, filtersQuery } from '../reports/filters.ts';
import { resolveReportRequest } from '../reports/request.ts';
import type { RouteDeps } from './deps.ts';

export function dashboardRoutes({ db, csrf, now, config }: RouteDeps): Router {
  const minN = config.minResponses;
  const router = Router();

  router.get('/dashboard', requireStaffPage, async (req, res) => {
    const staff = staffOf(res) as Staff;
    const { lang, t } = localeOf(res);
    const resolved = await resolveReportRequest(db, req.query, { kind: 'staff', staff }, localDay(now()));
    if (!resolved.ok) return renderRefusal(res, resolved);
    const { ctx, filters, filter, allowedUnits, includeHiddenComments, today } = resolved.request;
    const previous = comparisonPeriod(filters.period, comparisonMonths(filters.preset));
    const report = await dashboardReport(db, ctx, filter, { minN, includeHiddenComments, previous, today });
    const query = filtersQuery(filters, ctx, lang).toString();
    const view = presentDashboard({
      report,
      filters,
      ctx,
      staff,
      allowedUnits,
      lang,
      t,
      minN,
      csrfToken: csrf.token(req, res),
      unitSearch: unitSearchOf(req.query[UNIT_SEARCH_PARAM]),
      query,
      today,
    });
    res.set('Cache-Control', 'no-store').render('pages/staff/dashboard', { view });
  });

  return router;
}
