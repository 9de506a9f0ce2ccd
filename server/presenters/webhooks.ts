/**
 * Why: the view model of /canh-bao/cai-dat (issue 22), every word and date already formatted: whether
 * email is on, the webhooks in the person's scope with their buttons, the form to add one, and the
 * delivery log (each delivery with its tries: when, the receiver's HTTP status or why there was none,
 * how long it took).
 */
import type { DeliveryListing, WebhookAttempt, WebhookListing } from '../../db/queries/webhooks.ts';
import type { Unit } from '../../db/schema.ts';
import { formatDay, localDay } from '../../analytics/time.ts';
import { INTERNAL_ADDRESS_ERROR } from '../alerts/webhook-address.ts';
import type { Lang, MessageKey, Translate } from '../i18n/index.ts';
import { formatDateTime } from './format.ts';

export interface WebhookPageInput {
  smtpUrl: string | undefined;
  /** Administrators: the province's webhooks and every unit's; managers: their units'. */
  isAdmin: boolean;
  hooks: WebhookListing[];
  deliveries: DeliveryListing[];
  /** Units the person may add a webhook for. */
  units: Unit[];
  form: { url: string; unit: string; error: MessageKey | null };
}

/** The host email goes through (never the user name or password of SMTP_URL). */
function smtpHost(smtpUrl: string): string {
  try {
    const url = new URL(smtpUrl);
    return url.port ? `${url.hostname}:${url.port}` : url.hostname;
  } catch {
    return '?';
  }
}

/** A try's result in words: its HTTP status, or why there was none. */
export function tryResult(attempt: Pick<WebhookAttempt, 'status_code' | 'error'>, t: Translate): string {
  if (attempt.status_code !== null) return t(attempt.error === 'redirect' ? 'webhooks.result.redirect' : 'webhooks.result.http', { code: attempt.status_code });
  if (attempt.error === 'timeout') return t('webhooks.result.timeout');
  if (attempt.error?.startsWith(INTERNAL_ADDRESS_ERROR)) return t('webhooks.result.internal', { address: attempt.error.slice(INTERNAL_ADDRESS_ERROR.length).trim() || '?' });
  return t('webhooks.result.error', { error: attempt.error ?? '?' });
}

export function presentWebhookPage(input: WebhookPageInput, t: Translate, lang: Lang, langQuery: string) {
  const base = '/canh-bao/cai-dat/webhooks';
  const unitOptions = [...input.units]
    .sort((a, b) => a.name.localeCompare(b.name, 'vi'))
    .map((u) => ({ value: String(u.id), label: `${u.name} (${u.code})`, selected: String(u.id) === input.form.unit }));
  return {
    lead: t(input.isAdmin ? 'webhooks.lead' : 'webhooks.lead.manager'),
    back: `/canh-bao${langQuery}`,
    // Administrators get the setting to change; managers, who cannot, whom to ask.
    email:
      input.smtpUrl === undefined
        ? { on: false, text: t(input.isAdmin ? 'webhooks.email.off' : 'webhooks.email.off.manager') }
        : { on: true, text: t('webhooks.email.on', { host: smtpHost(input.smtpUrl) }) },
    hooks: input.hooks.map((h) => ({
      id: h.id,
      url: h.url,
      unit: h.unitId === null ? t('webhooks.province') : (h.unitName ?? `#${h.unitId}`),
      active: h.active,
      state: t(h.active ? 'webhooks.state.active' : 'webhooks.state.inactive'),
      created: formatDay(localDay(new Date(h.createdAt))),
      actionsLabel: t('webhooks.actions.of', { url: h.url }),
      activeAction: `${base}/${h.id}/active${langQuery}`,
      deleteAction: `${base}/${h.id}/delete${langQuery}`,
      pingAction: `${base}/${h.id}/ping${langQuery}`,
    })),
    add: {
      action: `${base}${langQuery}`,
      error: input.form.error ? t(input.form.error) : null,
      url: {
        name: 'url',
        // A text box (styled like the others) that brings up the keyboard for addresses.
        type: 'text',
        label: t('webhooks.add.url'),
        hint: t('webhooks.add.url.hint'),
        value: input.form.url,
        error: input.form.error ? t(input.form.error) : undefined,
        required: true,
        maxlength: 500,
        inputmode: 'url',
        autocomplete: 'off',
      },
      unit: {
        name: 'unit',
        type: 'select',
        label: t('webhooks.add.unit'),
        hint: t('webhooks.add.unit.hint'),
        required: true,
        options: [...(input.isAdmin ? [{ value: '', label: t('webhooks.province'), selected: input.form.unit === '' }] : []), ...unitOptions],
      },
    },
    deliveries: input.deliveries.map((d) => ({
      id: d.id,
      created: formatDateTime(d.createdAt, lang),
      event: d.event === 'ping' ? t('webhooks.event.ping') : t(d.event === 'alert.opened' ? 'webhooks.event.alert.opened' : 'webhooks.event.alert.closed', { id: d.alertId ?? '?' }),
      to: d.url,
      status: d.status,
      statusText:
        d.status === 'delivered'
          ? t('webhooks.status.delivered')
          : d.status === 'failed'
            ? t('webhooks.status.failed', { n: d.attempts })
            : d.attempts === 0 || d.nextAttemptAt === null
              ? t('webhooks.status.pending.now')
              : t('webhooks.status.pending', { at: formatDateTime(d.nextAttemptAt, lang) }),
      tries: d.tries.map((a) => t('webhooks.log.try', { at: formatDateTime(a.tried_at, lang), result: tryResult(a, t), ms: a.duration_ms })),
    })),
  };
}

