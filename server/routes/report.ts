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
import { listAlerts } from '../../db/queries/alerts.ts';
import { loadFollowUps } from '../alerts/after-fix.ts';
import { presentAlertCard } from '../presenters/alert-page.ts';

/** Alerts not yet closed a printed report lists at most (newest first). */
const REPORT_ALERTS = 100;

export function reportRoutes({ db, now, config }: RouteDeps): Router {
  const minN = config.minResponses;
  const router = Router();

  router.get('/report', requireStaffPage, async (req, res) => {
    const staff = staffOf(res);
    const { lang, t, langQuery } = localeOf(res);
    const resolved = await resolveReportRequest(db, req.query, { kind: 'staff', staff }, localDay(now()));
    if (!resolved.ok) return renderRefusal(res, resolved);
    const { ctx, filters, filter, allowedUnits, scopeUnitId, today } = resolved.request;
    const previous = comparisonPeriod(filters.period, comparisonMonths(filters.preset));
    // Comments stay off paper: the report is handed round at meetings.
    const [report, alerts] = await Promise.all([
      dashboardReport(db, ctx, filter, { minN, includeHiddenComments: false, previous, today }),
      // The alerts not yet closed in the report's units, with what was done and the figure after (issue 22).
      listAlerts(db, { unitIds: filter.unitIds, statuses: ['open', 'acknowledged'], limit: REPORT_ALERTS }),
    ]);
    const followUps = await loadFollowUps(db, ctx, alerts, today, minN);
    const alertCards = alerts.map((a) => presentAlertCard(a, { ctx, lang, t, langQuery, may: () => false, followUps, page: 1, withForms: false }));
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
    res.render('pages/staff/report', { view: { ...view, alerts: alertCards } });
  });

  return router;
}
