/**
 * Why: deactivating a desk (its QR codes and tablets stop taking responses; its history stays) and
 * activating it again is one command (issue 19): who may (a unit the person manages), and the
 * change with its audit entry ('desk.activate' / 'desk.deactivate') in one transaction.
 */
import type { Kysely } from 'kysely';
import { audit } from '../../db/queries/audit.ts';
import { type DeskDetail, setDeskActive } from '../../db/queries/desks.ts';
import type { Database, Unit } from '../../db/schema.ts';
import { authorize } from '../auth/permissions.ts';
import type { Staff } from '../auth/scope.ts';

export type SetDeskActiveResult = { ok: true } | { ok: false; status: 403 };

export async function setDeskActivity(
  db: Kysely<Database>,
  staff: Staff,
  target: { desk: DeskDetail; unit: Unit; units: Unit[] },
  active: boolean,
  at: string,
): Promise<SetDeskActiveResult> {
  const { desk, unit, units } = target;
  if (!authorize(staff, 'manageUnit', { unitId: unit.id, units })) return { ok: false, status: 403 };
  await db.transaction().execute(async (trx) => {
    await setDeskActive(trx, desk.id, active);
    await audit(trx, { at, userId: staff.id, action: active ? 'desk.activate' : 'desk.deactivate', subject: `${unit.code}/${desk.code}`, before: { active: desk.active }, after: { active } });
  });
  return { ok: true };
}
