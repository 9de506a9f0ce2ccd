/**
 * Why: what staff do about an alert (issue 22) is written here and nowhere else: acknowledging it
 * (open → acknowledged, once, guarded by its status so two people pressing at once write one
 * change) and its follow-ups (who took it, what was done, by when), read back per page of alerts in
 * one query with the name of who wrote each down. The alerts themselves are read in alerts.ts.
 */
import type { Kysely } from 'kysely';
import type { AlertAction, Database } from '../schema.ts';

/** A follow-up as the pages show it: the row and the display name of who recorded it. */
export interface AlertActionRow extends AlertAction {
  createdByName: string;
}

/**
 * Marks an open alert acknowledged by this user; false when it was not open any more (acknowledged
 * or closed meanwhile), so nothing changed.
 */
export async function acknowledgeAlertRow(db: Kysely<Database>, alertId: number, userId: number, at: string): Promise<boolean> {
  const result = await db
    .updateTable('alerts')
    .set({ status: 'acknowledged', acknowledged_at: at, acknowledged_by: userId })
    .where('id', '=', alertId)
    .where('status', '=', 'open')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export interface NewAlertAction {
  alertId: number;
  owner: string;
  action: string;
  /** Local day YYYY-MM-DD. */
  dueDay: string;
  createdBy: number;
  createdAt: string;
  /** Local day the follow-up is recorded on. */
  createdDay: string;
}

export async function insertAlertAction(db: Kysely<Database>, a: NewAlertAction): Promise<number> {
  const row = await db
    .insertInto('alert_actions')
    .values({ alert_id: a.alertId, owner: a.owner, action: a.action, due_day: a.dueDay, created_by: a.createdBy, created_at: a.createdAt, created_day: a.createdDay })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** The follow-ups of these alerts, oldest first within each (by alert_actions_alert). */
export async function listAlertActions(db: Kysely<Database>, alertIds: readonly number[]): Promise<AlertActionRow[]> {
  if (alertIds.length === 0) return [];
  const rows = await db
    .selectFrom('alert_actions')
    .innerJoin('users', 'users.id', 'alert_actions.created_by')
    .selectAll('alert_actions')
    .select('users.display_name')
    .where('alert_actions.alert_id', 'in', [...alertIds])
    .orderBy('alert_actions.alert_id')
    .orderBy('alert_actions.id')
    .execute();
  return rows.map(({ display_name, ...row }) => ({ ...row, createdByName: display_name }));
}
