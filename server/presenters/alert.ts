/**
 * An alert in plain words (issue 22): its title names the desk, unit or field; its sentence gives
 * the numbers an official can check (how many people, how many satisfied, the target, the widest
 * reading of the interval); the link opens the dashboard on the same subject and days. The alerts
 * page, the emails and the webhooks all say an alert this way.
 */
import { formatDay } from '../../analytics/time.ts';
import type { Alert, AlertRule, AlertStatus } from '../../db/schema.ts';
import type { ReportContext } from '../figures/context.ts';
import { type Lang, pick, type Translate } from '../i18n/index.ts';
import { formatCount, formatPercent } from './format.ts';

export interface PresentedAlert {
  id: number;
  rule: AlertRule;
  status: AlertStatus;
  title: string;
  sentence: string;
  /** For a closed alert: when and why it closed, with the figure then. */
  closedSentence: string | null;
  /** The dashboard (or the review queue) on the alert's subject and days. */
  dashboardPath: string;
  /** Where dashboardPath leads: the figures, or the review queue (a suspect run; not for viewers). */
  linkKind: 'dashboard' | 'review';
  /** dd/mm/yyyy, local. */
  openedOn: string;
  unitId: number | null;
}

interface WindowFigures {
  window: string;
  from: string;
  to: string;
  value: number | null;
  yes: number | null;
  n: number;
  bound: number | null;
  below: boolean;
}

interface Details {
  yes?: number | null;
  windows?: WindowFigures[];
  before?: { from: string; to: string; value: number | null; yes: number | null; n: number };
  compared?: number;
  onTime?: number;
  late?: number;
  apologised?: number;
  unapologised?: number;
}

/** The subject's name as staff know it: "Quầy 1 · Phường Thành Vinh", a unit's name, "Lĩnh vực Đất đai". */
export function alertSubjectName(alert: Pick<Alert, 'subject_kind' | 'subject_id'>, ctx: ReportContext, t: Translate, lang: Lang): string {
  switch (alert.subject_kind) {
    case 'desk': {
      const desk = ctx.desks.find((d) => d.id === alert.subject_id);
      return desk ? t('alerts.subject.desk', { desk: desk.name, unit: desk.unitName }) : t('alerts.subject.unknown', { id: alert.subject_id });
    }
    case 'unit':
      return ctx.unitById.get(alert.subject_id)?.name ?? t('alerts.subject.unknown', { id: alert.subject_id });
    case 'field': {
      const field = ctx.fieldById.get(alert.subject_id);
      return field ? t('alerts.subject.field', { field: pick(lang, field.name_vi, field.name_en) }) : t('alerts.subject.unknown', { id: alert.subject_id });
    }
  }
}

/** An app link in the reader's language: `lang=en` added for an English reader (once). */
export function withLang(href: string, lang: Lang): string {
  return lang === 'en' && !/[?&]lang=/.test(href) ? `${href}${href.includes('?') ? '&' : '?'}lang=en` : href;
}

function dashboardPath(alert: Alert, ctx: ReportContext): string {
  if (alert.rule === 'suspect_run') return '/admin/review';
  const query = new URLSearchParams({ period: 'custom', from: alert.period_from, to: alert.period_to });
  if (alert.subject_kind === 'desk') query.set('desk', String(alert.subject_id));
  if (alert.subject_kind === 'unit') query.set('unit', ctx.unitById.get(alert.subject_id)?.code ?? '');
  if (alert.subject_kind === 'field') query.set('field', ctx.fieldById.get(alert.subject_id)?.code ?? '');
  return `/dashboard?${query.toString()}`;
}

export function presentAlert(alert: Alert, ctx: ReportContext, t: Translate, lang: Lang): PresentedAlert {
  const details = JSON.parse(alert.details_json) as Details;
  const subject = alertSubjectName(alert, ctx, t, lang);
  const pct = (share: number | null | undefined) => `${formatPercent(share ?? null, lang)}%`;
  const count = (n: number | null | undefined) => formatCount(n ?? 0, lang);
  const window = t(`alerts.window.${alert.window}`, { from: formatDay(alert.period_from), to: formatDay(alert.period_to) });
  let sentence: string;
  switch (alert.rule) {
    case 'below_target':
      sentence = t('alerts.sentence.below_target', { window, yes: count(details.yes), n: count(alert.n), value: pct(alert.value), target: pct(alert.target), bound: pct(alert.bound) });
      break;
    case 'fall':
      sentence = t('alerts.sentence.fall', {
        window,
        yes: count(details.yes),
        n: count(alert.n),
        value: pct(alert.value),
        before: pct(details.before?.value),
        beforeYes: count(details.before?.yes),
        beforeN: count(details.before?.n),
        beforeFrom: formatDay(details.before?.from ?? alert.period_from),
        beforeTo: formatDay(details.before?.to ?? alert.period_from),
        compared: count(details.compared),
      });
      break;
    case 'suspect_run':
      sentence = t('alerts.sentence.suspect_run', { window, n: count(alert.n) });
      break;
    case 'dossier_on_time':
      sentence = t('alerts.sentence.dossier_on_time', { window, onTime: count(details.onTime), value: pct(alert.value), n: count(alert.n), target: pct(alert.target) });
      break;
    case 'dossier_apology':
      sentence = t('alerts.sentence.dossier_apology', { window, unapologised: count(details.unapologised), late: count(details.late), apologised: count(details.apologised) });
      break;
  }
  let closedSentence: string | null = null;
  if (alert.closed_at !== null) {
    const day = formatDay(alert.closed_at.slice(0, 10));
    const value = alert.closed_value;
    closedSentence =
      alert.close_reason === 'subject_gone'
        ? t('alerts.closed.gone', { day })
        : alert.rule === 'below_target' && value !== null && alert.target !== null
          ? // Closed because the data are no longer sure, though the figure may still be under the target: say which.
            t(alert.close_reason === 'recovered' && value > alert.target ? 'alerts.closed.above' : 'alerts.closed.unsure', { day, value: pct(value), target: pct(alert.target) })
          : alert.rule === 'fall' && value !== null
            ? t('alerts.closed.fall', { day, value: pct(value) })
            : t('alerts.closed.recovered', { day });
  }
  return {
    id: alert.id,
    rule: alert.rule,
    status: alert.status,
    title: t(`alerts.title.${alert.rule}`, { subject, n: count(alert.n) }),
    sentence,
    closedSentence,
    dashboardPath: dashboardPath(alert, ctx),
    linkKind: alert.rule === 'suspect_run' ? 'review' : 'dashboard',
    openedOn: formatDay(alert.opened_at.slice(0, 10)),
    unitId: alert.unit_id,
  };
}
