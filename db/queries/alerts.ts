/**
 * Alerts as rows (issue 22): the rules (server/alerts/rules.ts) open, refresh and close them; the
 * alerts page, the emails and the webhooks read them. One row per rule and subject while it is not
 * closed: the partial unique index `alerts_one_open` holds that even when two app servers evaluate at
 * the same moment (the second insert is refused and read as "already open").
 */
import type { Kysely } from 'kysely';
import { isUniqueViolation } from '../dialect.ts';
import type { Alert, AlertCloseReason, AlertRule, AlertStatus, AlertSubjectKind, AlertWindow, Database } from '../schema.ts';

export function alertKey(rule: AlertRule, subjectKind: AlertSubjectKind, subjectId: number): string {
  return `${rule}|${subjectKind}:${subjectId}`;
}

/** Every alert not yet closed (open or acknowledged). */
export function unclosedAlerts(db: Kysely<Database>): Promise<Alert[]> {
  return db.selectFrom('alerts').selectAll().where('closed_at', 'is', null).execute();
}

/** What an evaluation found for one rule and subject: its figures in the window that raised it. */
export interface AlertFinding {
  rule: AlertRule;
  subjectKind: AlertSubjectKind;
  subjectId: number;
  unitId: number | null;
  window: AlertWindow;
  periodFrom: string;
  periodTo: string;
  value: number | null;
  target: number | null;
  bound: number | null;
  n: number;
  details: unknown;
}

function figures(f: AlertFinding) {
  return {
    window: f.window,
    period_from: f.periodFrom,
    period_to: f.periodTo,
    value: f.value,
    target: f.target,
    bound: f.bound,
    n: f.n,
    details_json: JSON.stringify(f.details),
  };
}

/** The row a finding opens (a dry run shows it with id 0, never written). */
export function newAlertRow(f: AlertFinding, at: string): Omit<Alert, 'id'> {
  return {
    alert_key: alertKey(f.rule, f.subjectKind, f.subjectId),
    rule: f.rule,
    subject_kind: f.subjectKind,
    subject_id: f.subjectId,
    unit_id: f.unitId,
    ...figures(f),
    status: 'open',
    opened_at: at,
    evaluated_at: at,
    acknowledged_at: null,
    acknowledged_by: null,
    closed_at: null,
    close_reason: null,
    closed_value: null,
  };
}

/** Opens an alert; undefined when one is already open under its key (another server's evaluation). */
export async function openAlert(db: Kysely<Database>, f: AlertFinding, at: string): Promise<Alert | undefined> {
  try {
    return await db
      .insertInto('alerts')
      .values(newAlertRow(f, at))
      .returningAll()
      .executeTakeFirstOrThrow();
  } catch (error) {
    if (isUniqueViolation(error)) return undefined;
    throw error;
  }
}

/** An open alert's figures brought up to date (its condition still holds). */
export async function refreshAlert(db: Kysely<Database>, id: number, f: AlertFinding, at: string): Promise<void> {
  await db.updateTable('alerts').set({ ...figures(f), evaluated_at: at }).where('id', '=', id).where('closed_at', 'is', null).execute();
}

/** Closes an alert whose condition no longer holds; undefined when it was closed already. */
export async function closeAlert(
  db: Kysely<Database>,
  id: number,
  close: { reason: AlertCloseReason; value: number | null; at: string },
): Promise<Alert | undefined> {
  return db
    .updateTable('alerts')
    .set({ status: 'closed', closed_at: close.at, close_reason: close.reason, closed_value: close.value, evaluated_at: close.at })
    .where('id', '=', id)
    .where('closed_at', 'is', null)
    .returningAll()
    .executeTakeFirst();
}

/** Newest first. `unitIds` null: every alert (administrators); else the alerts of those units (the province's are an administrator's). */
export async function listAlerts(
  db: Kysely<Database>,
  opts: { unitIds: number[] | null; statuses: AlertStatus[]; limit?: number; offset?: number; deskId?: number },
): Promise<Alert[]> {
  let q = db.selectFrom('alerts').selectAll().where('status', 'in', opts.statuses);
  if (opts.unitIds !== null) q = opts.unitIds.length > 0 ? q.where('unit_id', 'in', opts.unitIds) : q.where('id', '<', 0);
  if (opts.deskId !== undefined) q = q.where('subject_kind', '=', 'desk').where('subject_id', '=', opts.deskId);
  return q
    .orderBy('opened_at', 'desc')
    .orderBy('id', 'desc')
    .limit(opts.limit ?? 50)
    .offset(opts.offset ?? 0)
    .execute();
}

/** Where an alert stands in its tab's list (newest first): how many of the same status come before it. */
export async function alertsBefore(db: Kysely<Database>, alert: Alert, unitIds: number[] | null): Promise<number> {
  let q = db
    .selectFrom('alerts')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('status', '=', alert.status)
    .where((eb) => eb.or([eb('opened_at', '>', alert.opened_at), eb.and([eb('opened_at', '=', alert.opened_at), eb('id', '>', alert.id)])]));
  if (unitIds !== null) q = unitIds.length > 0 ? q.where('unit_id', 'in', unitIds) : q.where('id', '<', 0);
  return Number((await q.executeTakeFirstOrThrow()).n);
}

/** How many alerts of each status a scope has (the page's tabs, the dashboard's card). */
export async function countAlerts(db: Kysely<Database>, unitIds: number[] | null): Promise<Record<AlertStatus, number>> {
  let q = db.selectFrom('alerts').select((eb) => ['status', eb.fn.countAll<number>().as('n')]);
  if (unitIds !== null) q = unitIds.length > 0 ? q.where('unit_id', 'in', unitIds) : q.where('id', '<', 0);
  const rows = await q.groupBy('status').execute();
  const counts: Record<AlertStatus, number> = { open: 0, acknowledged: 0, closed: 0 };
  for (const r of rows) counts[r.status] = Number(r.n);
  return counts;
}

export function findAlert(db: Kysely<Database>, id: number): Promise<Alert | undefined> {
  return db.selectFrom('alerts').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Alerts opened at or after an instant, oldest first (the emails' "new alerts"). */
export async function alertsOpenedSince(db: Kysely<Database>, at: string, unitIds: number[] | null): Promise<Alert[]> {
  let q = db.selectFrom('alerts').selectAll().where('opened_at', '>=', at);
  if (unitIds !== null) q = unitIds.length > 0 ? q.where('unit_id', 'in', unitIds) : q.where('id', '<', 0);
  return q.orderBy('opened_at').orderBy('id').execute();
}
