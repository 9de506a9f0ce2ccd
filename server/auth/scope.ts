/** Which units a staff member may see. Always from the session's user, never from the query. */
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

export function canSeeUnit(staff: Staff, unitId: number, units: Unit[]): boolean {
  const allowed = allowedUnitIds(staff, units);
  return allowed === null || allowed.includes(unitId);
}

export function canModerate(staff: Staff): boolean {
  return staff.role === 'admin' || staff.role === 'manager';
}
