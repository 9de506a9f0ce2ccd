/**
 * Why: alerts reach a unit's own systems (a chat bot, a ticket queue) through webhooks (issue 22).
 * Each event becomes one delivery per matching active webhook, its JSON written once when queued so
 * every retry sends the same bytes; each try is signed (HMAC-SHA256 of `${timestamp}.${body}` with
 * the webhook's secret), bounded (10 s, redirects not followed), logged, and retried after 1, 5, 30,
 * 120 and 720 minutes before the delivery is given up. Several app servers may send at once: a try is
 * claimed with one conditional UPDATE first (db/queries/webhooks.ts claimDelivery), so none is sent twice.
 * Before each try the host is resolved and a try to the server's own addresses (loopback, link-local…)
 * is not made (webhook-address.ts), unless WEBHOOK_ALLOW_LOOPBACK=1. Documented for receivers in docs/alerts.md#webhooks.
 */
import { createHmac } from 'node:crypto';
import type { Kysely } from 'kysely';
import { activeWebhooks, claimDelivery, type DueDelivery, dueDeliveries, insertDelivery, recordTry, type TryOutcome } from '../../db/queries/webhooks.ts';
import type { Alert, Database } from '../../db/schema.ts';
import { loadReportContext } from '../figures/context.ts';
import { translator } from '../i18n/index.ts';
import { presentAlert } from '../presenters/alert.ts';
import { destinationProblem, INTERNAL_ADDRESS_ERROR } from './webhook-address.ts';

/** Minutes to wait after each failed try; one more try than waits, then the delivery is 'failed'. */
export const RETRY_MINUTES = [1, 5, 30, 120, 720] as const;
export const MAX_TRIES = RETRY_MINUTES.length + 1;
/** How long a receiver has to answer. */
export const TIMEOUT_MS = 10_000;
/** A claimed try is left to its sender this long; after it, another server may take it (the sender stopped). */
const LEASE_MS = 2 * 60_000;
/** Tries sent at the same time by one call. */
const PARALLEL = 8;

export type WebhookEvent = 'alert.opened' | 'alert.closed' | 'ping';

/** The signature header's value: `sha256=` and the hex HMAC-SHA256 of `${timestamp}.${body}` with the secret. */
export function signature(secret: string, timestamp: number, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/** What a receiver gets about an alert (docs/alerts.md#webhooks): the row's figures and its words in both languages. */
function alertPayload(alert: Alert, words: { title: string; titleEn: string; text: string; textEn: string }, baseUrl: string) {
  return {
    id: alert.id,
    rule: alert.rule,
    status: alert.status,
    subject_kind: alert.subject_kind,
    subject_id: alert.subject_id,
    unit_id: alert.unit_id,
    window: alert.window,
    period_from: alert.period_from,
    period_to: alert.period_to,
    value: alert.value,
    target: alert.target,
    bound: alert.bound,
    n: alert.n,
    title: words.title,
    title_en: words.titleEn,
    text: words.text,
    text_en: words.textEn,
    // The alert's own page (GET /canh-bao/:id), shown to whoever may see that alert.
    url: `${baseUrl.replace(/\/+$/, '')}/canh-bao/${alert.id}`,
  };
}

/**
 * Queues the deliveries of these events: a unit's webhook gets the alerts whose unit is that unit,
 * the province's (unit_id null) every alert. All or none (one transaction). Returns how many were queued.
 */
export async function enqueueAlertEvents(db: Kysely<Database>, events: { opened: Alert[]; closed: Alert[] }, at: Date, baseUrl: string): Promise<number> {
  const hooks = await activeWebhooks(db);
  const list: { event: WebhookEvent; alert: Alert }[] = [
    ...events.opened.map((alert) => ({ event: 'alert.opened' as const, alert })),
    ...events.closed.map((alert) => ({ event: 'alert.closed' as const, alert })),
  ];
  const pairs = list.flatMap((e) => hooks.filter((h) => h.unitId === null || h.unitId === e.alert.unit_id).map((hook) => ({ ...e, hook })));
  if (pairs.length === 0) return 0;
  const ctx = await loadReportContext(db);
  const vi = translator('vi');
  const en = translator('en');
  const createdAt = at.toISOString();
  await db.transaction().execute(async (trx) => {
    for (const { event, alert, hook } of pairs) {
      const pv = presentAlert(alert, ctx, vi, 'vi');
      const pe = presentAlert(alert, ctx, en, 'en');
      const closing = event === 'alert.closed';
      const words = {
        title: pv.title,
        titleEn: pe.title,
        text: closing ? (pv.closedSentence ?? pv.sentence) : pv.sentence,
        textEn: closing ? (pe.closedSentence ?? pe.sentence) : pe.sentence,
      };
      await insertDelivery(trx, {
        webhookId: hook.id,
        event,
        alertId: alert.id,
        createdAt,
        payload: (id) => JSON.stringify({ event, delivery: id, alert: alertPayload(alert, words, baseUrl), sent_at: createdAt }),
      });
    }
  });
  return pairs.length;
}

/** Queues a test ping to one webhook ("Gửi thử"), sent through the same path as alerts; its delivery's id. */
export async function enqueuePing(db: Kysely<Database>, hook: { id: number; unitId: number | null }, at: Date): Promise<number> {
  const createdAt = at.toISOString();
  return insertDelivery(db, {
    webhookId: hook.id,
    event: 'ping',
    alertId: null,
    createdAt,
    payload: (id) =>
      JSON.stringify({
        event: 'ping',
        delivery: id,
        webhook: { id: hook.id, unit_id: hook.unitId },
        text: translator('vi')('webhooks.ping.text'),
        text_en: translator('en')('webhooks.ping.text'),
        sent_at: createdAt,
      }),
  });
}

export interface DeliverOptions {
  now: () => Date;
  fetch?: typeof fetch;
  /** Deliveries looked at in one call (default 100). */
  limit?: number;
  /** Only these deliveries (a test ping sent at once), when they are due. */
  only?: number[];
  /** Tries to the server's own addresses (loopback, link-local…) are made too (WEBHOOK_ALLOW_LOOPBACK=1; default: refused). */
  allowLoopback?: boolean;
}

/** `tried` = `delivered` + `failed`; `failed` counts tries that did not deliver (retried later, or given up). */
export interface DeliverSummary {
  tried: number;
  delivered: number;
  failed: number;
}

/** What one try got: the receiver's HTTP status, or why there was none. */
interface Sent {
  statusCode: number | null;
  error: string | null;
  durationMs: number;
}

/** The `code` of an error, when it has one (ECONNREFUSED, ENOTFOUND…). */
function codeOf(error: unknown): string | null {
  if (error === null || typeof error !== 'object' || !('code' in error)) return null;
  return typeof error.code === 'string' || typeof error.code === 'number' ? String(error.code) : null;
}

/** An error's code and message, short: "ECONNREFUSED: connect ECONNREFUSED 10.0.0.5:8080", "bad port". */
function codeAndMessage(error: unknown): string {
  const code = codeOf(error);
  const message = error instanceof Error ? error.message : String(error);
  if (code === null || message.startsWith(code)) return message || (code ?? '?');
  return message === '' ? code : `${code}: ${message}`;
}

/**
 * Why a request got no answer, short: 'timeout', or the system's reason. fetch says only "fetch
 * failed" and keeps the reason in its cause (a refused connection, an unknown host, a port fetch will
 * not use: "bad port"), or in the first of several when each address was tried.
 */
function describeError(error: unknown): string {
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) return 'timeout';
  let cause = error instanceof Error ? error.cause : undefined;
  if (cause instanceof AggregateError && codeOf(cause.errors[0]) !== null) cause = cause.errors[0];
  return (cause !== undefined && cause !== null ? codeAndMessage(cause) : codeAndMessage(error)).slice(0, 300);
}

async function send(delivery: DueDelivery, at: Date, doFetch: typeof fetch, allowLoopback: boolean): Promise<Sent> {
  const timestamp = Math.floor(at.getTime() / 1000);
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  try {
    if (!allowLoopback) {
      // Resolved here, every address: none may be the server's own (webhook-address.ts).
      const problem = await destinationProblem(delivery.url);
      if (problem?.kind === 'internal') return { statusCode: null, error: `${INTERNAL_ADDRESS_ERROR} ${problem.address}`, durationMs: elapsed() };
      if (problem?.kind === 'lookup') return { statusCode: null, error: codeAndMessage(problem.error).slice(0, 300), durationMs: elapsed() };
    }
    const res = await doFetch(delivery.url, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        'User-Agent': 'SIPAS-Webhooks/1',
        'X-Sipas-Event': delivery.event,
        'X-Sipas-Delivery': String(delivery.id),
        'X-Sipas-Timestamp': String(timestamp),
        'X-Sipas-Signature': signature(delivery.secret, timestamp, delivery.payload),
      },
      body: delivery.payload,
      redirect: 'manual',
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    const durationMs = elapsed();
    // The answer's body is not read: only its status counts.
    await res.body?.cancel().catch(() => undefined);
    const redirected = res.status >= 300 && res.status < 400;
    return { statusCode: res.status, error: redirected ? 'redirect' : null, durationMs };
  } catch (error) {
    return { statusCode: null, error: describeError(error), durationMs: elapsed() };
  }
}

/** The delivery's state after a try: delivered on a 2xx, else retried after the next wait, or given up after the last. */
function outcomeOf(delivery: DueDelivery, sent: Sent, at: Date): TryOutcome {
  const base = { triedAt: at.toISOString(), statusCode: sent.statusCode, error: sent.error, durationMs: sent.durationMs };
  if (sent.statusCode !== null && sent.statusCode >= 200 && sent.statusCode < 300) return { ...base, status: 'delivered', nextAttemptAt: null };
  const wait = RETRY_MINUTES[delivery.attempts];
  if (wait === undefined) return { ...base, status: 'failed', nextAttemptAt: null };
  return { ...base, status: 'pending', nextAttemptAt: new Date(at.getTime() + wait * 60_000).toISOString() };
}

/**
 * Sends the pending deliveries that are due, each try claimed first so that another app server
 * calling this at the same time never sends it too; every try is logged (webhook_attempts).
 */
export async function deliverDueWebhooks(db: Kysely<Database>, opts: DeliverOptions): Promise<DeliverSummary> {
  const doFetch = opts.fetch ?? fetch;
  const due = await dueDeliveries(db, opts.now().toISOString(), opts.limit ?? 100, opts.only);
  const summary: DeliverSummary = { tried: 0, delivered: 0, failed: 0 };
  const tryOne = async (delivery: DueDelivery) => {
    const at = opts.now();
    if (!(await claimDelivery(db, delivery.id, delivery.nextAttemptAt, new Date(at.getTime() + LEASE_MS).toISOString()))) return;
    const outcome = outcomeOf(delivery, await send(delivery, at, doFetch, opts.allowLoopback === true), at);
    await recordTry(db, delivery.id, outcome);
    summary.tried += 1;
    if (outcome.status === 'delivered') summary.delivered += 1;
    else summary.failed += 1;
  };
  for (let i = 0; i < due.length; i += PARALLEL) await Promise.all(due.slice(i, i + PARALLEL).map(tryOne));
  return summary;
}
