/**
 * Why: creating a unit and changing one are one command (issue 19), so a unit's rules are written
 * once — who may (administrators), a code of its own (new units only: it stays once printed), a
 * name that is not a spreadsheet formula, a known kind, a parent that exists and makes no cycle —
 * and the change and its audit entry ('unit.create' / 'unit.update') are written in one transaction.
 */
import type { Kysely } from 'kysely';
import { audit } from '../../db/queries/audit.ts';
import { createUnit, findUnitByCode, updateUnit } from '../../db/queries/units.ts';
import type { Database, Unit, UnitKind } from '../../db/schema.ts';
import { startsFormula, UNIT_CODE_PATTERN, UNIT_KINDS } from '../../db/seed/units.ts';
import { authorize } from '../auth/permissions.ts';
import type { Staff } from '../auth/scope.ts';
import type { Translate } from '../i18n/index.ts';
import { proposeUnitCode } from './propose-code.ts';

/** The unit form as typed (strings), for showing it again with its messages. */
export interface UnitFormValues {
  code: string;
  name: string;
  kind: string;
  /** A unit id, or '' for none. */
  parentId: string;
}

export type SaveUnitResult =
  | { ok: true; id: number }
  | { ok: false; status: 403 }
  /** Each refused field with its message, in the person's language. */
  | { ok: false; status: 422; errors: Record<string, string> };

/** The rules of the unit form: the code (new units only), the name, the kind and a parent that does not make a cycle. */
async function check(db: Kysely<Database>, units: Unit[], editing: Unit | null, form: UnitFormValues, t: Translate): Promise<Record<string, string>> {
  const errors: Record<string, string> = {};
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
  return errors;
}

/**
 * Creates a unit (`unit` null) or changes `unit` (its code stays). Refuses with 403 anyone but an
 * administrator, with 422 and a message per field what breaks a rule; otherwise writes the unit and
 * its audit entry in one transaction.
 */
export async function saveUnit(
  db: Kysely<Database>,
  staff: Staff,
  target: { units: Unit[]; unit: Unit | null },
  form: UnitFormValues,
  at: string,
  t: Translate,
): Promise<SaveUnitResult> {
  if (!authorize(staff, 'administerEverything')) return { ok: false, status: 403 };
  const { units, unit } = target;
  // A new unit's code left empty is the one the form proposes from the name (issue 21).
  if (unit === null && form.code === '' && form.name !== '') form = { ...form, code: proposeUnitCode(form.name, new Set(units.map((u) => u.code))) };
  const errors = await check(db, units, unit, form, t);
  if (Object.keys(errors).length > 0) return { ok: false, status: 422, errors };
  const parentId = form.parentId === '' ? null : Number(form.parentId);
  const kind = form.kind as UnitKind;

  return db.transaction().execute(async (trx) => {
    if (unit === null) {
      const created = { code: form.code, name: form.name, kind, parentId };
      const id = await createUnit(trx, created, at);
      await audit(trx, { at, userId: staff.id, action: 'unit.create', subject: form.code, after: created });
      return { ok: true, id } as const;
    }
    const after = { name: form.name, kind, parentId };
    await updateUnit(trx, unit.id, after);
    await audit(trx, { at, userId: staff.id, action: 'unit.update', subject: unit.code, before: { name: unit.name, kind: unit.kind, parentId: unit.parent_id }, after });
    return { ok: true, id: unit.id } as const;
  });
}
