/**
 * /admin/units: the tree of units, a unit's page with its desks, creating and editing units
 * (administrators), adding desks (administrators, and managers for their own units), and the
 * units as CSV, imported whole or not at all.
 */
import { type Request, type Response, Router } from 'express';
import { audit } from '../../../db/queries/audit.ts';
import { listDeskDetails } from '../../../db/queries/desks.ts';
import { listQuestionnaires } from '../../../db/queries/questionnaires.ts';
import {
  createUnit, deleteUnit, findUnitByCode, importUnits, listFields, listUnits, setUnitActive, unitUsage, updateUnit,
} from '../../../db/queries/units.ts';
import type { Unit, UnitKind } from '../../../db/schema.ts';
import { checkParents, decodeUtf8, parseUnitsCsv, startsFormula, UNITS_CSV_HEADER, UNIT_CODE_PATTERN, UNIT_KINDS, type UnitsCsvProblem } from '../../../db/seed/units.ts';
import { staffOf } from '../../auth/middleware.ts';
import { authorize, managedUnitIds } from '../../auth/permissions.ts';
import { setFlash } from '../../middleware/flash.ts';
import { localeOf } from '../../middleware/locale.ts';
import { uploadBody } from '../../middleware/staff-body.ts';
import { type DeskFormValues, saveDesk } from '../../desks/save-desk.ts';
import { deskForm, deskRows, importProblems, kindLabel, unitForm, type UnitFormValues, unitTree } from '../../presenters/admin/units.ts';
import { renderError } from '../../middleware/render.ts';
import { BOM, csvLine, STANDARD_CSV } from '../../exports/csv.ts';
import type { RouteDeps } from '../deps.ts';
import { bodyOf, type FormErrors, positiveId, text, values } from './forms.ts';
import { requireAdministrator } from './guards.ts';
import { renderStaffPage } from './page.ts';


/** The questionnaire a new desk of a unit most likely uses. */
function defaultQuestionnaireCode(kind: UnitKind): string {
  return kind === 'hospital' ? 'health' : kind === 'school' ? 'education' : 'tthc-short';
}

export function adminUnitRoutes({ db, csrf, now }: RouteDeps): Router {
  const router = Router();

  async function unitOr404(req: Request, res: Response): Promise<{ unit: Unit; units: Unit[] } | null> {
    const id = positiveId(req.params.id);
    const units = await listUnits(db);
    const unit = id === null ? undefined : units.find((u) => u.id === id);
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

  async function renderList(req: Request, res: Response, importReport: string[] = [], status = 200): Promise<void> {
    const staff = staffOf(res);
    const { t, langQuery } = localeOf(res);
    const [units, desks] = await Promise.all([listUnits(db), listDeskDetails(db, null)]);
    const deskCount = new Map<number, number>();
    for (const d of desks) if (d.active) deskCount.set(d.unitId, (deskCount.get(d.unitId) ?? 0) + 1);
    const rows = unitTree(units, managedUnitIds(staff, units), deskCount, t, langQuery);
    renderStaffPage(res, 'pages/admin/units', { title: t('admin.units.title'), section: 'units', status }, {
      rows,
      canEdit: authorize(staff, 'administerEverything'),
      importReport,
      langQuery,
    });
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
    const { t } = localeOf(res);
    const file = req.file;
    if (!file || file.size === 0) return renderList(req, res, [t('admin.import.nofile')], 422);
    const decoded = decodeUtf8(file.buffer);
    const problems: UnitsCsvProblem[] = [];
    let parsed: ReturnType<typeof parseUnitsCsv> = { rows: [], problems: [] };
    if (decoded === null) problems.push({ line: 1, problem: 'encoding' });
    else {
      parsed = parseUnitsCsv(decoded);
      problems.push(...parsed.problems);
    }
    if (problems.length === 0) {
      const units = await listUnits(db);
      const codeOf = new Map(units.map((u) => [u.id, u.code]));
      problems.push(...checkParents(parsed.rows, units.map((u) => ({ code: u.code, parentCode: u.parent_id === null ? null : (codeOf.get(u.parent_id) ?? null) }))));
    }
    if (problems.length > 0) return renderList(req, res, importProblems(problems.sort((a, b) => a.line - b.line), t), 422);
    const at = now().toISOString();
    const result = await importUnits(db, parsed.rows, at, { userId: staffOf(res).id, fileName: file.originalname });
    setFlash(req, 'admin.import.done', result);
    res.redirect(303, `/admin/units${localeOf(res).langQuery}`);
  });

  function renderUnitForm(req: Request, res: Response, units: Unit[], editing: Unit | null, form: UnitFormValues, errors: FormErrors, status = 200): void {
    const { t } = localeOf(res);
    renderStaffPage(res, 'pages/admin/unit-form', { title: editing ? t('admin.unit.edit.title', { name: editing.name }) : t('admin.unit.new.title'), section: 'units', status }, {
      fields: unitForm(form, errors, units, t, { editing }),
      editing: editing !== null,
      action: editing ? `/admin/units/${editing.id}` : '/admin/units',
      cancel: editing ? `/admin/units/${editing.id}` : '/admin/units',
    });
  }

  /** The unit form's values, checked: the code (new units only), the name, the kind and a parent that does not make a cycle. */
  async function readUnitForm(req: Request, res: Response, units: Unit[], editing: Unit | null): Promise<{ form: UnitFormValues; errors: FormErrors }> {
    const { t } = localeOf(res);
    const body = bodyOf(req);
    const form: UnitFormValues = { code: editing?.code ?? text(body, 'code'), name: text(body, 'name'), kind: text(body, 'kind'), parentId: text(body, 'parent') };
    const errors: FormErrors = {};
    if (!editing) {
      if (!UNIT_CODE_PATTERN.test(form.code)) errors.code = t('admin.unit.error.code');
      else if (await findUnitByCode(db, form.code)) errors.code = t('admin.unit.error.code.taken', { code: form.code });
    }
    if (form.name === '' || form.name.length > 200) errors.name = t('admin.unit.error.name');
    else if (startsFormula(form.name)) errors.name = t('admin.unit.error.name.formula');
    if (!UNIT_KINDS.includes(form.kind as UnitKind)) errors.kind = t('admin.unit.error.kind');
    if (form.parentId !== '') {
      const parent = units.find((u) => String(u.id) === form.parentId);
      if (!parent) errors.parent = t('admin.unit.error.parent');
      else if (editing) {
        // Walking up from the new parent must not meet the unit itself.
        for (let p: Unit | undefined = parent; p; p = units.find((u) => u.id === p?.parent_id)) {
          if (p.id === editing.id) {
            errors.parent = t('admin.unit.error.cycle');
            break;
          }
        }
      }
    }
    return { form, errors };
  }

  router.get('/admin/units/new', requireAdministrator, async (req, res) => {
    const units = await listUnits(db);
    const province = units.find((u) => u.kind === 'province');
    renderUnitForm(req, res, units, null, { code: '', name: '', kind: 'commune', parentId: province ? String(province.id) : '' }, {});
  });

  router.post('/admin/units', requireAdministrator, async (req, res) => {
    const units = await listUnits(db);
    const { form, errors } = await readUnitForm(req, res, units, null);
    if (Object.keys(errors).length > 0) return renderUnitForm(req, res, units, null, form, errors, 422);
    const at = now().toISOString();
    const created = { code: form.code, name: form.name, kind: form.kind as UnitKind, parentId: form.parentId === '' ? null : Number(form.parentId) };
    const id = await createUnit(db, created, at);
    await audit(db, { at, userId: staffOf(res).id, action: 'unit.create', subject: form.code, after: created });
    setFlash(req, 'admin.unit.created', { name: form.name });
    res.redirect(303, `/admin/units/${id}${localeOf(res).langQuery}`);
  });

  async function renderUnitPage(req: Request, res: Response, unit: Unit, units: Unit[], deskValues: DeskFormValues | null, deskErrors: FormErrors, status = 200) {
    const staff = staffOf(res);
    const { lang, t, langQuery } = localeOf(res);
    const [desks, fields, questionnaires, usage] = await Promise.all([listDeskDetails(db, [unit.id]), listFields(db), listQuestionnaires(db), unitUsage(db, unit.id)]);
    const latest = questionnaires.filter((q) => !questionnaires.some((o) => o.code === q.code && o.version > q.version));
    const suggested = latest.find((q) => q.code === defaultQuestionnaireCode(unit.kind));
    const parent = units.find((u) => u.id === unit.parent_id);
    renderStaffPage(res, 'pages/admin/unit', { title: unit.name, section: 'units', status }, {
      id: unit.id,
      code: unit.code,
      kind: kindLabel(t, unit.kind),
      parent: parent ? { name: parent.name, href: `/admin/units/${parent.id}${langQuery}` } : null,
      active: unit.active === 1,
      canEdit: authorize(staff, 'administerEverything'),
      canDelete: usage.desks + usage.responses + usage.children + usage.users === 0,
      usage,
      desks: deskRows(desks, new Map(fields.map((f) => [f.id, f])), lang, t, langQuery),
      postersHref: `/admin/units/${unit.id}/posters${langQuery}`,
      deskForm: deskForm(deskValues ?? { code: '', name: '', fieldIds: [], questionnaireId: suggested ? String(suggested.id) : '' }, deskErrors, fields, questionnaires, lang, t),
      langQuery,
    });
  }

  router.get('/admin/units/:id', async (req, res) => {
    const found = await unitOr404(req, res);
    if (found) await renderUnitPage(req, res, found.unit, found.units, null, {});
  });

  router.get('/admin/units/:id/edit', requireAdministrator, async (req, res) => {
    const found = await unitOr404(req, res);
    if (!found) return;
    const { unit } = found;
    renderUnitForm(req, res, found.units, unit, { code: unit.code, name: unit.name, kind: unit.kind, parentId: unit.parent_id === null ? '' : String(unit.parent_id) }, {});
  });

  router.post('/admin/units/:id', requireAdministrator, async (req, res) => {
    const found = await unitOr404(req, res);
    if (!found) return;
    const { unit, units } = found;
    const { form, errors } = await readUnitForm(req, res, units, unit);
    if (Object.keys(errors).length > 0) return renderUnitForm(req, res, units, unit, form, errors, 422);
    const after = { name: form.name, kind: form.kind as UnitKind, parentId: form.parentId === '' ? null : Number(form.parentId) };
    await updateUnit(db, unit.id, after);
    await audit(db, {
      at: now().toISOString(),
      userId: staffOf(res).id,
      action: 'unit.update',
      subject: unit.code,
      before: { name: unit.name, kind: unit.kind, parentId: unit.parent_id },
      after,
    });
    setFlash(req, 'admin.saved');
    res.redirect(303, `/admin/units/${unit.id}${localeOf(res).langQuery}`);
  });

  router.post('/admin/units/:id/active', requireAdministrator, async (req, res) => {
    const found = await unitOr404(req, res);
    if (!found) return;
    const active = text(bodyOf(req), 'active') === '1';
    await setUnitActive(db, found.unit.id, active);
    await audit(db, { at: now().toISOString(), userId: staffOf(res).id, action: active ? 'unit.activate' : 'unit.deactivate', subject: found.unit.code, before: { active: found.unit.active === 1 }, after: { active } });
    setFlash(req, active ? 'admin.unit.activated' : 'admin.unit.deactivated', { name: found.unit.name });
    res.redirect(303, `/admin/units/${found.unit.id}${localeOf(res).langQuery}`);
  });

  router.post('/admin/units/:id/delete', requireAdministrator, async (req, res) => {
    const found = await unitOr404(req, res);
    if (!found) return;
    const usage = await unitUsage(db, found.unit.id);
    if (usage.desks + usage.responses + usage.children + usage.users > 0) {
      // Its history must stay: deactivating keeps every response and hides it from new work.
      return renderError(res, 409, 'admin.unit.delete.refused.title', 'admin.unit.delete.refused', { name: found.unit.name, ...usage });
    }
    await deleteUnit(db, found.unit.id);
    await audit(db, { at: now().toISOString(), userId: staffOf(res).id, action: 'unit.delete', subject: found.unit.code, before: { name: found.unit.name, kind: found.unit.kind } });
    setFlash(req, 'admin.unit.deleted', { name: found.unit.name });
    res.redirect(303, `/admin/units${localeOf(res).langQuery}`);
  });

  router.post('/admin/units/:id/desks', async (req, res) => {
    const found = await unitOr404(req, res);
    if (!found) return;
    const { unit, units } = found;
    const { t, langQuery } = localeOf(res);
    const body = bodyOf(req);
    const form: DeskFormValues = { code: text(body, 'code'), name: text(body, 'name'), fieldIds: values(body, 'fields'), questionnaireId: text(body, 'questionnaire') };
    const saved = await saveDesk(db, staffOf(res), { unit, units, desk: null }, form, now().toISOString(), t);
    if (!saved.ok) return saved.status === 403 ? renderError(res, 403) : renderUnitPage(req, res, unit, units, form, saved.errors, 422);
    setFlash(req, 'admin.desk.created', { name: form.name });
    res.redirect(303, `/admin/desks/${saved.id}${langQuery}`);
  });

  return router;
}
