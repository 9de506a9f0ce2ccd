/**
 * Why: what staff do about an alert, the one place each rule lives (issue 22). Acknowledging says
 * "we have seen it" (open → acknowledged, never a closed alert); a follow-up records who took it,
 * what was done and by when (a due day from today on), and acknowledges an open alert on the way —
 * a closed alert still takes one, as the record of what was done. Who may: authorize(followUpAlert)
 * (administrators any alert, managers their units', viewers none). Each change and its audit entry
 * are written in one transaction; a refusal writes nothing.
 */
import type { Kysely } from 'kysely';
import { addDays, localDay } from '../../analytics/time.ts';
import { acknowledgeAlertRow, insertAlertAction } from '../../db/queries/alert-actions.ts';
import { findAlert } from '../../db/queries/alerts.ts';
import { audit } from '../../db/queries/audit.ts';
import { listUnits } from '../../db/queries/units.ts';
import type { Alert, Database } from '../../db/schema.ts';
import { authorize } from '../auth/permissions.ts';
import type { Staff } from '../auth/scope.ts';
import type { Lang, Translate } from '../i18n/index.ts';
import { formatCount, formatDay, parsePersonDay } from '../presenters/format.ts';

/** Field name to a message already in the reader's language. */
export type FollowUpErrors = Partial<Record<keyof FollowUpForm, string>>;

export const OWNER_MAX = 200;
export const ACTION_MAX = 2000;
/** The latest due day a follow-up may give, in days from today (two years). */
export const DUE_DAYS_AHEAD = 730;

/** How the alert is named in the audit log: its number and key ("#12 below_target|desk:5"). */
function subjectOf(alert: Alert): string {
  return `#${alert.id} ${alert.alert_key}`;
}

async function mayFollowUp(db: Kysely<Database>, staff: Staff, alert: Alert): Promise<boolean> {
  return authorize(staff, 'followUpAlert', { unitId: alert.unit_id, units: await listUnits(db) });
}

export type AcknowledgeResult =
  | { ok: true; alert: Alert; already: boolean }
  | { ok: false; status: 404 | 403 }
  /** A closed alert is not acknowledged (its follow-ups still are recorded). */
  | { ok: false; status: 409; alert: Alert };

export async function acknowledgeAlert(db: Kysely<Database>, staff: Staff, alertId: number, now: Date): Promise<AcknowledgeResult> {
  const alert = await findAlert(db, alertId);
  if (!alert) return { ok: false, status: 404 };
  if (!(await mayFollowUp(db, staff, alert))) return { ok: false, status: 403 };
  if (alert.status === 'closed') return { ok: false, status: 409, alert };
  if (alert.status === 'acknowledged') return { ok: true, alert, already: true };
  const at = now.toISOString();
  return db.transaction().execute(async (trx) => {
    // Guarded by its status: two people pressing at once (or the alert closing meanwhile) change it once.
    if (!(await acknowledgeAlertRow(trx, alert.id, staff.id, at))) {
      const current = (await findAlert(trx, alert.id)) ?? alert;
      return current.status === 'closed' ? ({ ok: false, status: 409, alert: current } as const) : ({ ok: true, alert: current, already: true } as const);
    }
    await audit(trx, { at, userId: staff.id, action: 'alert.acknowledge', subject: subjectOf(alert), before: { status: 'open' }, after: { status: 'acknowledged' } });
    return { ok: true, alert: { ...alert, status: 'acknowledged', acknowledged_at: at, acknowledged_by: staff.id }, already: false } as const;
  });
}

/** The follow-up form as typed (trimmed): the due day as the person wrote it. */
export interface FollowUpForm {
  owner: string;
  action: string;
  due: string;
}

export type FollowUpResult =
  | { ok: true; alert: Alert; actionId: number; acknowledged: boolean }
  | { ok: false; status: 404 | 403 }
  | { ok: false; status: 422; alert: Alert; errors: FollowUpErrors };

/** The form's rules; the due day as a local day when every field is right. */
export function checkFollowUp(form: FollowUpForm, today: string, t: Translate, lang: Lang): { errors: FollowUpErrors; dueDay: string | null } {
  const errors: FollowUpErrors = {};
  if (form.owner === '') errors.owner = t('alerts.page.error.owner.empty');
  else if ([...form.owner].length > OWNER_MAX) errors.owner = t('alerts.page.error.owner.long', { max: formatCount(OWNER_MAX, lang) });
  if (form.action === '') errors.action = t('alerts.page.error.action.empty');
  else if ([...form.action].length > ACTION_MAX) errors.action = t('alerts.page.error.action.long', { max: formatCount(ACTION_MAX, lang) });
  // Read as the dashboard's date filters read a typed day (dd/mm/yyyy, '.' or '-' between, or ISO).
  const dueDay = form.due === '' ? null : parsePersonDay(form.due);
  if (form.due === '') errors.due = t('alerts.page.error.due.empty');
  else if (dueDay === null) errors.due = t('alerts.page.error.due.invalid', { value: form.due.slice(0, 40) });
  else if (dueDay < today) errors.due = t('alerts.page.error.due.past', { today: formatDay(today) });
  // A mistyped year (2062 for 2026) is caught: follow-ups are due within the next two years.
  else if (dueDay > addDays(today, DUE_DAYS_AHEAD)) errors.due = t('alerts.page.error.due.far', { last: formatDay(addDays(today, DUE_DAYS_AHEAD)) });
  return { errors, dueDay: Object.keys(errors).length === 0 ? dueDay : null };
}

export async function recordFollowUp(db: Kysely<Database>, staff: Staff, alertId: number, form: FollowUpForm, now: Date, t: Translate, lang: Lang): Promise<FollowUpResult> {
  const alert = await findAlert(db, alertId);
  if (!alert) return { ok: false, status: 404 };
  if (!(await mayFollowUp(db, staff, alert))) return { ok: false, status: 403 };
  const today = localDay(now);
  const { errors, dueDay } = checkFollowUp(form, today, t, lang);
  if (dueDay === null) return { ok: false, status: 422, alert, errors };
  const at = now.toISOString();
  return db.transaction().execute(async (trx) => {
    const actionId = await insertAlertAction(trx, { alertId: alert.id, owner: form.owner, action: form.action, dueDay, createdBy: staff.id, createdAt: at, createdDay: today });
    await audit(trx, { at, userId: staff.id, action: 'alert.follow_up', subject: subjectOf(alert), after: { id: actionId, owner: form.owner, action: form.action, due_day: dueDay } });
    // Recording what was done about an open alert is acknowledging it.
    const acknowledged = alert.status === 'open' && (await acknowledgeAlertRow(trx, alert.id, staff.id, at));
    if (acknowledged) {
      await audit(trx, { at, userId: staff.id, action: 'alert.acknowledge', subject: subjectOf(alert), detail: 'follow_up', before: { status: 'open' }, after: { status: 'acknowledged' } });
    }
    const after: Alert = acknowledged ? { ...alert, status: 'acknowledged', acknowledged_at: at, acknowledged_by: staff.id } : alert;
    return { ok: true, alert: after, actionId, acknowledged } as const;
  });
}
