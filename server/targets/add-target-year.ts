/**
 * Why: adding a year of targets (each indicator's latest earlier target, copied unconfirmed, for
 * an administrator to confirm or change) is one command (issue 19): administrators only, a year in
 * range (else 400), and the copies with their audit entry ('target.year') in one transaction.
 */
import type { Kysely } from 'kysely';
import { audit } from '../../db/queries/audit.ts';
import { copyTargetsToYear } from '../../db/queries/targets.ts';
import type { Database } from '../../db/schema.ts';
import { authorize } from '../auth/permissions.ts';
import type { Staff } from '../auth/scope.ts';
import { isTargetYear } from './save-target.ts';

export type AddTargetYearResult = { ok: true; added: number } | { ok: false; status: 400 | 403 };

export async function addTargetYear(db: Kysely<Database>, staff: Staff, year: number, at: string): Promise<AddTargetYearResult> {
  if (!authorize(staff, 'administerEverything')) return { ok: false, status: 403 };
  if (!isTargetYear(year)) return { ok: false, status: 400 };
  const added = await db.transaction().execute(async (trx) => {
    const copied = await copyTargetsToYear(trx, year, staff.id, at);
    await audit(trx, { at, userId: staff.id, action: 'target.year', subject: String(year), after: { copied } });
    return copied;
  });
  return { ok: true, added };
}
