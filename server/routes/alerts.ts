/**
 * /canh-bao: alerts for staff, scoped like the dashboard (auth/scope.ts: administrators every alert,
 * the province's included; managers and viewers their units'), in three tabs (open, acknowledged,
 * closed), newest first, 50 a page, each with its follow-ups and what the figure did after each.
 * Acknowledging and recording a follow-up are one command each (alerts/commands.ts); a refused
 * follow-up shows the page again with the messages and the typed text (422), nothing written.
 */
import { type NextFunction, type Request, type Response, Router } from 'express';
import { localDay } from '../../analytics/time.ts';
import { listUnits } from '../../db/queries/units.ts';
import { alertsBefore, countAlerts, findAlert, listAlerts } from '../../db/queries/alerts.ts';
import type { AlertStatus } from '../../db/schema.ts';
import { loadFollowUps } from '../alerts/after-fix.ts';
import { acknowledgeAlert, type FollowUpErrors, type FollowUpForm, recordFollowUp } from '../alerts/commands.ts';
import { staffOf } from '../auth/middleware.ts';
import { authorize } from '../auth/permissions.ts';
import { allowedUnitIds, seesAlert } from '../auth/scope.ts';
import { loadReportContext } from '../figures/context.ts';
import { setFlash } from '../middleware/flash.ts';
import { localeOf } from '../middleware/locale.ts';
import { renderError } from '../middleware/render.ts';
import { ALERT_TABS, followUpErrorSummary, presentAlertCard } from '../presenters/alert-page.ts';
import { formatCount } from '../presenters/format.ts';
import { renderStaffPage } from './admin/page.ts';
import { AlertListQuerySchema, AlertParamsSchema, FollowUpFormSchema } from './alerts.schema.ts';
import type { RouteDeps } from './deps.ts';

const PAGE_SIZE = 50;

export function alertRoutes({ db, config, now }: RouteDeps): Router {
  const router = Router();
  const minN = config.minResponses;

  function listHref(tab: AlertStatus, page: number, langQuery: string): string {
    const q = new URLSearchParams();
    if (tab !== 'open') q.set('tab', tab);
    if (page > 1) q.set('page', String(page));
    if (langQuery) q.set('lang', 'en');
    const s = q.toString();
    return `/canh-bao${s ? `?${s}` : ''}`;
  }

  async function renderList(
    res: Response,
    tab: AlertStatus,
    page: number,
    refused?: { alertId: number; form: FollowUpForm; errors: FollowUpErrors },
  ): Promise<void> {
    const { lang, t, langQuery } = localeOf(res);
    const staff = staffOf(res);
    const ctx = await loadReportContext(db);
    const unitIds = allowedUnitIds(staff, ctx.units);
    const [listed, counts] = await Promise.all([
      // One more than a page: whether there is a next one.
      listAlerts(db, { unitIds, statuses: [tab], limit: PAGE_SIZE + 1, offset: (page - 1) * PAGE_SIZE }),
      countAlerts(db, unitIds),
    ]);
    const alerts = listed.slice(0, PAGE_SIZE);
    // The refused form's alert is shown even when it is no longer on this page (it moved, or was closed meanwhile).
    if (refused && !alerts.some((a) => a.id === refused.alertId)) {
      const alert = await findAlert(db, refused.alertId);
      if (alert) alerts.unshift(alert);
    }
    const today = localDay(now());
    const followUps = await loadFollowUps(db, ctx, alerts, today, minN);
    const may = (alert: { unit_id: number | null }) => authorize(staff, 'followUpAlert', { unitId: alert.unit_id, units: ctx.units });
    const cards = alerts.map((alert) => presentAlertCard(alert, { ctx, lang, t, langQuery, may, followUps, page, withForms: true, ...(refused ? { refused } : {}) }));
    renderStaffPage(res, 'pages/staff/alerts', { title: t('alerts.page.title'), section: 'alerts', status: refused ? 422 : 200 }, {
      rules: t('alerts.page.rules', { minN: formatCount(minN, lang) }),
      settings: authorize(staff, 'administer') ? { href: `/canh-bao/cai-dat${langQuery}`, text: t('alerts.page.settings') } : null,
      tabsLabel: t('alerts.page.tabs'),
      tabs: ALERT_TABS.map((id) => ({ href: listHref(id, 1, langQuery), label: `${t(`alerts.page.tab.${id}`)} (${formatCount(counts[id], lang)})`, current: id === tab })),
      empty: cards.length === 0 ? t(`alerts.page.empty.${tab}`) : null,
      errorSummary: refused ? followUpErrorSummary(refused.alertId, refused.errors, t) : null,
      cards,
      pagesLabel: t('alerts.page.pages'),
      previous: page > 1 ? listHref(tab, page - 1, langQuery) : null,
      next: listed.length > PAGE_SIZE ? listHref(tab, page + 1, langQuery) : null,
    });
  }

  router.get('/canh-bao', async (req, res) => {
    const { tab, page } = AlertListQuerySchema.parse(req.query);
    await renderList(res, tab, page);
  });

  /** The alert's number in the path; anything else is another route's (next), or the 404 page. */
  function alertIdOf(req: Request, next: NextFunction): number | null {
    const params = AlertParamsSchema.safeParse({ id: req.params.id });
    if (!params.success) next();
    return params.success ? params.data.id : null;
  }

  // One alert's own address (the emails, the webhooks, the dashboard's card): its card in its tab and page.
  router.get('/canh-bao/:id', async (req, res, next) => {
    const id = alertIdOf(req, next);
    if (id === null) return;
    const { langQuery } = localeOf(res);
    const alert = await findAlert(db, id);
    if (!alert) return renderError(res, 404);
    const unitIds = allowedUnitIds(staffOf(res), await listUnits(db));
    if (!seesAlert(unitIds, alert)) return renderError(res, 403);
    const page = Math.floor((await alertsBefore(db, alert, unitIds)) / PAGE_SIZE) + 1;
    res.redirect(303, `${listHref(alert.status, page, langQuery)}#canh-bao-${id}`);
  });

  router.post('/canh-bao/:id/tiep-nhan', async (req, res, next) => {
    const id = alertIdOf(req, next);
    if (id === null) return;
    const { langQuery } = localeOf(res);
    const done = await acknowledgeAlert(db, staffOf(res), id, now());
    if (!done.ok && done.status === 409) return renderError(res, 409, 'error.409.title', 'alerts.page.error.closed');
    if (!done.ok) return renderError(res, done.status);
    setFlash(req, done.already ? 'alerts.page.done.already' : 'alerts.page.done.acknowledged');
    res.redirect(303, `${listHref('acknowledged', 1, langQuery)}#canh-bao-${id}`);
  });

  router.post('/canh-bao/:id/theo-doi', async (req, res, next) => {
    const id = alertIdOf(req, next);
    if (id === null) return;
    const { t, lang, langQuery } = localeOf(res);
    const parsed = FollowUpFormSchema.safeParse(req.body ?? {});
    if (!parsed.success) return renderError(res, 400);
    const { page, ...form } = parsed.data;
    const done = await recordFollowUp(db, staffOf(res), id, form, now(), t, lang);
    if (!done.ok && done.status === 422) return renderList(res, done.alert.status, page, { alertId: id, form, errors: done.errors });
    if (!done.ok) return renderError(res, done.status);
    setFlash(req, 'alerts.page.done.followup');
    res.redirect(303, `${listHref(done.alert.status, 1, langQuery)}#canh-bao-${id}`);
  });

  return router;
}
