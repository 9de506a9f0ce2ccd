/**
 * Who may change what on the administration pages, beside who may see what (scope.ts):
 * administrators change everything; a manager manages the desks and the viewers of their own unit
 * and the units below it; a viewer changes nothing, except typing in paper forms of their own unit
 * when an administrator granted them that.
 */
import type { Role, Unit } from '../../db/schema.ts';
import { type Staff, unitWithDescendants } from './scope.ts';

/** May open /admin at all. */
export function canAdminister(staff: Staff): boolean {
  return staff.role === 'admin' || staff.role === 'manager';
}

/** Units, targets, questionnaires, accounts of any role, the audit log: administrators only. */
export function isAdministrator(staff: Staff): boolean {
  return staff.role === 'admin';
}

/** Units whose desks the person manages; null means every unit. */
export function managedUnitIds(staff: Staff, units: Unit[]): number[] | null {
  if (staff.role === 'admin') return null;
  if (staff.role !== 'manager' || staff.unitId === null) return [];
  return unitWithDescendants(staff.unitId, units);
}

export function canManageUnit(staff: Staff, unitId: number, units: Unit[]): boolean {
  const managed = managedUnitIds(staff, units);
  return managed === null || managed.includes(unitId);
}

/** Roles the person may give: a manager creates and edits viewers only. */
export function assignableRoles(staff: Staff): Role[] {
  return staff.role === 'admin' ? ['admin', 'manager', 'viewer'] : staff.role === 'manager' ? ['viewer'] : [];
}

export function canManageUser(staff: Staff, target: { role: Role; unitId: number | null }, units: Unit[]): boolean {
  if (staff.role === 'admin') return true;
  return staff.role === 'manager' && target.role === 'viewer' && target.unitId !== null && canManageUnit(staff, target.unitId, units);
}

export function canEnterPaper(staff: Staff, unitId: number, units: Unit[]): boolean {
  if (canManageUnit(staff, unitId, units) && canAdminister(staff)) return true;
  return staff.role === 'viewer' && staff.paperEntry && staff.unitId === unitId;
}
