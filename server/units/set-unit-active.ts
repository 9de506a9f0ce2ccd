/**
 * Why: deactivating a unit (merged, closed: its history stays, its desks take no more responses)
 * and activating it again is one command (issue 19): administrators only, and the change with its
 * audit entry ('unit.activate' / 'unit.deactivate') in one transaction.
 */
import type { Kysely } from 'kysely';
import { audit } from '../../db/queries/audit.ts';
import { setUnitActive } from '../../db/queries/units.ts';
import type { Database, Unit } from '../../db/schema.ts';
import { authorize } from '../auth/permissions.ts';
import type { Staff } from '../auth/scope.ts';

export type SetUnitActiveResult = { ok: true } | { ok: false; status: 403 };

export async function setUnitActivity(db: Kysely<Database>, staff: Staff, unit: Unit, active: boolean, at: string): Promise<SetUnitActiveResult> {
  if (!authorize(staff, 'administerEverything')) return { ok: false, status: 403 };
  await db.transaction().execute(async (trx) => {
    await setUnitActive(trx, unit.id, active);
    await audit(trx, { at, userId: staff.id, action: active ? 'unit.activate' : 'unit.deactivate', subject: unit.code, before: { active: unit.active === 1 }, after: { active } });
  });
  return { ok: true };
}
