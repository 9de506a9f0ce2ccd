/**
 * Why: "Sau khi khắc phục" — did what was done about an alert help? Beside each follow-up, its
 * subject's overall satisfaction (the desk, the unit with the units below it, or the field, within
 * the alert's unit when it has one) over the days after the follow-up was recorded (created_day + 1
 * up to today), the overall rate the dashboard gives a group (figures/indicator-results.ts overallOf over the
 * rollups), and only called a figure from config.minResponses respondents up. An alert about
 * dossiers is followed by the same dossier figure (on time; late ones without an apology), and a run
 * of suspect responses by the suspect responses that came since. One function for the alerts page, a
 * desk's page and the printed report, so the three never disagree.
 */
import type { Kysely } from 'kysely';
import { rollupSpans } from '../../analytics/periods.ts';
import { addDays } from '../../analytics/time.ts';
import { type AlertActionRow, listAlertActions } from '../../db/queries/alert-actions.ts';
import type { RollupFilter } from '../../db/queries/analytics.ts';
import { dossierSums } from '../../db/queries/dossier-counts.ts';
import { suspectByDesk } from '../../db/queries/flagged-responses.ts';
import type { Alert, AlertRule, Database } from '../../db/schema.ts';
import { unitWithDescendants } from '../auth/scope.ts';
import type { ReportContext } from '../figures/context.ts';
import { readRows } from '../figures/groups.ts';
import { overallOf } from '../figures/indicator-results.ts';

/** The subject's figure after a follow-up. */
export interface AfterFix {
  /**
   * What is counted: satisfaction (value a share, n respondents); on_time (value the share of dossiers
   * resolved on time, n dossiers resolved); apology (value the late dossiers without an apology, n the
   * late ones); suspect (n suspect responses received since).
   */
  kind: 'satisfaction' | 'on_time' | 'apology' | 'suspect';
  /** First local day counted: the day after the follow-up was recorded. */
  from: string;
  /** Last local day counted: today. */
  to: string;
  /** Share answering the overall question 4–5; null without answers. */
  value: number | null;
  /** Respondents who answered the overall question. */
  n: number;
  /** n ≥ config.minResponses: the figure may be read. */
  enough: boolean;
}

export interface FollowUp {
  action: AlertActionRow;
  after: AfterFix;
}

const KIND_OF_RULE: Record<AlertRule, AfterFix['kind']> = {
  below_target: 'satisfaction',
  fall: 'satisfaction',
  suspect_run: 'suspect',
  dossier_on_time: 'on_time',
  dossier_apology: 'apology',
};

/** The rollup filter of an alert's subject over these days: counted responses only. */
function subjectFilter(alert: Alert, ctx: ReportContext, from: string, to: string): RollupFilter {
  const within = alert.unit_id === null ? null : unitWithDescendants(alert.unit_id, ctx.units);
  const base = { from, to, spans: rollupSpans({ from, to }), channel: null, statuses: ['ok' as const], today: to };
  switch (alert.subject_kind) {
    case 'desk':
      return { ...base, unitIds: null, fieldIds: null, deskId: alert.subject_id };
    case 'unit':
      return { ...base, unitIds: unitWithDescendants(alert.subject_id, ctx.units), fieldIds: null, deskId: null };
    case 'field':
      return { ...base, unitIds: within, fieldIds: [alert.subject_id], deskId: null };
  }
}

/** The figure of an alert's subject from the day after `createdDay` to `today`. */
export async function afterFixFigure(db: Kysely<Database>, ctx: ReportContext, alert: Alert, createdDay: string, today: string, minN: number): Promise<AfterFix> {
  const from = addDays(createdDay, 1);
  const kind = KIND_OF_RULE[alert.rule];
  if (from > today) return { kind, from, to: today, value: null, n: 0, enough: false };
  if (kind === 'suspect') {
    const n = (await suspectByDesk(db, from, today)).filter((r) => r.deskId === alert.subject_id).reduce((a, r) => a + r.n, 0);
    return { kind, from, to: today, value: null, n, enough: true };
  }
  if (kind === 'on_time' || kind === 'apology') {
    const f = subjectFilter(alert, ctx, from, today);
    const sums = await dossierSums(db, { from, to: today, unitIds: f.unitIds, fieldIds: f.fieldIds, deskId: f.deskId });
    const total = sums.reduce((a, r) => ({ resolved: a.resolved + r.resolved, onTime: a.onTime + r.onTime, late: a.late + r.late, apologised: a.apologised + r.apologised }), { resolved: 0, onTime: 0, late: 0, apologised: 0 });
    // Every dossier is counted (no sample): any count is a figure.
    return kind === 'on_time'
      ? { kind, from, to: today, value: total.resolved > 0 ? total.onTime / total.resolved : null, n: total.resolved, enough: total.resolved > 0 }
      : { kind, from, to: today, value: Math.max(0, total.late - total.apologised), n: total.late, enough: true };
  }
  const rows = await readRows(db, subjectFilter(alert, ctx, from, today), 'none');
  const overall = overallOf(rows.questions, ctx);
  return { kind, from, to: today, value: overall.value, n: overall.n, enough: overall.value !== null && overall.n >= minN };
}

/**
 * The follow-ups of these alerts, oldest first, each with its subject's figure after it. Follow-ups
 * of one subject recorded on the same day share one read.
 */
export async function loadFollowUps(db: Kysely<Database>, ctx: ReportContext, alerts: readonly Alert[], today: string, minN: number): Promise<Map<number, FollowUp[]>> {
  const byId = new Map(alerts.map((a) => [a.id, a]));
  const actions = await listAlertActions(db, alerts.map((a) => a.id));
  const figures = new Map<string, Promise<AfterFix>>();
  const result = new Map<number, FollowUp[]>();
  for (const action of actions) {
    const alert = byId.get(action.alert_id);
    if (!alert) continue;
    const key = `${alert.subject_kind}:${alert.subject_id}:${alert.unit_id ?? ''}:${action.created_day}`;
    let figure = figures.get(key);
    if (!figure) figures.set(key, (figure = afterFixFigure(db, ctx, alert, action.created_day, today, minN)));
    const list = result.get(alert.id) ?? [];
    list.push({ action, after: await figure });
    result.set(alert.id, list);
  }
  return result;
}
