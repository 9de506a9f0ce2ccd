/**
 * Why: an official who does not sign in still hears, once a week, how their scope did (issue 22).
 * Every active account with an address and emails on gets the digest of the week just ended (local
 * Monday to Sunday), in its language, for what it may see (auth/scope.ts): the week's responses and
 * overall satisfaction judged against its target the way the dashboard judges it (figures/), the
 * alerts opened that week and still open, the follow-ups past their due day, and links to /canh-bao
 * and the dashboard. A week with nothing new still sends a short digest: that is what tells them the
 * system works. Each digest is claimed in mail_log before it is sent (one per account and week,
 * whichever app server runs it, and a run taken over skips those already sent); a failed send gives
 * its claim back so the run is tried again.
 */
import { setImmediate as yieldToRequests } from 'node:timers/promises';
import { addDays, formatDay, localDay, startOfLocalDay } from '../../analytics/time.ts';
import { alertsOpenedSince } from '../../db/queries/alerts.ts';
import { type MailRecipient, mailRecipients, overdueFollowUps } from '../../db/queries/mail.ts';
import type { ReportContext } from '../figures/context.ts';
import { judgingFor } from '../figures/dashboard.ts';
import { judgeService, readRows } from '../figures/groups.ts';
import { resolveReportRequest } from '../figures/request.ts';
import { type Lang, translator } from '../i18n/index.ts';
import { presentAlert } from '../presenters/alert.ts';
import { formatCount, formatPercent } from '../presenters/format.ts';
import { verdictText } from '../presenters/verdict.ts';
import { type MailDeps, sendOnce } from './mail.ts';
import { type MailView, type RenderedMail, renderMail } from './mail-content.ts';
import { absoluteLink, recipientStaff, recipientUnits } from './recipients.ts';
import { unsubscribeUrl } from './unsubscribe.ts';

/** The week a digest reports: its ISO key ('2026-W49') and its local days, Monday to Sunday. */
export interface DigestWeek {
  key: string;
  from: string;
  to: string;
}

/** Local hour of Monday from which the week just ended is sent. */
export const DIGEST_HOUR = 7;

/** 0 for Monday … 6 for Sunday, of a local day. */
function weekdayOf(day: string): number {
  return (new Date(`${day}T00:00:00Z`).getUTCDay() + 6) % 7;
}

export function mondayOf(day: string): string {
  return addDays(day, -weekdayOf(day));
}

/** The ISO 8601 week of a local day: '2026-W49' (the week's Thursday names its year). */
export function isoWeekKey(day: string): string {
  const thursday = addDays(mondayOf(day), 3);
  const year = thursday.slice(0, 4);
  const week = Math.floor((Date.parse(`${thursday}T00:00:00Z`) - Date.parse(`${year}-01-01T00:00:00Z`)) / (7 * 86_400_000)) + 1;
  return `${year}-W${String(week).padStart(2, '0')}`;
}

export function digestWeekOf(monday: string): DigestWeek {
  return { key: isoWeekKey(monday), from: monday, to: addDays(monday, 6) };
}

/**
 * The digest due at `now`: the week ended last Sunday, from Monday 07:00 local until the next Monday
 * 07:00 (a server down on Monday sends it when it comes back, that week only); before Monday 07:00,
 * none (last week's is about to be superseded, and an older one is never sent).
 */
export function digestWeekDue(now: Date): DigestWeek | null {
  const monday = mondayOf(localDay(now));
  if (now.getTime() < startOfLocalDay(monday).getTime() + DIGEST_HOUR * 3_600_000) return null;
  return digestWeekOf(addDays(monday, -7));
}

/** "30/11–06/12/2026": the week as people write it. */
function weekWords(week: DigestWeek): { from: string; to: string } {
  return { from: formatDay(week.from).slice(0, 5), to: formatDay(week.to) };
}

/** One account's digest of one week. */
export async function buildDigest(deps: MailDeps, r: MailRecipient, week: DigestWeek, now: Date): Promise<RenderedMail> {
  const { db, config, secret } = deps;
  const lang: Lang = r.lang;
  const t = translator(lang);
  const today = localDay(now);
  const minN = config.minResponses;
  const staff = recipientStaff(r);
  const resolved = await resolveReportRequest(db, { from: week.from, to: week.to }, { kind: 'staff', staff }, today);
  if (!resolved.ok) throw new Error(`digest of ${r.username}: the week ${week.from}..${week.to} was refused (${resolved.status})`);
  const { ctx, filter } = resolved.request;
  const [rows, judging] = await Promise.all([readRows(db, filter, 'none'), judgingFor(db, ctx, filter, { minN, today })]);
  const service = judgeService(rows, ctx, judging);

  const unitIds = recipientUnits(r, ctx.units);
  const startsAt = startOfLocalDay(week.from).toISOString();
  const endsAt = startOfLocalDay(addDays(week.to, 1)).toISOString();
  const opened = (await alertsOpenedSince(db, startsAt, unitIds)).filter((a) => a.opened_at < endsAt && a.status !== 'closed');
  const overdue = await overdueFollowUps(db, today, unitIds);

  const days = weekWords(week);
  const subject = opened.length > 0 ? t('mail.digest.subject', { ...days, count: formatCount(opened.length, lang) }) : t('mail.digest.subject.none', days);
  const pct = (share: number) => `${formatPercent(share, lang)}%`;
  const overall =
    service.overall.value === null
      ? t('mail.digest.overall.none')
      : service.target === null
        ? t('mail.digest.overall.notarget', { value: pct(service.overall.value) })
        : t('mail.digest.overall', { value: pct(service.overall.value), target: `${formatPercent(service.target / 100, lang, 0)}%`, verdict: verdictText(service.verdict, t, minN) });
  const dashboardPath = `/dashboard?${new URLSearchParams({ period: 'custom', from: week.from, to: week.to }).toString()}`;
  const alertsHref = absoluteLink(config.baseUrl, '/canh-bao', lang);
  const unsubscribe = unsubscribeUrl(config.baseUrl, secret, r.id, lang);
  const view: MailView = {
    lang,
    subject,
    greeting: t('mail.greeting', { name: r.displayName }),
    intro: t('mail.digest.intro', { ...days, scope: scopeWords(r, ctx, t) }),
    sections: [
      { title: t('mail.digest.figures'), lines: [t('mail.digest.responses', { n: formatCount(service.responses, lang) }), overall], items: [], empty: null },
      {
        title: t('mail.digest.new', { n: formatCount(opened.length, lang) }),
        lines: [],
        items: opened.map((a) => {
          const p = presentAlert(a, ctx, t, lang);
          return { title: p.title, text: p.sentence, href: absoluteLink(config.baseUrl, p.dashboardPath, lang) };
        }),
        empty: t('mail.digest.new.none'),
      },
      {
        title: t('mail.digest.overdue', { n: formatCount(overdue.length, lang) }),
        lines: [],
        items: overdue.map((f) => ({ title: '', text: t('mail.digest.overdue.item', { owner: f.owner, action: f.action, due: formatDay(f.dueDay) }), href: alertsHref })),
        empty: t('mail.digest.overdue.none'),
      },
    ],
    links: [
      { label: t('mail.link.alerts'), href: alertsHref },
      { label: t('mail.link.dashboard'), href: absoluteLink(config.baseUrl, dashboardPath, lang) },
    ],
    footerText: t('mail.footer', { address: r.email, username: r.username, url: unsubscribe }),
    footerHtml: t('mail.footer.html', { address: r.email, username: r.username }),
    unsubscribe: { label: t('mail.unsubscribe.link'), href: unsubscribe },
  };
  return renderMail(view);
}

/** What the digest covers for this reader, in words. */
export function scopeWords(r: MailRecipient, ctx: ReportContext, t: ReturnType<typeof translator>): string {
  if (r.role === 'admin') return t('mail.scope.province');
  const unit = r.unitId === null ? undefined : ctx.unitById.get(r.unitId);
  const name = unit?.name ?? '—';
  return r.role === 'manager' ? t('mail.scope.unit', { unit: name }) : t('mail.scope.own', { unit: name });
}

export interface DigestSummary {
  recipients: number;
  sent: number;
  /** Sent before (by this run's earlier holder, or another server). */
  skipped: number;
  failed: number;
}

/**
 * Sends the week's digest to every account that should get it and has not yet. `keepGoing` is asked
 * before each recipient (the scheduler renews its lease there; false: another server took the run
 * over, stop). Never throws for one recipient: a failure is logged, its claim given back, and counted.
 */
export async function sendDigests(deps: MailDeps, week: DigestWeek, now: () => Date, keepGoing: () => Promise<boolean> = () => Promise.resolve(true)): Promise<DigestSummary> {
  const summary: DigestSummary = { recipients: 0, sent: 0, skipped: 0, failed: 0 };
  const { mailer, db, logger } = deps;
  if (!mailer) return summary;
  const recipients = await mailRecipients(db);
  summary.recipients = recipients.length;
  for (const r of recipients) {
    // The tick never holds up citizens' requests: one recipient, then the event loop's turn.
    await yieldToRequests();
    if (!(await keepGoing())) break;
    try {
      const at = now();
      const mail = await buildDigest(deps, r, week, at);
      if ((await sendOnce({ ...deps, mailer }, r, { kind: 'digest', runKey: week.key, sentAt: at.toISOString() }, mail)) === 'sent') summary.sent++;
      else summary.skipped++;
    } catch (error) {
      summary.failed++;
      logger.error({ err: error, userId: r.id, week: week.key }, 'weekly digest not sent');
    }
  }
  return summary;
}
