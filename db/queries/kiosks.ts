/**
 * Counter tablets registered one by one on their desk's page (issue 16, "counted means counted
 * once"). Each has its own address (`/k/t.…`, server/tokens/tokens.ts), so one tablet can be revoked without
 * reprinting the desk's QR codes, and a response is known to come from that tablet on the counter,
 * not from one person's phone opening form after form. Registering and revoking write their audit
 * entry in the same transaction (the caller's when given one: the commands of server/desks/ check
 * who may and the name first): the log never misses a tablet, nor names one that was not made.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../schema.ts';
import { audit } from './audit.ts';
import { within } from './within.ts';

/** Who made a change and when, and the desk as the audit log names it ('unit code/desk code'). */
export interface KioskChange {
  at: string;
  userId: number;
  subject: string;
}

export interface KioskListing {
  id: number;
  name: string;
  createdAt: string;
  /** The display name of the account that registered it; null when unknown (or made by the command line). */
  createdBy: string | null;
  revokedAt: string | null;
}

/** Registers a tablet at a desk and logs it; returns its id. */
export async function createKiosk(db: Kysely<Database>, deskId: number, name: string, change: KioskChange): Promise<number> {
  return within(db, async (trx) => {
    const { id } = await trx
      .insertInto('kiosks')
      .values({ desk_id: deskId, name, created_at: change.at, created_by: change.userId, revoked_at: null })
      .returning('id')
      .executeTakeFirstOrThrow();
    await audit(trx, { at: change.at, userId: change.userId, action: 'kiosk.create', subject: change.subject, detail: name, after: { kiosk: id, name } });
    return id;
  });
}

/** A desk's tablets, active and revoked, oldest first. */
export async function listKiosks(db: Kysely<Database>, deskId: number): Promise<KioskListing[]> {
  const rows = await db
    .selectFrom('kiosks')
    .leftJoin('users', 'users.id', 'kiosks.created_by')
    .select(['kiosks.id', 'kiosks.name', 'kiosks.created_at', 'kiosks.revoked_at', 'users.display_name'])
    .where('kiosks.desk_id', '=', deskId)
    .orderBy('kiosks.id')
    .execute();
  return rows.map((r) => ({ id: r.id, name: r.name, createdAt: r.created_at, createdBy: r.display_name, revokedAt: r.revoked_at }));
}

/** A tablet not revoked, with its desk; undefined otherwise. Read at every tablet request, so a revocation counts at once. */
export async function findActiveKiosk(db: Kysely<Database>, id: number): Promise<{ id: number; deskId: number } | undefined> {
  const row = await db.selectFrom('kiosks').select(['id', 'desk_id']).where('id', '=', id).where('revoked_at', 'is', null).executeTakeFirst();
  return row ? { id: row.id, deskId: row.desk_id } : undefined;
}

/** Revokes one tablet of the desk and logs it; false when the desk has no such tablet still active. */
export async function revokeKiosk(db: Kysely<Database>, deskId: number, kioskId: number, change: KioskChange): Promise<boolean> {
  return within(db, async (trx) => {
    const revoked = await trx
      .updateTable('kiosks')
      .set({ revoked_at: change.at })
      .where('id', '=', kioskId)
      .where('desk_id', '=', deskId)
      .where('revoked_at', 'is', null)
      .returning('name')
      .executeTakeFirst();
    if (!revoked) return false;
    await audit(trx, {
      at: change.at,
      userId: change.userId,
      action: 'kiosk.revoke',
      subject: change.subject,
      detail: revoked.name,
      before: { kiosk: kioskId, revokedAt: null },
      after: { kiosk: kioskId, revokedAt: change.at },
    });
    return true;
  });
}
