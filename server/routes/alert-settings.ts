/**
 * /canh-bao/cai-dat: where alerts go (issue 22): whether email is on, the webhooks of the person's
 * scope (administrators: the province's and every unit's; managers: their own units'; viewers: 403)
 * with Add, Disable/Enable, Delete and "Gửi thử", and the delivery log. A new webhook's secret is
 * shown once, in the answer to the POST that made it (never in a session or a redirect), like a
 * set-password link (routes/admin/users.ts). The route parses (alert-settings.schema.ts), calls one
 * command of server/alerts/webhook-settings.ts and hands the result to presenters/webhooks.ts.
 */
import { type Response, Router } from 'express';
import { listUnits } from '../../db/queries/units.ts';
import { listWebhooks, recentDeliveries } from '../../db/queries/webhooks.ts';
import { createWebhook, deleteWebhook, pingWebhook, setWebhookEnabled } from '../alerts/webhook-settings.ts';
import { staffOf } from '../auth/middleware.ts';
import { authorize, managedUnitIds } from '../auth/permissions.ts';
import type { MessageKey } from '../i18n/index.ts';
import { setFlash } from '../middleware/flash.ts';
import { localeOf } from '../middleware/locale.ts';
import { renderError } from '../middleware/render.ts';
import { presentWebhookPage, tryResult } from '../presenters/webhooks.ts';
import { renderStaffPage } from './admin/page.ts';
import type { RouteDeps } from './deps.ts';
import { idParam } from './form-schema.ts';
import { WebhookActiveSchema, WebhookFormSchema, WebhookParamsSchema } from './alert-settings.schema.ts';

const PAGE = '/canh-bao/cai-dat';
/** Deliveries shown in the log. */
const LOG_SHOWN = 50;

export function alertSettingsRoutes({ db, config, now }: RouteDeps): Router {
  const router = Router();

  // The section admits every member of staff (sections.ts); this page only administrators and managers.
  router.use(PAGE, (req, res, next) => {
    if (!authorize(staffOf(res), 'configureAlerts', null)) return renderError(res, 403);
    next();
  });

  async function renderSettings(res: Response, form: { url: string; unit: string; error: MessageKey | null }, status = 200): Promise<void> {
    const { t, lang, langQuery } = localeOf(res);
    const staff = staffOf(res);
    const units = await listUnits(db);
    const managed = managedUnitIds(staff, units);
    const [hooks, deliveries] = await Promise.all([listWebhooks(db, managed), recentDeliveries(db, managed, LOG_SHOWN)]);
    const view = presentWebhookPage(
      {
        smtpUrl: config.smtpUrl,
        isAdmin: authorize(staff, 'configureAlerts', { unitId: null, units }),
        hooks,
        deliveries,
        units: units.filter((u) => u.active === 1 && (managed === null || managed.includes(u.id))),
        form,
      },
      t,
      lang,
      langQuery,
    );
    renderStaffPage(res, 'pages/staff/alert-settings', { title: t('webhooks.title'), section: 'alerts', status }, view);
  }

  router.get(PAGE, async (_req, res) => {
    const staff = staffOf(res);
    await renderSettings(res, { url: '', unit: staff.role === 'admin' || staff.unitId === null ? '' : String(staff.unitId), error: null });
  });

  router.post(`${PAGE}/webhooks`, async (req, res) => {
    const { t, langQuery } = localeOf(res);
    const parsed = WebhookFormSchema.safeParse(req.body ?? {});
    const form = parsed.success ? parsed.data : { url: '', unit: '' };
    const unit = form.unit === '' ? null : idParam.safeParse(form.unit);
    if (unit !== null && !unit.success) return renderError(res, 400);
    const created = await createWebhook(db, staffOf(res), { url: form.url, unitId: unit === null ? null : unit.data }, now().toISOString(), {
      allowLoopback: config.webhookAllowLoopback,
    });
    if (!created.ok) {
      if (created.status === 422) return renderSettings(res, { ...form, error: created.problem }, 422);
      return renderError(res, created.status);
    }
    // The secret, once: in this answer (no-store, like every staff answer), never in the session.
    renderStaffPage(res, 'pages/staff/alert-webhook-created', { title: t('webhooks.created.title'), section: 'alerts' }, {
      message: t('webhooks.created.body', { url: form.url }),
      secret: created.secret,
      next: `${PAGE}${langQuery}`,
    });
  });

  router.post(`${PAGE}/webhooks/:id/active`, async (req, res) => {
    const params = WebhookParamsSchema.safeParse(req.params);
    if (!params.success) return renderError(res, 404);
    const body = WebhookActiveSchema.safeParse(req.body ?? {});
    const active = body.success && body.data.active;
    const done = await setWebhookEnabled(db, staffOf(res), params.data.id, active, now().toISOString());
    if (!done.ok) return renderError(res, done.status);
    setFlash(req, active ? 'webhooks.enabled' : 'webhooks.disabled', { url: done.hook.url });
    res.redirect(303, `${PAGE}${localeOf(res).langQuery}`);
  });

  router.post(`${PAGE}/webhooks/:id/delete`, async (req, res) => {
    const params = WebhookParamsSchema.safeParse(req.params);
    if (!params.success) return renderError(res, 404);
    const done = await deleteWebhook(db, staffOf(res), params.data.id, now().toISOString());
    if (!done.ok) return renderError(res, done.status);
    setFlash(req, 'webhooks.deleted', { url: done.hook.url });
    res.redirect(303, `${PAGE}${localeOf(res).langQuery}`);
  });

  router.post(`${PAGE}/webhooks/:id/ping`, async (req, res) => {
    const { t, langQuery } = localeOf(res);
    const params = WebhookParamsSchema.safeParse(req.params);
    if (!params.success) return renderError(res, 404);
    const sent = await pingWebhook(db, staffOf(res), params.data.id, { now, allowLoopback: config.webhookAllowLoopback });
    if (!sent.ok) return sent.status === 409 ? renderError(res, 409, 'error.409.title', 'webhooks.ping.inactive') : renderError(res, sent.status);
    const result = tryResult({ status_code: sent.statusCode, error: sent.error }, t);
    if (sent.delivered) setFlash(req, 'webhooks.ping.ok', { url: sent.url, result });
    else setFlash(req, 'webhooks.ping.failed', { url: sent.url, result }, 'error');
    res.redirect(303, `${PAGE}${langQuery}`);
  });

  return router;
}
