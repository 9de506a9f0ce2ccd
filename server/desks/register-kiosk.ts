/**
 * Why: registering a counter tablet at a desk is one command (issue 19): who may (a unit the person
 * manages), the tablet's name (1 to 60 characters, not the name of another tablet in use at the
 * desk: two could not be told apart on the page or when revoking one), and the tablet with its
 * audit entry ('kiosk.create', written by db/queries/kiosks.ts createKiosk) in one transaction.
 */
import type { Kysely } from 'kysely';
import type { DeskDetail } from '../../db/queries/desks.ts';
import { createKiosk, listKiosks } from '../../db/queries/kiosks.ts';
import type { Database, Unit } from '../../db/schema.ts';
import { authorize } from '../auth/permissions.ts';
import type { Staff } from '../auth/scope.ts';
import type { Translate } from '../i18n/index.ts';

/** A tablet's name: 1 to 60 characters once trimmed (the form helpers trim and drop control characters). */
export const KIOSK_NAME_MAX = 60;

export function isKioskName(name: string): boolean {
  const length = [...name].length;
  return length >= 1 && length <= KIOSK_NAME_MAX;
}

export type RegisterKioskResult =
  | { ok: true; id: number }
  | { ok: false; status: 403 }
  /** The name refused, with why, in the person's language. */
  | { ok: false; status: 422; error: string };

export async function registerKiosk(
  db: Kysely<Database>,
  staff: Staff,
  target: { desk: DeskDetail; unit: Unit; units: Unit[] },
  name: string,
  at: string,
  t: Translate,
): Promise<RegisterKioskResult> {
  const { desk, unit, units } = target;
  if (!authorize(staff, 'manageUnit', { unitId: unit.id, units })) return { ok: false, status: 403 };
  if (!isKioskName(name)) return { ok: false, status: 422, error: t('admin.desk.kiosk.error.name') };
  return db.transaction().execute(async (trx) => {
    if ((await listKiosks(trx, desk.id)).some((k) => k.revokedAt === null && k.name.localeCompare(name, 'vi', { sensitivity: 'base' }) === 0)) {
      return { ok: false, status: 422, error: t('admin.desk.kiosk.error.taken', { name }) } as const;
    }
    const id = await createKiosk(trx, desk.id, name, { at, userId: staff.id, subject: `${unit.code}/${desk.code}` });
    return { ok: true, id } as const;
  });
}
