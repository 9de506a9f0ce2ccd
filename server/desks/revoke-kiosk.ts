/**
 * Why: revoking one counter tablet is one command (issue 19): who may (a unit the person manages),
 * and the revocation with its audit entry ('kiosk.revoke', written by db/queries/kiosks.ts
 * revokeKiosk) in one transaction. A tablet already revoked (by someone else meanwhile) or of
 * another desk is not found.
 */
import type { Kysely } from 'kysely';
import type { DeskDetail } from '../../db/queries/desks.ts';
import { revokeKiosk } from '../../db/queries/kiosks.ts';
import type { Database, Unit } from '../../db/schema.ts';
import { authorize } from '../auth/permissions.ts';
import type { Staff } from '../auth/scope.ts';

export type RevokeKioskResult = { ok: true } | { ok: false; status: 403 | 404 };

export async function revokeTablet(
  db: Kysely<Database>,
  staff: Staff,
  target: { desk: DeskDetail; unit: Unit; units: Unit[] },
  kioskId: number,
  at: string,
): Promise<RevokeKioskResult> {
  const { desk, unit, units } = target;
  if (!authorize(staff, 'manageUnit', { unitId: unit.id, units })) return { ok: false, status: 403 };
  const revoked = await db.transaction().execute((trx) => revokeKiosk(trx, desk.id, kioskId, { at, userId: staff.id, subject: `${unit.code}/${desk.code}` }));
  return revoked ? { ok: true } : { ok: false, status: 404 };
}
