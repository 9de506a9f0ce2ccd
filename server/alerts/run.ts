/**
 * Why: one run of the alerts (issue 22), the same from the scheduler and from `sipas alerts run`:
 * evaluate the rules (rules.ts), queue the webhooks' events for what opened and closed (webhooks.ts),
 * then the immediate emails (alert-email.ts). A dry run evaluates and says what would open and close
 * and who would get an email, writing nothing.
 */
import { localTimestamp } from '../../analytics/time.ts';
import { type AlertEmailSummary, sendAlertEmails } from './alert-email.ts';
import type { MailDeps } from './mail.ts';
import { type EvaluationResult, evaluateAlerts } from './rules.ts';
import { enqueueAlertEvents } from './webhooks.ts';

export interface AlertRun {
  evaluation: EvaluationResult;
  /** Webhook deliveries queued. */
  webhooks: number;
  emails: AlertEmailSummary;
}

export interface RunOptions {
  now: Date;
  dryRun?: boolean;
  /** The last day the rules read; default the day just closed (rules.ts). */
  through?: string;
  /** The run's key in mail_log (the scheduler: the evaluated day); default this instant's. */
  runKey?: string;
}

export async function runAlerts(deps: MailDeps, opts: RunOptions): Promise<AlertRun> {
  const { db, config } = deps;
  const evaluation = await evaluateAlerts(db, { now: opts.now, minN: config.minResponses, ...(opts.dryRun ? { dryRun: true } : {}), ...(opts.through ? { through: opts.through } : {}) });
  const webhooks = opts.dryRun ? 0 : await enqueueAlertEvents(db, { opened: evaluation.opened, closed: evaluation.closed }, opts.now, config.baseUrl);
  const emails = await sendAlertEmails(deps, {
    runKey: opts.runKey ?? `run ${localTimestamp(opts.now)}`,
    now: opts.now,
    opened: opts.dryRun ? evaluation.opened : [],
    ...(opts.dryRun ? { dryRun: true } : {}),
  });
  return { evaluation, webhooks, emails };
}
