/**
 * Why: the alerts as staff read them (issue 22) — on /canh-bao, on a desk's page, in the dashboard's
 * card and in the printed report — built once here from presentAlert's words (presenters/alert.ts)
 * and the follow-ups with their "Sau khi khắc phục" figure (alerts/after-fix.ts), so a card says
 * the same everywhere. The buttons and the follow-up form are there only for whoever may use them.
 */
import { localDay } from '../../analytics/time.ts';
import type { Alert, AlertStatus } from '../../db/schema.ts';
import type { AfterFix, FollowUp } from '../alerts/after-fix.ts';
import { ACTION_MAX, type FollowUpErrors, type FollowUpForm, OWNER_MAX } from '../alerts/commands.ts';
import type { ReportContext } from '../figures/context.ts';
import type { Lang, Translate } from '../i18n/index.ts';
import { presentAlert, withLang } from './alert.ts';
import { formatCount, formatDay, formatPercent } from './format.ts';

export const ALERT_TABS: readonly AlertStatus[] = ['open', 'acknowledged', 'closed'];

/** "Sau khi khắc phục: 91,2% (48 người, từ 05/12/2026)", or why there is no figure yet. */
export function afterFixSentence(after: AfterFix, lang: Lang, t: Translate): string {
  const from = formatDay(after.from);
  const n = formatCount(after.n, lang);
  switch (after.kind) {
    case 'suspect':
      return t('alerts.page.followup.after.suspect', { n, from });
    case 'apology':
      return t('alerts.page.followup.after.apology', { late: n, unapologised: formatCount(after.value ?? 0, lang), from });
    case 'on_time':
      return after.n === 0
        ? t('alerts.page.followup.after.dossiers.none', { from })
        : t('alerts.page.followup.after.onTime', { value: formatPercent(after.value, lang), n, from });
    case 'satisfaction':
      break;
  }
  if (after.n === 0) return t('alerts.page.followup.after.none', { from });
  if (!after.enough) return t('alerts.page.followup.after.few', { n, from });
  return t('alerts.page.followup.after', { value: formatPercent(after.value, lang), n, from });
}

export interface FollowUpView {
  owner: string;
  action: string;
  due: string;
  recorded: string;
  after: string;
  /** The figure may be read (enough respondents). */
  afterEnough: boolean;
}

function presentFollowUp(f: FollowUp, lang: Lang, t: Translate): FollowUpView {
  return {
    owner: f.action.owner,
    action: f.action.action,
    due: formatDay(f.action.due_day),
    recorded: t('alerts.page.followup.recorded', { day: formatDay(f.action.created_day), name: f.action.createdByName }),
    after: afterFixSentence(f.after, lang, t),
    afterEnough: f.after.enough,
  };
}

/** One field of the follow-up form, for partials/field.ejs. */
interface FieldView {
  name: string;
  id: string;
  label: string;
  type: 'text' | 'textarea';
  value: string;
  hint: string;
  error?: string;
  required: true;
  maxlength: number;
  rows?: number;
  pattern?: string;
  inputmode?: string;
  autocomplete?: string;
}

export interface FollowUpFormView {
  action: string;
  /** Unfolded: it was just refused, its messages are to be read. */
  open: boolean;
  /** The list page it was sent from, to show it again there. */
  page: number;
  fields: FieldView[];
  note: string | null;
}

export interface AlertCardView {
  id: number;
  anchor: string;
  title: string;
  sentence: string;
  status: string;
  statusClass: string;
  opened: string;
  acknowledged: string | null;
  closed: string | null;
  /** The figures on the dashboard, or for a suspect run the review queue (not shown to whoever may not act on it). */
  dashboard: { href: string; text: string } | null;
  followUps: FollowUpView[];
  noFollowUps: string;
  /** The acknowledge button's address, for whoever may, while the alert is open. */
  acknowledge: string | null;
  form: FollowUpFormView | null;
}

export interface CardInput {
  ctx: ReportContext;
  lang: Lang;
  t: Translate;
  langQuery: string;
  /** Whether the reader may acknowledge and record follow-ups of this alert (auth/permissions.ts followUpAlert). */
  may: (alert: Alert) => boolean;
  followUps: Map<number, FollowUp[]>;
  /** The list page the forms go back to. */
  page: number;
  /** A refused follow-up: its alert, what was typed and the messages. */
  refused?: { alertId: number; form: FollowUpForm; errors: FollowUpErrors };
  /** Forms drawn (the alerts page); a desk's page links to /canh-bao instead. */
  withForms: boolean;
}


function followUpForm(alert: Alert, input: CardInput): FollowUpFormView {
  const { t } = input;
  const refused = input.refused?.alertId === alert.id ? input.refused : undefined;
  const field = (name: keyof FollowUpForm, extra: Partial<FieldView>): FieldView => ({
    name,
    id: `alert-${alert.id}-${name}`,
    label: t(`alerts.page.followup.${name}`),
    type: 'text',
    value: refused?.form[name] ?? '',
    hint: t(`alerts.page.form.${name}.hint`),
    ...(refused?.errors[name] ? { error: refused.errors[name] } : {}),
    required: true,
    maxlength: 0,
    ...extra,
  });
  return {
    action: `/canh-bao/${alert.id}/theo-doi${input.langQuery}`,
    open: refused !== undefined,
    page: input.page,
    fields: [
      field('owner', { maxlength: OWNER_MAX, autocomplete: 'off' }),
      field('action', { type: 'textarea', maxlength: ACTION_MAX, rows: 4 }),
      // dd/mm/yyyy (or '.'/'-' between, as number pads have no '/'), or ISO; as the dashboard's day fields.
      field('due', { maxlength: 10, inputmode: 'numeric', autocomplete: 'off', pattern: '[0-9]{1,2}[\\/.\\-][0-9]{1,2}[\\/.\\-][0-9]{4}|[0-9]{4}-[0-9]{2}-[0-9]{2}' }),
    ],
    note: alert.status === 'open' ? t('alerts.page.form.acknowledges') : null,
  };
}

export function presentAlertCard(alert: Alert, input: CardInput): AlertCardView {
  const { ctx, lang, t } = input;
  const p = presentAlert(alert, ctx, t, lang);
  const may = input.may(alert);
  return {
    id: alert.id,
    anchor: `canh-bao-${alert.id}`,
    title: p.title,
    sentence: p.sentence,
    status: t(`alerts.page.status.${alert.status}`),
    statusClass: alert.status === 'open' ? 'badge badge--warn' : alert.status === 'closed' ? 'badge badge--ok' : 'badge',
    opened: t('alerts.page.opened', { day: p.openedOn }),
    acknowledged: alert.acknowledged_at ? t('alerts.page.acknowledged.on', { day: formatDay(localDay(new Date(alert.acknowledged_at))) }) : null,
    closed: alert.status === 'closed' ? p.closedSentence : null,
    dashboard:
      p.linkKind === 'review'
        ? may
          ? { href: withLang(p.dashboardPath, lang), text: t('alerts.page.review') }
          : null
        : { href: withLang(p.dashboardPath, lang), text: t('alerts.page.dashboard') },
    followUps: (input.followUps.get(alert.id) ?? []).map((f) => presentFollowUp(f, lang, t)),
    noFollowUps: t('alerts.page.followups.none'),
    acknowledge: may && alert.status === 'open' && input.withForms ? `/canh-bao/${alert.id}/tiep-nhan${input.langQuery}` : null,
    form: may && input.withForms ? followUpForm(alert, input) : null,
  };
}

export interface ErrorSummaryView {
  title: string;
  links: { href: string; text: string }[];
}

/** The refused form's messages at the top of the page, each a link to its field. */
export function followUpErrorSummary(alertId: number, errors: FollowUpErrors, t: Translate): ErrorSummaryView {
  const names = (['owner', 'action', 'due'] as const).filter((n) => errors[n]);
  return {
    title: t('alerts.page.form.errors', { n: names.length }),
    links: names.map((n) => ({ href: `#alert-${alertId}-${n}`, text: errors[n] ?? '' })),
  };
}

/** Open alerts the dashboard reads at most: a count past it is shown as "1.000+". */
export const OPEN_ALERTS_READ = 1000;

/** The dashboard's card: how many alerts are open in its scope and the first three; null when none. */
export function presentAlertsCard(open: readonly Alert[], ctx: ReportContext, lang: Lang, t: Translate, langQuery: string) {
  if (open.length === 0) return null;
  const shown = open.slice(0, 3);
  const count = `${formatCount(open.length, lang)}${open.length >= OPEN_ALERTS_READ ? '+' : ''}`;
  return {
    title: t('alerts.page.card.title'),
    count: t('alerts.page.card.count', { n: count }),
    items: shown.map((a) => ({ title: presentAlert(a, ctx, t, lang).title, href: `/canh-bao/${a.id}${langQuery}` })),
    more: open.length > shown.length ? t('alerts.page.card.more', { n: `${formatCount(open.length - shown.length, lang)}${open.length >= OPEN_ALERTS_READ ? '+' : ''}` }) : null,
    link: { href: `/canh-bao${langQuery}`, text: t('alerts.page.card.link') },
  };
}
