/**
 * Why: a manager hears of a new alert on the day it opens, not only in Monday's digest (issue 22).
 * After an evaluation, each account that may see new alerts (an administrator every alert; a manager
 * those of their unit and the units below it) gets ONE email listing them, at most one such email per
 * ALERT_EMAIL_MIN_MINUTES: alerts opened while the limit holds wait for the next email (everything
 * opened after the last one sent, still not closed). The first email an account ever gets covers the
 * last 24 hours. Each email is claimed in mail_log (account, 'alert', the run's key) in the step that
 * decides to send it, so a run sends it once whatever else runs; a failed send gives the claim back
 * and its alerts go in the next email.
 */
import { setImmediate as yieldToRequests } from 'node:timers/promises';
import { alertsOpenedSince } from '../../db/queries/alerts.ts';
import { lastMailAt, type MailRecipient, mailRecipients } from '../../db/queries/mail.ts';
import type { Alert } from '../../db/schema.ts';
import { loadReportContext, type ReportContext } from '../figures/context.ts';
import { translator } from '../i18n/index.ts';
import { presentAlert } from '../presenters/alert.ts';
import { formatCount } from '../presenters/format.ts';
import { type MailDeps, sendOnce } from './mail.ts';
import { type MailView, type RenderedMail, renderMail } from './mail-content.ts';
import { seesAlert } from '../auth/scope.ts';
import { absoluteLink, recipientUnits } from './recipients.ts';
import { unsubscribeUrl } from './unsubscribe.ts';

/** How far back the first email of an account that never had one looks. */
export const FIRST_EMAIL_HOURS = 24;

export interface AlertEmailPlan {
  userId: number;
  username: string;
  address: string;
  /** The alerts the email lists (or would). */
  alerts: number;
  /** Held back by the limit: they go in the next email. */
  held: boolean;
}

export interface AlertEmailSummary {
  sent: number;
  held: number;
  failed: number;
  /** Each recipient with something to say, sent or not. */
  plans: AlertEmailPlan[];
}

export function buildAlertEmail(deps: Pick<MailDeps, 'config' | 'secret'>, r: MailRecipient, alerts: Alert[], ctx: ReportContext): Promise<RenderedMail> {
  const { config, secret } = deps;
  const lang = r.lang;
  const t = translator(lang);
  const presented = alerts.map((a) => presentAlert(a, ctx, t, lang));
  const count = formatCount(alerts.length, lang);
  const first = presented[0];
  const subject = presented.length === 1 && first ? t('mail.alert.subject.one', { title: first.title }) : t('mail.alert.subject', { count });
  const alertsHref = absoluteLink(config.baseUrl, '/canh-bao', lang);
  const unsubscribe = unsubscribeUrl(config.baseUrl, secret, r.id, lang);
  const view: MailView = {
    lang,
    subject,
    greeting: t('mail.greeting', { name: r.displayName }),
    intro: t('mail.alert.intro', { count }),
    sections: [
      {
        title: t('mail.alert.list', { n: count }),
        lines: [],
        items: presented.map((p) => ({ title: p.title, text: p.sentence, href: absoluteLink(config.baseUrl, p.dashboardPath, lang) })),
        empty: null,
      },
    ],
    links: [{ label: t('mail.link.alerts'), href: alertsHref }],
    footerText: t('mail.footer', { address: r.email, username: r.username, url: unsubscribe }),
    footerHtml: t('mail.footer.html', { address: r.email, username: r.username }),
    unsubscribe: { label: t('mail.unsubscribe.link'), href: unsubscribe },
  };
  return renderMail(view);
}

/**
 * Sends (or, with dryRun, plans) the immediate alert emails of one run. `opened`: what the run opened
 * (for a dry run, the alerts it would open, which are not in the database); `runKey`: the run, so a
 * recipient gets at most one email from it.
 */
export async function sendAlertEmails(
  deps: MailDeps,
  opts: { runKey: string; now: Date; opened: Alert[]; dryRun?: boolean },
): Promise<AlertEmailSummary> {
  const { db, config, mailer, logger } = deps;
  const summary: AlertEmailSummary = { sent: 0, held: 0, failed: 0, plans: [] };
  if (!mailer && !opts.dryRun) return summary;
  const recipients = (await mailRecipients(db)).filter((r) => r.role === 'admin' || r.role === 'manager');
  if (recipients.length === 0) return summary;
  const ctx = await loadReportContext(db);
  const at = opts.now.toISOString();
  const limitMs = config.alertEmailMinMinutes * 60_000;
  for (const r of recipients) {
    await yieldToRequests();
    try {
      const unitIds = recipientUnits(r, ctx.units);
      const last = await lastMailAt(db, r.id, 'alert');
      const since = last ?? new Date(opts.now.getTime() - FIRST_EMAIL_HOURS * 3_600_000).toISOString();
      // Only alerts nobody has taken yet: one already acknowledged is no news (the digest still lists it).
      const waiting = (await alertsOpenedSince(db, since, unitIds)).filter((a) => a.status === 'open' && (last === null || a.opened_at > last));
      const alerts = opts.dryRun ? [...waiting, ...opts.opened.filter((a) => seesAlert(unitIds, a))] : waiting;
      if (alerts.length === 0) continue;
      const held = last !== null && opts.now.getTime() - Date.parse(last) < limitMs;
      summary.plans.push({ userId: r.id, username: r.username, address: r.email, alerts: alerts.length, held });
      if (held) {
        summary.held++;
        continue;
      }
      if (opts.dryRun || !mailer) continue;
      const mail = await buildAlertEmail(deps, r, alerts, ctx);
      if ((await sendOnce({ ...deps, mailer }, r, { kind: 'alert', runKey: opts.runKey, sentAt: at }, mail)) === 'sent') summary.sent++;
    } catch (error) {
      summary.failed++;
      logger.error({ err: error, userId: r.id, run: opts.runKey }, 'alert email not sent');
    }
  }
  return summary;
}
