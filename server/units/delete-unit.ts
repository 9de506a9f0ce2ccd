/**
 * Why: deleting a unit is one command (issue 19): administrators only, and only a unit nothing
 * hangs on (no desk, response, unit below it or account: its history must stay, and deactivating
 * keeps it); the check, the deletion and its audit entry ('unit.delete') in one transaction, so a
 * desk added meanwhile is never orphaned.
 */
import type { Kysely } from 'kysely';
import { audit } from '../../db/queries/audit.ts';
import { deleteUnit, unitUsage, type UnitUsage } from '../../db/queries/units.ts';
import type { Database, Unit } from '../../db/schema.ts';
import { authorize } from '../auth/permissions.ts';
import type { Staff } from '../auth/scope.ts';

/** Whether anything hangs on a unit: it may be deleted only when nothing does. */
export const isUnused = (usage: UnitUsage): boolean => usage.desks + usage.responses + usage.children + usage.users === 0;

export type DeleteUnitResult =
  | { ok: true }
  | { ok: false; status: 403 }
  /** Something hangs on it: what, counted. */
  | { ok: false; status: 409; usage: UnitUsage };

export async function removeUnit(db: Kysely<Database>, staff: Staff, unit: Unit, at: string): Promise<DeleteUnitResult> {
  if (!authorize(staff, 'administerEverything')) return { ok: false, status: 403 };
  return db.transaction().execute(async (trx) => {
    const usage = await unitUsage(trx, unit.id);
    if (!isUnused(usage)) return { ok: false, status: 409, usage } as const;
    await deleteUnit(trx, unit.id);
    await audit(trx, { at, userId: staff.id, action: 'unit.delete', subject: unit.code, before: { name: unit.name, kind: unit.kind } });
    return { ok: true } as const;
  });
}
