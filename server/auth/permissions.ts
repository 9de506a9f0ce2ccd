/**
 * Who may change what on the administration pages, beside who may see what (scope.ts):
 * administrators change everything; a manager manages the desks and the viewers of their own unit
 * and the units below it; a viewer changes nothing, except typing in paper forms of their own unit
 * when an administrator granted them that. Nobody decides whether a response they typed in counts.
 *
 * Every yes-or-no question of who may do what is asked through `authorize(staff, action, subject)`:
 * one entry point, so a rule is found and changed in one place (the section table's `may`, the
 * guards and the handlers all ask it). Which units a report covers stays in scope.ts.
 */
import type { Channel, Role, Unit } from '../../db/schema.ts';
import { canModerate, canSeeUnit, type Staff, unitWithDescendants } from './scope.ts';

/** A unit, with the list of units its rule walks (a manager's units are theirs and those below). */
export interface UnitSubject {
  unitId: number;
  units: Unit[];
}

/** Each action a staff member may be allowed, and what it is asked about (null: nothing). */
export interface Permissions {
  /** Open the administration pages (/admin): administrators and managers. */
  administer: null;
  /** What only administrators do: units themselves, targets, questionnaires, the audit log. */
  administerEverything: null;
  /** Type in paper forms: at all (null: open /paper), or for the desks of one unit. */
  enterPaper: UnitSubject | null;
  /** Manage a unit's desks, kiosks and posters. */
  manageUnit: UnitSubject;
  /** Edit, disable or reset an account. */
  manageUser: { user: { role: Role; unitId: number | null }; units: Unit[] };
  /** Keep or remove a flagged response (reviewRight says who sees it). */
  review: { response: Reviewable; units: Unit[] };
  /** Hide and show comments, and so see the hidden ones. */
  moderate: null;
  /** See a unit's figures and comments. */
  seeUnit: UnitSubject;
  /**
   * Configure where alerts are sent (/canh-bao/cai-dat): at all (null: open the page), or a webhook
   * of one unit (`unitId`) or of the province (`unitId: null`, administrators only).
   */
  configureAlerts: { unitId: number | null; units: Unit[] } | null;
  /** Acknowledge an alert and record what was done about it; unitId null: a province-level alert. */
  followUpAlert: { unitId: number | null; units: Unit[] };
}

export type Action = keyof Permissions;

const RULES: { [A in Action]: (staff: Staff, subject: Permissions[A]) => boolean } = {
  administer: (staff) => canAdminister(staff),
  administerEverything: (staff) => isAdministrator(staff),
  enterPaper: (staff, on) => (on === null ? canAdminister(staff) || staff.paperEntry : canEnterPaper(staff, on.unitId, on.units)),
  manageUnit: (staff, on) => canManageUnit(staff, on.unitId, on.units),
  manageUser: (staff, on) => canManageUser(staff, on.user, on.units),
  review: (staff, on) => canReview(staff, on.response, on.units),
  moderate: (staff) => canModerate(staff),
  seeUnit: (staff, on) => canSeeUnit(staff, on.unitId, on.units),
  configureAlerts: (staff, on) => (on === null ? canAdminister(staff) : on.unitId === null ? isAdministrator(staff) : canAdminister(staff) && canManageUnit(staff, on.unitId, on.units)),
  followUpAlert: (staff, on) => canFollowUpAlert(staff, on.unitId, on.units),
};

/** May this person do this (to this)? An action about nothing takes no subject. */
export function authorize<A extends Action>(staff: Staff, action: A, ...subject: Permissions[A] extends null ? [] : [Permissions[A]]): boolean {
  return RULES[action](staff, (subject[0] ?? null) as Permissions[A]);
}

/** May open /admin at all. */
function canAdminister(staff: Staff): boolean {
  return staff.role === 'admin' || staff.role === 'manager';
}

/** Units, targets, questionnaires, accounts of any role, the audit log: administrators only. */
function isAdministrator(staff: Staff): boolean {
  return staff.role === 'admin';
}

/** Units whose desks the person manages; null means every unit. */
export function managedUnitIds(staff: Staff, units: Unit[]): number[] | null {
  if (staff.role === 'admin') return null;
  if (staff.role !== 'manager' || staff.unitId === null) return [];
  return unitWithDescendants(staff.unitId, units);
}

function canManageUnit(staff: Staff, unitId: number, units: Unit[]): boolean {
  const managed = managedUnitIds(staff, units);
  return managed === null || managed.includes(unitId);
}

/** Roles the person may give: a manager creates and edits viewers only. */
export function assignableRoles(staff: Staff): Role[] {
  return staff.role === 'admin' ? ['admin', 'manager', 'viewer'] : staff.role === 'manager' ? ['viewer'] : [];
}

function canManageUser(staff: Staff, target: { role: Role; unitId: number | null }, units: Unit[]): boolean {
  if (staff.role === 'admin') return true;
  return staff.role === 'manager' && target.role === 'viewer' && target.unitId !== null && canManageUnit(staff, target.unitId, units);
}

function canEnterPaper(staff: Staff, unitId: number, units: Unit[]): boolean {
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
function canReview(staff: Staff, response: Reviewable, units: Unit[]): boolean {
  return reviewRight(staff, response, units) === 'decide';
}

/**
 * Who acknowledges an alert and records its follow-ups (issue 22): administrators any alert, a
 * manager the alerts of the units they manage (never the province's, unit null), a viewer none
 * (they see the alerts of their unit, without the buttons).
 */
function canFollowUpAlert(staff: Staff, unitId: number | null, units: Unit[]): boolean {
  if (staff.role === 'admin') return true;
  return staff.role === 'manager' && unitId !== null && canManageUnit(staff, unitId, units);
}
