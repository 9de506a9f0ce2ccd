/**
 * Who may change what on the administration pages, beside who may see what (scope.ts):
 * administrators change everything; a manager manages the desks and the viewers of their own unit
 * and the units below it; a viewer changes nothing, except typing in paper forms of their own unit
 * when an administrator granted them that. Nobody decides whether a response they typed in counts.
 */
import type { Channel, Role, Unit } from '../../db/schema.ts';
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

/** What the review queue knows of a flagged response to decide who may act on it. */
export interface Reviewable {
  unitId: number;
  channel: Channel;
  /** The account that typed a paper form in (null for every other channel). */
  enteredBy: number | null;
}

/**
 * Who may keep or remove a flagged response, the one rule for listing it in the review queue and
 * for moving it: administrators every response; a manager the paper forms of the units they manage
 * (forms their staff typed in), never the phone, tablet or link responses of those units, whose
 * count is what the unit is judged on. Nobody decides on a form they typed in themselves: they see
 * it ('typed') but someone else (an administrator, or another manager of the unit) keeps it.
 */
export function reviewRight(staff: Staff, response: Reviewable, units: Unit[]): 'decide' | 'typed' | 'none' {
  const sees = staff.role === 'admin' || (staff.role === 'manager' && response.channel === 'paper' && canManageUnit(staff, response.unitId, units));
  if (!sees) return 'none';
  return response.enteredBy === staff.id ? 'typed' : 'decide';
}

/** May keep or remove this flagged response (reviewRight). */
export function canReview(staff: Staff, response: Reviewable, units: Unit[]): boolean {
  return reviewRight(staff, response, units) === 'decide';
}
