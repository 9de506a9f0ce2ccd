/** /dashboard for staff: indicators against targets for the filters in the URL, within the user's scope. */
import { Router } from 'express';
import { comparisonPeriod } from '../../analytics/periods.ts';
import { localDay } from '../../analytics/time.ts';
import { staffOf } from '../auth/middleware.ts';
import { localeOf } from '../middleware/locale.ts';
import { presentDashboard, presentRefusedDashboard } from '../presenters/dashboard.ts';
import { UNIT_SEARCH_PARAM, unitSearchOf } from '../presenters/unit-picker.ts';
import { renderRefusal } from '../middleware/render.ts';
import { dashboardReport } from '../figures/dashboard.ts';
import { comparisonMonths, filtersQuery, keptFilters } from '../figures/filters.ts';
import { resolveReportRequest } from '../figures/request.ts';
import { firstDayFacts } from '../../db/queries/first-day.ts';
import { presentFirstDay } from '../presenters/first-day.ts';
import { listAlerts } from '../../db/queries/alerts.ts';
import { OPEN_ALERTS_READ, presentAlertsCard } from '../presenters/alert-page.ts';
import type { RouteDeps } from './deps.ts';

export function dashboardRoutes({ db, now, config }: RouteDeps): Router {
  const minN = config.minResponses;
  const router = Router();

  router.get('/dashboard', async (req, res) => {
    const staff = staffOf(res);
    const { lang, t, langQuery } = localeOf(res);
    const day = localDay(now());
    const resolved = await resolveReportRequest(db, req.query, { kind: 'staff', staff }, day, 'person');
    if (!resolved.ok && resolved.status === 400) {
      // Bad filters: the dashboard again, the message next to the field, the filters as they were sent.
      const view = presentRefusedDashboard({
        kept: keptFilters(req.query, day, resolved.ctx),
        error: { field: resolved.field, text: t(resolved.message, resolved.params) },
        ctx: resolved.ctx,
        staff,
        allowedUnits: resolved.allowedUnits,
        lang,
        t,
        today: day,
        unitSearch: unitSearchOf(req.query[UNIT_SEARCH_PARAM]),
      });
      return res.status(400).render('pages/staff/dashboard', { view });
    }
    if (!resolved.ok) return renderRefusal(res, resolved);
    const { ctx, filters, filter, allowedUnits, includeHiddenComments, today, scopeUnitId } = resolved.request;
    const previous = comparisonPeriod(filters.period, comparisonMonths(filters.preset));
    const [report, firstDay, openAlerts] = await Promise.all([
      dashboardReport(db, ctx, filter, { minN, includeHiddenComments, previous, today }),
      // The first day (issue 21): while the person's scope has never had a response, next steps above the empty cards.
      firstDayFacts(db, allowedUnits),
      // Open alerts of the units the dashboard covers (issue 22): one read on alerts_status_opened.
      listAlerts(db, { unitIds: filter.unitIds, statuses: ['open'], limit: OPEN_ALERTS_READ }),
    ]);
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
      unitSearch: unitSearchOf(req.query[UNIT_SEARCH_PARAM]),
      query,
      today,
      scopeUnitId,
    });
    const alerts = presentAlertsCard(openAlerts, ctx, lang, t, langQuery);
    res.render('pages/staff/dashboard', { view: { ...view, firstDay: presentFirstDay(firstDay, staff, lang, t, langQuery), alerts } });
  });

  return router;
}
