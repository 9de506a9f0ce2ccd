/**
 * A desk's page (edit, deactivate, rotate its QR codes, register and revoke its counter tablets), its QR code as SVG and
 * PNG encoding exactly the survey URL from BASE_URL, and the printable posters of a unit: one A4
 * page per active desk. Administrators, and managers for desks of their own units.
 */
import { type Request, type Response, Router } from 'express';
import QRCode from 'qrcode';
import { type DeskDetail, findDeskDetail, listDeskDetails } from '../../../db/queries/desks.ts';
import { listKiosks } from '../../../db/queries/kiosks.ts';
import { listQuestionnaires } from '../../../db/queries/questionnaires.ts';
import { listFields, listUnits } from '../../../db/queries/units.ts';
import type { Unit } from '../../../db/schema.ts';
import { staffActor } from '../../accounts/actor.ts';
import { staffOf } from '../../auth/middleware.ts';
import { authorize } from '../../auth/permissions.ts';
import { registerKiosk } from '../../desks/register-kiosk.ts';
import { revokeTablet } from '../../desks/revoke-kiosk.ts';
import { rotateDesk } from '../../desks/rotate-desk.ts';
import { type DeskFormValues, saveDesk } from '../../desks/save-desk.ts';
import { listAlerts } from '../../../db/queries/alerts.ts';
import { localDay } from '../../../analytics/time.ts';
import { loadFollowUps } from '../../alerts/after-fix.ts';
import { loadReportContext } from '../../figures/context.ts';
import { presentAlertCard } from '../../presenters/alert-page.ts';
import { setDeskActivity } from '../../desks/set-desk-active.ts';
import { setFlash } from '../../middleware/flash.ts';
import { localeOf } from '../../middleware/locale.ts';
import { renderError } from '../../middleware/render.ts';
import { presentDeskPage, presentKioskRevocation, presentPosters, presentRotateConfirmation } from '../../presenters/admin/desks.ts';
import { deskShortUrl, deskSurveyUrl, tabletUrl } from '../../tokens/urls.ts';
import type { RouteDeps } from '../deps.ts';
import { ActiveFormSchema, DeskFormSchema, DeskParamsSchema, KioskFormSchema, KioskParamsSchema } from './desks.schema.ts';
import type { FormErrors } from '../form-schema.ts';
import { renderStaffPage } from './page.ts';

/** Error correction Q survives a scratched or partly covered poster; 4 modules of quiet zone, as the standard asks. */
const QR_OPTIONS = { errorCorrectionLevel: 'Q', margin: 4 } as const;
/** 6 cm at 300 dots per inch. */
const PRINT_PIXELS = Math.ceil((6 / 2.54) * 300);

/** A BASE_URL a phone cannot reach: a poster printed with it would never work. */
export function isLocalAddress(baseUrl: string): boolean {
  const host = new URL(baseUrl).hostname;
  return host === 'localhost' || host.endsWith('.localhost') || host === '[::1]' || /^127\./.test(host) || host === '0.0.0.0';
}

export function adminDeskRoutes({ db, config, secret, now }: RouteDeps): Router {
  const router = Router();

  async function deskOr404(req: Request, res: Response): Promise<{ desk: DeskDetail; unit: Unit; units: Unit[] } | null> {
    const params = DeskParamsSchema.safeParse({ id: req.params.id });
    const desk = params.success ? await findDeskDetail(db, params.data.id) : undefined;
    const units = await listUnits(db);
    const unit = desk ? units.find((u) => u.id === desk.unitId) : undefined;
    if (!desk || !unit) {
      renderError(res, 404);
      return null;
    }
    if (!authorize(staffOf(res), 'manageUnit', { unitId: unit.id, units })) {
      renderError(res, 403);
      return null;
    }
    return { desk, unit, units };
  }

  const surveyUrl = (desk: DeskDetail) => deskSurveyUrl(config.baseUrl, secret, desk.id, desk.tokenVersion);
  const shortUrl = (desk: DeskDetail) => deskShortUrl(config.baseUrl, desk.shortCode);

  /** `tablet`: what was typed in the tablet registration form, and why it was refused. */
  async function renderDeskPage(
    _req: Request,
    res: Response,
    desk: DeskDetail,
    unit: Unit,
    form: DeskFormValues | null,
    errors: FormErrors,
    status = 200,
    tablet: { name: string; error?: string } = { name: '' },
  ) {
    const { lang, t, langQuery } = localeOf(res);
    const [fields, questionnaires, kiosks, alerts, ctx] = await Promise.all([
      listFields(db),
      listQuestionnaires(db),
      listKiosks(db, desk.id),
      // The desk's alerts not yet closed, with what was done (issue 22); acted on at /canh-bao.
      listAlerts(db, { unitIds: [unit.id], statuses: ['open', 'acknowledged'], deskId: desk.id }),
      loadReportContext(db),
    ]);
    const followUps = await loadFollowUps(db, ctx, alerts, localDay(now()), config.minResponses);
    const alertCards = alerts.map((a) => presentAlertCard(a, { ctx, lang, t, langQuery, may: () => false, followUps, page: 1, withForms: false }));
    const input = {
      desk,
      unit,
      fields,
      questionnaires,
      kiosks,
      surveyUrl: surveyUrl(desk),
      shortUrl: shortUrl(desk),
      tabletUrl: (kioskId: number) => tabletUrl(config.baseUrl, secret, kioskId),
      localWarning: isLocalAddress(config.baseUrl),
    };
    renderStaffPage(res, 'pages/admin/desk', { title: `${desk.name} · ${unit.name}`, section: 'units', status }, {
      ...presentDeskPage(input, form, errors, tablet, lang, t, langQuery),
      alerts: alertCards.length > 0 ? { cards: alertCards, link: { href: `/canh-bao${langQuery}`, text: t('alerts.page.card.link') } } : null,
    });
  }

  router.get('/admin/desks/:id', async (req, res) => {
    const found = await deskOr404(req, res);
    if (found) await renderDeskPage(req, res, found.desk, found.unit, null, {});
  });

  router.post('/admin/desks/:id', async (req, res) => {
    const found = await deskOr404(req, res);
    if (!found) return;
    const { desk, unit, units } = found;
    const { t, langQuery } = localeOf(res);
    const parsed = DeskFormSchema.safeParse(req.body ?? {});
    if (!parsed.success) return renderError(res, 400);
    const { name, fields, questionnaire, requires_dossier: requiresDossier } = parsed.data;
    const form: DeskFormValues = { code: desk.code, name, fieldIds: fields, questionnaireId: questionnaire, requiresDossier };
    const saved = await saveDesk(db, staffActor(staffOf(res)), { unit, units, desk }, form, now().toISOString(), t);
    if (!saved.ok) return saved.status === 403 ? renderError(res, 403) : renderDeskPage(req, res, desk, unit, form, saved.errors, 422);
    setFlash(req, 'admin.saved');
    res.redirect(303, `/admin/desks/${desk.id}${langQuery}`);
  });

  router.post('/admin/desks/:id/active', async (req, res) => {
    const found = await deskOr404(req, res);
    if (!found) return;
    const parsed = ActiveFormSchema.safeParse(req.body ?? {});
    if (!parsed.success) return renderError(res, 400);
    const { active } = parsed.data;
    const changed = await setDeskActivity(db, staffOf(res), found, active, now().toISOString());
    if (!changed.ok) return renderError(res, 403);
    setFlash(req, active ? 'admin.desk.activated' : 'admin.desk.deactivated', { name: found.desk.name });
    res.redirect(303, `/admin/desks/${found.desk.id}${localeOf(res).langQuery}`);
  });

  router.get('/admin/desks/:id/rotate', async (req, res) => {
    const found = await deskOr404(req, res);
    if (!found) return;
    const { t, langQuery } = localeOf(res);
    renderStaffPage(res, 'pages/admin/desk-rotate', { title: t('admin.desk.rotate.title', { name: found.desk.name }), section: 'units' }, presentRotateConfirmation(found.desk, found.unit, langQuery));
  });

  router.post('/admin/desks/:id/rotate', async (req, res) => {
    const found = await deskOr404(req, res);
    if (!found) return;
    const rotated = await rotateDesk(db, staffOf(res), found, now().toISOString());
    if (!rotated.ok) return renderError(res, 403);
    setFlash(req, 'admin.desk.rotated', { name: found.desk.name });
    res.redirect(303, `/admin/desks/${found.desk.id}${localeOf(res).langQuery}`);
  });

  // Counter tablets: registered one by one, each with its own address, each revoked alone (server/desks/register-kiosk.ts, revoke-kiosk.ts).
  router.post('/admin/desks/:id/kiosks', async (req, res) => {
    const found = await deskOr404(req, res);
    if (!found) return;
    const { t, langQuery } = localeOf(res);
    const parsed = KioskFormSchema.safeParse(req.body ?? {});
    if (!parsed.success) return renderError(res, 400);
    const name = parsed.data.kiosk_name;
    const registered = await registerKiosk(db, staffOf(res), found, name, now().toISOString(), t);
    if (!registered.ok) {
      if (registered.status === 403) return renderError(res, 403);
      return renderDeskPage(req, res, found.desk, found.unit, null, {}, 422, { name, error: registered.error });
    }
    setFlash(req, 'admin.desk.kiosk.register.done', { name });
    // The page's top, where the flash says what happened; the tablet's QR code is in the list below.
    res.redirect(303, `/admin/desks/${found.desk.id}${langQuery}`);
  });

  // The address of a refused registration (its language link, a reload): the desk's page.
  router.get('/admin/desks/:id/kiosks', async (req, res) => {
    const found = await deskOr404(req, res);
    if (found) res.redirect(303, `/admin/desks/${found.desk.id}${localeOf(res).langQuery}#kiosks`);
  });

  // A tablet's address as a QR code: the tablet's camera opens it, nobody types 45 characters.
  router.get('/admin/desks/:id/kiosks/:kioskId/qr.svg', async (req, res) => {
    const found = await deskOr404(req, res);
    const kiosk = found && (await kioskOr404(req, res, found.desk.id));
    if (!found || !kiosk) return;
    const svg = await QRCode.toString(tabletUrl(config.baseUrl, secret, kiosk.id), { ...QR_OPTIONS, type: 'svg' });
    res.set('Content-Type', 'image/svg+xml').set('Cache-Control', 'private, no-cache').send(svg);
  });

  async function kioskOr404(req: Request, res: Response, deskId: number) {
    const params = KioskParamsSchema.safeParse({ id: req.params.id, kioskId: req.params.kioskId });
    const kiosk = params.success ? (await listKiosks(db, deskId)).find((k) => k.id === params.data.kioskId && k.revokedAt === null) : undefined;
    if (!kiosk) renderError(res, 404);
    return kiosk;
  }

  router.get('/admin/desks/:id/kiosks/:kioskId/revoke', async (req, res) => {
    const found = await deskOr404(req, res);
    const kiosk = found && (await kioskOr404(req, res, found.desk.id));
    if (!found || !kiosk) return;
    const { t, langQuery } = localeOf(res);
    renderStaffPage(res, 'pages/admin/kiosk-revoke', { title: t('admin.desk.kiosk.revoke.title', { name: kiosk.name }), section: 'units' }, presentKioskRevocation(found.desk, found.unit, kiosk, langQuery));
  });

  router.post('/admin/desks/:id/kiosks/:kioskId/revoke', async (req, res) => {
    const found = await deskOr404(req, res);
    const kiosk = found && (await kioskOr404(req, res, found.desk.id));
    if (!found || !kiosk) return;
    const revoked = await revokeTablet(db, staffOf(res), found, kiosk.id, now().toISOString());
    // 404: revoked meanwhile by someone else, the same answer as a tablet this desk does not have.
    if (!revoked.ok) return renderError(res, revoked.status);
    setFlash(req, 'admin.desk.kiosk.revoke.done', { name: kiosk.name });
    res.redirect(303, `/admin/desks/${found.desk.id}${localeOf(res).langQuery}`);
  });

  router.get('/admin/desks/:id/qr.svg', async (req, res) => {
    const found = await deskOr404(req, res);
    if (!found) return;
    const svg = await QRCode.toString(surveyUrl(found.desk), { ...QR_OPTIONS, type: 'svg' });
    res.set('Content-Type', 'image/svg+xml').set('Cache-Control', 'private, no-cache').send(svg);
  });

  router.get('/admin/desks/:id/qr.png', async (req, res) => {
    const found = await deskOr404(req, res);
    if (!found) return;
    const url = surveyUrl(found.desk);
    // Whole pixels per module keep the edges sharp when printed.
    const modules = QRCode.create(url, QR_OPTIONS).modules.size + 2 * QR_OPTIONS.margin;
    const png = await QRCode.toBuffer(url, { ...QR_OPTIONS, type: 'png', scale: Math.ceil(PRINT_PIXELS / modules) });
    res
      .set('Content-Type', 'image/png')
      .set('Content-Disposition', `inline; filename="qr-${found.unit.code}-${found.desk.code}.png"`)
      .set('Cache-Control', 'private, no-cache')
      .send(png);
  });

  router.get('/admin/units/:id/posters', async (req, res) => {
    const params = DeskParamsSchema.safeParse({ id: req.params.id });
    const units = await listUnits(db);
    const unit = params.success ? units.find((u) => u.id === params.data.id) : undefined;
    if (!unit) return renderError(res, 404);
    if (!authorize(staffOf(res), 'manageUnit', { unitId: unit.id, units })) return renderError(res, 403);
    const { lang, t, langQuery } = localeOf(res);
    const [desks, fields] = await Promise.all([listDeskDetails(db, [unit.id]), listFields(db)]);
    const localBaseUrl = isLocalAddress(config.baseUrl) ? config.baseUrl : null;
    res.render('pages/admin/posters', { view: presentPosters({ unit, desks, fields, surveyUrl, shortUrl, localBaseUrl }, lang, t, langQuery) });
  });

  return router;
}
