/**
 * A desk's page (edit, deactivate, rotate its QR codes, register and revoke its counter tablets), its QR code as SVG and
 * PNG encoding exactly the survey URL from BASE_URL, and the printable posters of a unit: one A4
 * page per active desk. Administrators, and managers for desks of their own units.
 */
import { type Request, type Response, Router } from 'express';
import QRCode from 'qrcode';
import { audit } from '../../../db/queries/audit.ts';
import { type DeskDetail, findDeskDetail, listDeskDetails, revokeDeskTokens, setDeskActive } from '../../../db/queries/desks.ts';
import { createKiosk, listKiosks, revokeKiosk } from '../../../db/queries/kiosks.ts';
import { listQuestionnaires } from '../../../db/queries/questionnaires.ts';
import { findUnit, listFields, listUnits } from '../../../db/queries/units.ts';
import type { Unit } from '../../../db/schema.ts';
import { staffOf } from '../../auth/middleware.ts';
import { authorize } from '../../auth/permissions.ts';
import { setFlash } from '../../middleware/flash.ts';
import { pick, translator } from '../../i18n/index.ts';
import { localeOf } from '../../middleware/locale.ts';
import { isKioskName, tabletNameField, tabletRows } from '../../presenters/admin/kiosks.ts';
import { type DeskFormValues, saveDesk } from '../../desks/save-desk.ts';
import { deskForm } from '../../presenters/admin/units.ts';
import { serviceOfUnit } from '../../presenters/place.ts';
import { renderError } from '../../middleware/render.ts';
import { deskSurveyUrl, tabletUrl } from '../../tokens/urls.ts';
import type { RouteDeps } from '../deps.ts';
import { bodyOf, type FormErrors, positiveId, text, values } from './forms.ts';
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
    const id = positiveId(req.params.id);
    const desk = id === null ? undefined : await findDeskDetail(db, id);
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

  /** `tablet`: what was typed in the tablet registration form, and why it was refused. */
  async function renderDeskPage(
    req: Request,
    res: Response,
    desk: DeskDetail,
    unit: Unit,
    form: DeskFormValues | null,
    errors: FormErrors,
    status = 200,
    tablet: { name: string; error?: string } = { name: '' },
  ) {
    const { lang, t, langQuery } = localeOf(res);
    const [fields, questionnaires, kiosks] = await Promise.all([listFields(db), listQuestionnaires(db), listKiosks(db, desk.id)]);
    const values = form ?? { code: desk.code, name: desk.name, fieldIds: desk.fieldIds.map(String), questionnaireId: String(desk.questionnaireId), requiresDossier: desk.requiresDossier };
    renderStaffPage(res, 'pages/admin/desk', { title: `${desk.name} · ${unit.name}`, section: 'units', status }, {
      id: desk.id,
      code: desk.code,
      active: desk.active,
      responses: desk.responses,
      unit: { name: unit.name, href: `/admin/units/${unit.id}${langQuery}` },
      surveyUrl: surveyUrl(desk),
      tablets: tabletRows(kiosks, desk.id, (kioskId) => tabletUrl(config.baseUrl, secret, kioskId), t, langQuery),
      tabletName: tabletNameField(tablet.name, tablet.error, t),
      qrSvg: `/admin/desks/${desk.id}/qr.svg`,
      qrPng: `/admin/desks/${desk.id}/qr.png`,
      posterHref: `/admin/units/${unit.id}/posters${langQuery}`,
      rotateHref: `/admin/desks/${desk.id}/rotate${langQuery}`,
      localWarning: isLocalAddress(config.baseUrl),
      form: deskForm(values, errors, fields, questionnaires, lang, t),
      questionnaireNote: t('admin.desk.questionnaire.note'),
      langQuery,
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
    const body = bodyOf(req);
    const form: DeskFormValues = { code: desk.code, name: text(body, 'name'), fieldIds: values(body, 'fields'), questionnaireId: text(body, 'questionnaire'), requiresDossier: text(body, 'requires_dossier') === '1' };
    const saved = await saveDesk(db, staffOf(res), { unit, units, desk }, form, now().toISOString(), t);
    if (!saved.ok) return saved.status === 403 ? renderError(res, 403) : renderDeskPage(req, res, desk, unit, form, saved.errors, 422);
    setFlash(req, 'admin.saved');
    res.redirect(303, `/admin/desks/${desk.id}${langQuery}`);
  });

  router.post('/admin/desks/:id/active', async (req, res) => {
    const found = await deskOr404(req, res);
    if (!found) return;
    const active = text(bodyOf(req), 'active') === '1';
    await setDeskActive(db, found.desk.id, active);
    await audit(db, {
      at: now().toISOString(),
      userId: staffOf(res).id,
      action: active ? 'desk.activate' : 'desk.deactivate',
      subject: `${found.unit.code}/${found.desk.code}`,
      before: { active: found.desk.active },
      after: { active },
    });
    setFlash(req, active ? 'admin.desk.activated' : 'admin.desk.deactivated', { name: found.desk.name });
    res.redirect(303, `/admin/desks/${found.desk.id}${localeOf(res).langQuery}`);
  });

  router.get('/admin/desks/:id/rotate', async (req, res) => {
    const found = await deskOr404(req, res);
    if (!found) return;
    const { t } = localeOf(res);
    renderStaffPage(res, 'pages/admin/desk-rotate', { title: t('admin.desk.rotate.title', { name: found.desk.name }), section: 'units' }, {
      id: found.desk.id,
      name: found.desk.name,
      unitName: found.unit.name,
      cancel: `/admin/desks/${found.desk.id}${localeOf(res).langQuery}`,
    });
  });

  router.post('/admin/desks/:id/rotate', async (req, res) => {
    const found = await deskOr404(req, res);
    if (!found) return;
    await revokeDeskTokens(db, found.desk.id);
    await audit(db, {
      at: now().toISOString(),
      userId: staffOf(res).id,
      action: 'desk.rotate',
      subject: `${found.unit.code}/${found.desk.code}`,
      before: { tokenVersion: found.desk.tokenVersion },
      after: { tokenVersion: found.desk.tokenVersion + 1 },
    });
    setFlash(req, 'admin.desk.rotated', { name: found.desk.name });
    res.redirect(303, `/admin/desks/${found.desk.id}${localeOf(res).langQuery}`);
  });

  // Counter tablets: registered one by one, each with its own address, each revoked alone (db/queries/kiosks.ts).
  router.post('/admin/desks/:id/kiosks', async (req, res) => {
    const found = await deskOr404(req, res);
    if (!found) return;
    const { t, langQuery } = localeOf(res);
    const name = text(bodyOf(req), 'kiosk_name');
    if (!isKioskName(name)) return renderDeskPage(req, res, found.desk, found.unit, null, {}, 422, { name, error: t('admin.desk.kiosk.error.name') });
    // Two tablets in use with one name could not be told apart on this page or when revoking one.
    if ((await listKiosks(db, found.desk.id)).some((k) => k.revokedAt === null && k.name.localeCompare(name, 'vi', { sensitivity: 'base' }) === 0)) {
      return renderDeskPage(req, res, found.desk, found.unit, null, {}, 422, { name, error: t('admin.desk.kiosk.error.taken', { name }) });
    }
    await createKiosk(db, found.desk.id, name, { at: now().toISOString(), userId: staffOf(res).id, subject: `${found.unit.code}/${found.desk.code}` });
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
    const kioskId = positiveId(req.params.kioskId);
    const kiosk = kioskId === null ? undefined : (await listKiosks(db, deskId)).find((k) => k.id === kioskId && k.revokedAt === null);
    if (!kiosk) renderError(res, 404);
    return kiosk;
  }

  router.get('/admin/desks/:id/kiosks/:kioskId/revoke', async (req, res) => {
    const found = await deskOr404(req, res);
    const kiosk = found && (await kioskOr404(req, res, found.desk.id));
    if (!found || !kiosk) return;
    const { t, langQuery } = localeOf(res);
    renderStaffPage(res, 'pages/admin/kiosk-revoke', { title: t('admin.desk.kiosk.revoke.title', { name: kiosk.name }), section: 'units' }, {
      action: `/admin/desks/${found.desk.id}/kiosks/${kiosk.id}/revoke${langQuery}`,
      name: kiosk.name,
      deskName: found.desk.name,
      unitName: found.unit.name,
      cancel: `/admin/desks/${found.desk.id}${langQuery}#kiosks`,
    });
  });

  router.post('/admin/desks/:id/kiosks/:kioskId/revoke', async (req, res) => {
    const found = await deskOr404(req, res);
    const kiosk = found && (await kioskOr404(req, res, found.desk.id));
    if (!found || !kiosk) return;
    const change = { at: now().toISOString(), userId: staffOf(res).id, subject: `${found.unit.code}/${found.desk.code}` };
    // Revoked meanwhile by someone else: the same answer as a tablet this desk does not have.
    if (!(await revokeKiosk(db, found.desk.id, kiosk.id, change))) return renderError(res, 404);
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
    const id = positiveId(req.params.id);
    const unit = id === null ? undefined : await findUnit(db, id);
    if (!unit) return renderError(res, 404);
    if (!authorize(staffOf(res), 'manageUnit', { unitId: unit.id, units: await listUnits(db) })) return renderError(res, 403);
    const { lang, t, langQuery } = localeOf(res);
    const [desks, fields] = await Promise.all([listDeskDetails(db, [unit.id]), listFields(db)]);
    const fieldById = new Map(fields.map((f) => [f.id, f]));
    // Posters speak to citizens in Vietnamese, with one line in English beneath.
    const vi = translator('vi');
    const service = serviceOfUnit(unit.kind);
    res.render('pages/admin/posters', {
      view: {
        title: t('admin.posters.title', { name: unit.name }),
        back: `/admin/units/${unit.id}${langQuery}`,
        localWarning: isLocalAddress(config.baseUrl) ? t('admin.posters.local', { url: config.baseUrl }) : null,
        posters: desks
          .filter((d) => d.active)
          .map((d) => ({
            unitName: unit.name,
            deskName: d.name,
            fields: d.fieldIds.map((f) => fieldById.get(f)).map((f) => (f ? pick('vi', f.name_vi, f.name_en) : '')).join(' · '),
            ask: vi(`poster.ask.${service}`),
            how: vi('poster.how'),
            howEn: translator('en')('poster.how'),
            qr: `/admin/desks/${d.id}/qr.svg`,
            qrAlt: vi('poster.qr.alt', { url: surveyUrl(d) }),
            url: surveyUrl(d),
          })),
        empty: t('admin.posters.empty'),
        lang,
      },
    });
  });

  return router;
}
