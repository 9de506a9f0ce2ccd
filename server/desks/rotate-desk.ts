/**
 * Why: rotating a desk's QR code (every printed code, the short address printed under it, and the old
 * survey address, stop working at once) is one command (issue 19): who may (a unit the person manages),
 * and the new token version and short code with its audit entry ('desk.rotate') in one transaction.
 */
import type { Kysely } from 'kysely';
import { audit } from '../../db/queries/audit.ts';
import { type DeskDetail, revokeDeskTokens } from '../../db/queries/desks.ts';
import type { Database, Unit } from '../../db/schema.ts';
import { authorize } from '../auth/permissions.ts';
import type { Staff } from '../auth/scope.ts';

export type RotateDeskResult = { ok: true } | { ok: false; status: 403 };

export async function rotateDesk(db: Kysely<Database>, staff: Staff, target: { desk: DeskDetail; unit: Unit; units: Unit[] }, at: string): Promise<RotateDeskResult> {
  const { desk, unit, units } = target;
  if (!authorize(staff, 'manageUnit', { unitId: unit.id, units })) return { ok: false, status: 403 };
  await db.transaction().execute(async (trx) => {
    const shortCode = await revokeDeskTokens(trx, desk.id);
    await audit(trx, {
      at,
      userId: staff.id,
      action: 'desk.rotate',
      subject: `${unit.code}/${desk.code}`,
      before: { tokenVersion: desk.tokenVersion, shortCode: desk.shortCode },
      after: { tokenVersion: desk.tokenVersion + 1, shortCode },
    });
  });
  return { ok: true };
}
