/**
 * Why: the SQL of alert emails (issue 22): who gets them, the log that makes each email go once per
 * recipient and run (a row is claimed by its unique key before sending and removed if sending fails),
 * the follow-ups past their due day, and turning an account's emails off from its signed link.
 */
import type { Kysely } from 'kysely';
import type { Database, MailLogTable, Role } from '../schema.ts';

export interface MailRecipient {
  id: number;
  username: string;
  displayName: string;
  role: Role;
  unitId: number | null;
  paperEntry: boolean;
  email: string;
  lang: 'vi' | 'en';
}

/** Active accounts with an address that still want alert emails, by id. */
export async function mailRecipients(db: Kysely<Database>): Promise<MailRecipient[]> {
  const rows = await db
    .selectFrom('users')
    .select(['id', 'username', 'display_name', 'role', 'unit_id', 'paper_entry', 'email', 'lang'])
    .where('active', '=', 1)
    .where('alert_emails', '=', 1)
    .where('email', 'is not', null)
    .where('email', '!=', '')
    .orderBy('id')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    username: r.username,
    displayName: r.display_name,
    role: r.role,
    unitId: r.unit_id,
    paperEntry: r.paper_entry === 1,
    email: r.email ?? '',
    lang: r.lang === 'en' ? 'en' : 'vi',
  }));
}

export type MailKind = MailLogTable['kind'];

export interface MailClaim {
  userId: number;
  kind: MailKind;
  runKey: string;
  address: string;
  subject: string;
  sentAt: string;
}

/**
 * Claims the one email of this recipient, kind and run: true when this call wrote the row (send it),
 * false when it was there already (sent, or being sent by another app server).
 */
export async function claimMail(db: Kysely<Database>, claim: MailClaim): Promise<boolean> {
  const result = await db
    .insertInto('mail_log')
    .values({ user_id: claim.userId, kind: claim.kind, run_key: claim.runKey, address: claim.address, subject: claim.subject, sent_at: claim.sentAt })
    .onConflict((oc) => oc.columns(['user_id', 'kind', 'run_key']).doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0n) === 1;
}

/** Gives a claim back (sending failed): a later run sends it. */
export async function releaseMail(db: Kysely<Database>, userId: number, kind: MailKind, runKey: string): Promise<void> {
  await db.deleteFrom('mail_log').where('user_id', '=', userId).where('kind', '=', kind).where('run_key', '=', runKey).execute();
}

/** When this recipient was last sent an email of this kind (null: never). */
export async function lastMailAt(db: Kysely<Database>, userId: number, kind: MailKind): Promise<string | null> {
  const row = await db
    .selectFrom('mail_log')
    .select((eb) => eb.fn.max('sent_at').as('at'))
    .where('user_id', '=', userId)
    .where('kind', '=', kind)
    .executeTakeFirst();
  return row?.at ?? null;
}

export interface OverdueFollowUp {
  alertId: number;
  unitId: number | null;
  owner: string;
  action: string;
  dueDay: string;
}

/** Follow-ups whose due day is before `today` on alerts not closed, within the units (null: all), oldest due first. */
export async function overdueFollowUps(db: Kysely<Database>, today: string, unitIds: number[] | null): Promise<OverdueFollowUp[]> {
  let q = db
    .selectFrom('alert_actions')
    .innerJoin('alerts', 'alerts.id', 'alert_actions.alert_id')
    .select(['alerts.id as alertId', 'alerts.unit_id as unitId', 'alert_actions.owner', 'alert_actions.action', 'alert_actions.due_day as dueDay'])
    .where('alerts.status', '!=', 'closed')
    .where('alert_actions.due_day', '<', today);
  if (unitIds !== null) q = unitIds.length > 0 ? q.where('alerts.unit_id', 'in', unitIds) : q.where('alerts.id', '<', 0);
  return q.orderBy('alert_actions.due_day').orderBy('alert_actions.id').execute();
}

/** Turns an account's alert emails off; false when they were off already (nothing changed). */
export async function turnOffAlertEmails(db: Kysely<Database>, userId: number): Promise<boolean> {
  const result = await db.updateTable('users').set({ alert_emails: 0 }).where('id', '=', userId).where('alert_emails', '=', 1).executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}
