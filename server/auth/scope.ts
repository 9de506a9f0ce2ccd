/**
 * The one rule for which units a report may cover. Always from the signed-in user or the API
 * token's user, never from the query string: asking for a unit or desk outside it is refused.
 */
import type { Role, Unit } from '../../db/schema.ts';

export interface Staff {
  id: number;
  username: string;
  displayName: string;
  role: Role;
  unitId: number | null;
  /** A viewer who may also type in paper forms of their unit. */
  paperEntry: boolean;
}

/**
 * Who a report is for: a member of staff (session or API token); the public disclosure page, which
 * shows aggregates over every unit and never a comment; or whoever runs the command line on the
 * server, who holds the whole database already.
 */
export type Audience = { kind: 'staff'; staff: Staff } | { kind: 'public' } | { kind: 'operator' };

/** A unit and everything below it. */
export function unitWithDescendants(unitId: number, units: Unit[]): number[] {
  const children = new Map<number, number[]>();
  for (const u of units) {
    if (u.parent_id === null) continue;
    const list = children.get(u.parent_id) ?? [];
    list.push(u.id);
    children.set(u.parent_id, list);
  }
  const result: number[] = [];
  const stack = [unitId];
  const seen = new Set<number>();
  while (stack.length > 0) {
    const id = stack.pop() as number;
    if (seen.has(id)) continue;
    seen.add(id);
    result.push(id);
    stack.push(...(children.get(id) ?? []));
  }
  return result;
}

/**
 * null means every unit (administrators). Managers see their unit and its children; viewers
 * only their own unit. A staff member without a unit who is not an administrator sees nothing.
 */
export function allowedUnitIds(staff: Staff, units: Unit[]): number[] | null {
  if (staff.role === 'admin') return null;
  if (staff.unitId === null) return [];
  return staff.role === 'manager' ? unitWithDescendants(staff.unitId, units) : [staff.unitId];
}

/**
 * Whether an alert is among those of these units (allowedUnitIds; null: every alert). The province's
 * alerts (unit_id null) are an administrator's only; db/queries/alerts.ts listAlerts reads the same rule.
 */
export function seesAlert(unitIds: number[] | null, alert: { unit_id: number | null }): boolean {
  return unitIds === null || (alert.unit_id !== null && unitIds.includes(alert.unit_id));
}

export function canSeeUnit(staff: Staff, unitId: number, units: Unit[]): boolean {
  const allowed = allowedUnitIds(staff, units);
  return allowed === null || allowed.includes(unitId);
}

/** Managers and administrators may hide abusive comments, and so see the hidden ones (marked). */
export function canModerate(staff: Staff): boolean {
  return staff.role === 'admin' || staff.role === 'manager';
}

/** Whether hidden comments reach this audience (marked as hidden): moderators and the operator. */
export function seesHiddenComments(audience: Audience): boolean {
  if (audience.kind === 'staff') return canModerate(audience.staff);
  return audience.kind === 'operator';
}

export type UnitScope =
  /** unitIds: the units the report covers (null = every unit); allowed: what the audience may pick from. */
  | { ok: true; unitIds: number[] | null; allowed: number[] | null }
  | { ok: false };

/**
 * The units a report covers: the requested unit with the units below it, within what the audience
 * may see. A unit, or the unit of a desk, outside that is refused.
 */
export function scopeUnits(audience: Audience, units: Unit[], requested: { unitId: number | null; deskUnitId: number | null }): UnitScope {
  const allowed = audience.kind === 'staff' ? allowedUnitIds(audience.staff, units) : null;
  const visible = (unitId: number) => allowed === null || allowed.includes(unitId);
  if (requested.deskUnitId !== null && !visible(requested.deskUnitId)) return { ok: false };
  if (requested.unitId === null) return { ok: true, unitIds: allowed, allowed };
  if (!visible(requested.unitId)) return { ok: false };
  const subtree = unitWithDescendants(requested.unitId, units);
  return { ok: true, unitIds: allowed === null ? subtree : subtree.filter(visible), allowed };
}
