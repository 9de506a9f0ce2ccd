/**
 * /admin/units: the tree of units, a unit's page with its desks, creating and editing units
 * (administrators), adding desks (administrators, and managers for their own units), and the
 * units as CSV, imported whole or not at all.
 */
import { type Request, type Response, Router } from 'express';
import { listDeskDetails } from '../../../db/queries/desks.ts';
import { listQuestionnaires } from '../../../db/queries/questionnaires.ts';
import { listFields, listUnits, unitUsage } from '../../../db/queries/units.ts';
import type { Unit } from '../../../db/schema.ts';
import { UNITS_CSV_HEADER } from '../../../db/seed/units.ts';
import { staffActor } from '../../accounts/actor.ts';
import { staffOf } from '../../auth/middleware.ts';
import { authorize, managedUnitIds } from '../../auth/permissions.ts';
import { type DeskFormValues, saveDesk } from '../../desks/save-desk.ts';
import { BOM, csvLine, STANDARD_CSV } from '../../exports/csv.ts';
import { setFlash } from '../../middleware/flash.ts';
import { localeOf } from '../../middleware/locale.ts';
import { renderError } from '../../middleware/render.ts';
import { uploadBody } from '../../middleware/staff-body.ts';
import { importProblems, presentUnitFormPage, presentUnitList, presentUnitPage, unitFormOf, type UnitFormValues } from '../../presenters/admin/units.ts';
import { removeUnit } from '../../units/delete-unit.ts';
import { importUnitsFile } from '../../units/import-units.ts';
import { saveUnit } from '../../units/save-unit.ts';
import { setUnitActivity } from '../../units/set-unit-active.ts';
import type { RouteDeps } from '../deps.ts';
import type { FormErrors } from '../form-schema.ts';
import { requireAdministrator } from './guards.ts';
import { renderStaffPage } from './page.ts';
import { ActiveFormSchema, DeskFormSchema, UnitFormSchema, UnitParamsSchema } from './units.schema.ts';

export function adminUnitRoutes({ db, csrf, now }: RouteDeps): Router {
  const router = Router();

  async function unitOr404(req: Request, res: Response): Promise<{ unit: Unit; units: Unit[] } | null> {
    const params = UnitParamsSchema.safeParse(req.params);
    const units = await listUnits(db);
    const unit = params.success ? units.find((u) => u.id === params.data.id) : undefined;
    if (!unit) {
      renderError(res, 404);
      return null;
    }
    if (!authorize(staffOf(res), 'manageUnit', { unitId: unit.id, units })) {
      renderError(res, 403);
      return null;
    }
    return { unit, units };
  }

  async function renderList(_req: Request, res: Response, importReport: string[] = [], status = 200): Promise<void> {
    const staff = staffOf(res);
    const { t, langQuery } = localeOf(res);
    const [units, desks] = await Promise.all([listUnits(db), listDeskDetails(db, null)]);
    const view = presentUnitList(units, desks, managedUnitIds(staff, units), authorize(staff, 'administerEverything'), importReport, t, langQuery);
    renderStaffPage(res, 'pages/admin/units', { title: t('admin.units.title'), section: 'units', status }, view);
  }

  router.get('/admin/units', (req, res) => renderList(req, res));

  router.get('/admin/units/export.csv', requireAdministrator, async (_req, res) => {
    const units = await listUnits(db);
    const codeOf = new Map(units.map((u) => [u.id, u.code]));
    // Every cell through the exports' one guard (a name that would run as a formula is neutralised).
    const csv = BOM + csvLine(UNITS_CSV_HEADER, STANDARD_CSV) + units.map((u) => csvLine([u.code, u.name, u.kind, u.parent_id === null ? '' : (codeOf.get(u.parent_id) ?? '')], STANDARD_CSV)).join('');
    res
      .set('Content-Type', 'text/csv; charset=utf-8')
      .set('Content-Disposition', `attachment; filename="sipas-units-${now().toISOString().slice(0, 10)}.csv"`)
      .send(csv);
  });

  router.post('/admin/units/import', requireAdministrator, uploadBody(csrf.guard), async (req, res) => {
    const { t, langQuery } = localeOf(res);
    const file = req.file ? { bytes: req.file.buffer, name: req.file.originalname } : null;
    const imported = await importUnitsFile(db, staffOf(res), file, now().toISOString());
    if (!imported.ok) {
      if (imported.status === 403) return renderError(res, 403);
      return renderList(req, res, imported.reason === 'no-file' ? [t('admin.import.nofile')] : importProblems(imported.problems, t), 422);
    }
    setFlash(req, 'admin.import.done', { ...imported.counts });
    res.redirect(303, `/admin/units${langQuery}`);
  });

  function renderUnitForm(_req: Request, res: Response, units: Unit[], editing: Unit | null, form: UnitFormValues, errors: FormErrors, status = 200): void {
    const { t } = localeOf(res);
    const title = editing ? t('admin.unit.edit.title', { name: editing.name }) : t('admin.unit.new.title');
    renderStaffPage(res, 'pages/admin/unit-form', { title, section: 'units', status }, presentUnitFormPage(units, editing, form, errors, t));
  }

  /** The unit form as typed; the code only for a new unit (it stays once made). */
  function unitFormOfBody(req: Request, editing: Unit | null): UnitFormValues | null {
    const parsed = UnitFormSchema.safeParse(req.body ?? {});
    if (!parsed.success) return null;
    const { code, name, kind, parent } = parsed.data;
    return { code: editing?.code ?? code, name, kind, parentId: parent };
  }

  router.get('/admin/units/new', requireAdministrator, async (req, res) => {
    const units = await listUnits(db);
    const province = units.find((u) => u.kind === 'province');
    renderUnitForm(req, res, units, null, { code: '', name: '', kind: 'commune', parentId: province ? String(province.id) : '' }, {});
  });

  router.post('/admin/units', requireAdministrator, async (req, res) => {
    const units = await listUnits(db);
    const form = unitFormOfBody(req, null);
    if (!form) return renderError(res, 400);
    const { t, langQuery } = localeOf(res);
    const saved = await saveUnit(db, staffOf(res), { units, unit: null }, form, now().toISOString(), t);
    if (!saved.ok) return saved.status === 403 ? renderError(res, 403) : renderUnitForm(req, res, units, null, form, saved.errors, 422);
    setFlash(req, 'admin.unit.created', { name: form.name });
    res.redirect(303, `/admin/units/${saved.id}${langQuery}`);
  });

  async function renderUnitPage(_req: Request, res: Response, unit: Unit, units: Unit[], deskValues: DeskFormValues | null, deskErrors: FormErrors, status = 200) {
    const { lang, t, langQuery } = localeOf(res);
    const [desks, fields, questionnaires, usage] = await Promise.all([listDeskDetails(db, [unit.id]), listFields(db), listQuestionnaires(db), unitUsage(db, unit.id)]);
    const canEdit = authorize(staffOf(res), 'administerEverything');
    const view = presentUnitPage({ unit, units, desks, fields, questionnaires, usage, canEdit }, deskValues, deskErrors, lang, t, langQuery);
    renderStaffPage(res, 'pages/admin/unit', { title: unit.name, section: 'units', status }, view);
  }

  router.get('/admin/units/:id', async (req, res) => {
    const found = await unitOr404(req, res);
    if (found) await renderUnitPage(req, res, found.unit, found.units, null, {});
  });

  router.get('/admin/units/:id/edit', requireAdministrator, async (req, res) => {
    const found = await unitOr404(req, res);
    if (found) renderUnitForm(req, res, found.units, found.unit, unitFormOf(found.unit), {});
  });

  router.post('/admin/units/:id', requireAdministrator, async (req, res) => {
    const found = await unitOr404(req, res);
    if (!found) return;
    const { unit, units } = found;
    const form = unitFormOfBody(req, unit);
    if (!form) return renderError(res, 400);
    const { t, langQuery } = localeOf(res);
    const saved = await saveUnit(db, staffOf(res), { units, unit }, form, now().toISOString(), t);
    if (!saved.ok) return saved.status === 403 ? renderError(res, 403) : renderUnitForm(req, res, units, unit, form, saved.errors, 422);
    setFlash(req, 'admin.saved');
    res.redirect(303, `/admin/units/${unit.id}${langQuery}`);
  });

  router.post('/admin/units/:id/active', requireAdministrator, async (req, res) => {
    const found = await unitOr404(req, res);
    if (!found) return;
    const parsed = ActiveFormSchema.safeParse(req.body ?? {});
    if (!parsed.success) return renderError(res, 400);
    const { active } = parsed.data;
    const changed = await setUnitActivity(db, staffOf(res), found.unit, active, now().toISOString());
    if (!changed.ok) return renderError(res, 403);
    setFlash(req, active ? 'admin.unit.activated' : 'admin.unit.deactivated', { name: found.unit.name });
    res.redirect(303, `/admin/units/${found.unit.id}${localeOf(res).langQuery}`);
  });

  router.post('/admin/units/:id/delete', requireAdministrator, async (req, res) => {
    const found = await unitOr404(req, res);
    if (!found) return;
    const deleted = await removeUnit(db, staffOf(res), found.unit, now().toISOString());
    if (!deleted.ok) {
      if (deleted.status === 403) return renderError(res, 403);
      // Its history must stay: deactivating keeps every response and hides it from new work.
      return renderError(res, 409, 'admin.unit.delete.refused.title', 'admin.unit.delete.refused', { name: found.unit.name, ...deleted.usage });
    }
    setFlash(req, 'admin.unit.deleted', { name: found.unit.name });
    res.redirect(303, `/admin/units${localeOf(res).langQuery}`);
  });

  router.post('/admin/units/:id/desks', async (req, res) => {
    const found = await unitOr404(req, res);
    if (!found) return;
    const { unit, units } = found;
    const { t, langQuery } = localeOf(res);
    const parsed = DeskFormSchema.safeParse(req.body ?? {});
    if (!parsed.success) return renderError(res, 400);
    const { code, name, fields, questionnaire } = parsed.data;
    const form: DeskFormValues = { code, name, fieldIds: fields, questionnaireId: questionnaire };
    const saved = await saveDesk(db, staffActor(staffOf(res)), { unit, units, desk: null }, form, now().toISOString(), t);
    if (!saved.ok) return saved.status === 403 ? renderError(res, 403) : renderUnitPage(req, res, unit, units, form, saved.errors, 422);
    setFlash(req, 'admin.desk.created', { name: form.name });
    res.redirect(303, `/admin/desks/${saved.id}${langQuery}`);
  });

  return router;
}
