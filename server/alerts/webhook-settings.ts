/**
 * Why: the commands of /canh-bao/cai-dat (issue 22): add a webhook (its secret drawn here and handed
 * back once), disable or enable it, delete it, and send it a test ping. Each checks who may
 * (auth/permissions.ts `configureAlerts`: administrators the province's and every unit's, a manager
 * their own units' only) and the URL's rules (http(s), no user name or password in it, not one of the
 * server's own addresses: webhook-address.ts), and writes the row with its audit entry in one
 * transaction; the secret never goes into the audit log.
 */
import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import { audit } from '../../db/queries/audit.ts';
import { listUnits } from '../../db/queries/units.ts';
import { deleteWebhook as deleteWebhookRow, findWebhook, insertWebhook, lastTry, setWebhookActive, type Webhook } from '../../db/queries/webhooks.ts';
import type { Database } from '../../db/schema.ts';
import { authorize } from '../auth/permissions.ts';
import type { Staff } from '../auth/scope.ts';
import type { MessageKey } from '../i18n/index.ts';
import { isRefusedLiteral } from './webhook-address.ts';
import { deliverDueWebhooks, enqueuePing } from './webhooks.ts';

export const URL_MAX = 500;

/**
 * The URL's problem, as a message key; null when it is one a webhook may use. A user name or password
 * in it is refused (it would sit in clear in the table, the audit log and the page); so is an address
 * of the server itself written as such, unless `allowLoopback` (WEBHOOK_ALLOW_LOOPBACK=1).
 */
export function urlProblem(url: string, opts: { allowLoopback: boolean }): MessageKey | null {
  if (url === '') return 'webhooks.error.url.missing';
  if (url.length > URL_MAX) return 'webhooks.error.url.long';
  if (!/^https?:\/\/[^/\s]/i.test(url) || !URL.canParse(url) || /\s/.test(url)) return 'webhooks.error.url.scheme';
  const parsed = new URL(url);
  if (parsed.username !== '' || parsed.password !== '') return 'webhooks.error.url.credentials';
  if (!opts.allowLoopback && isRefusedLiteral(url)) return 'webhooks.error.url.internal';
  return null;
}

/** What a webhook is called in the audit log: its id, unit and address (never its secret). */
function subjectOf(hook: { id: number; unit_id: number | null; url: string }): string {
  return `webhook ${hook.id} (${hook.unit_id === null ? 'province' : `unit ${hook.unit_id}`}) ${hook.url}`;
}

export type CreateWebhookResult =
  | { ok: true; id: number; secret: string }
  /** 400: the form names no unit; 403: not this person's to configure. */
  | { ok: false; status: 400 | 403 }
  | { ok: false; status: 422; problem: MessageKey };

export async function createWebhook(
  db: Kysely<Database>,
  staff: Staff,
  input: { url: string; unitId: number | null },
  at: string,
  opts: { allowLoopback: boolean },
): Promise<CreateWebhookResult> {
  const units = await listUnits(db);
  if (input.unitId !== null && !units.some((u) => u.id === input.unitId)) return { ok: false, status: 400 };
  if (!authorize(staff, 'configureAlerts', { unitId: input.unitId, units })) return { ok: false, status: 403 };
  const problem = urlProblem(input.url, opts);
  if (problem) return { ok: false, status: 422, problem };
  const secret = randomBytes(32).toString('hex');
  const id = await db.transaction().execute(async (trx) => {
    const created = await insertWebhook(trx, { unitId: input.unitId, url: input.url, secret, createdBy: staff.id, createdAt: at });
    await audit(trx, { at, userId: staff.id, action: 'webhook.create', subject: subjectOf({ id: created, unit_id: input.unitId, url: input.url }), after: { unit_id: input.unitId, url: input.url, active: true } });
    return created;
  });
  return { ok: true, id, secret };
}

/** The webhook, when it exists and this person may configure it. */
export async function webhookFor(db: Kysely<Database>, staff: Staff, id: number): Promise<{ ok: true; hook: Webhook } | { ok: false; status: 403 | 404 }> {
  const hook = await findWebhook(db, id);
  if (!hook) return { ok: false, status: 404 };
  if (!authorize(staff, 'configureAlerts', { unitId: hook.unit_id, units: await listUnits(db) })) return { ok: false, status: 403 };
  return { ok: true, hook };
}

export type WebhookChange = { ok: true; hook: Webhook } | { ok: false; status: 403 | 404 };

/** Disables (no new deliveries, none sent) or enables it again (its waiting deliveries are sent). A no-op when already so. */
export async function setWebhookEnabled(db: Kysely<Database>, staff: Staff, id: number, active: boolean, at: string): Promise<WebhookChange> {
  const found = await webhookFor(db, staff, id);
  if (!found.ok) return found;
  const { hook } = found;
  if ((hook.active === 1) === active) return found;
  await db.transaction().execute(async (trx) => {
    await setWebhookActive(trx, hook.id, active);
    await audit(trx, { at, userId: staff.id, action: active ? 'webhook.enable' : 'webhook.disable', subject: subjectOf(hook), before: { active: !active }, after: { active } });
  });
  return found;
}

/** Deletes it, with its delivery log. */
export async function deleteWebhook(db: Kysely<Database>, staff: Staff, id: number, at: string): Promise<WebhookChange> {
  const found = await webhookFor(db, staff, id);
  if (!found.ok) return found;
  const { hook } = found;
  await db.transaction().execute(async (trx) => {
    await deleteWebhookRow(trx, hook.id);
    await audit(trx, { at, userId: staff.id, action: 'webhook.delete', subject: subjectOf(hook), before: { unit_id: hook.unit_id, url: hook.url, active: hook.active === 1 } });
  });
  return found;
}

export type PingResult =
  | { ok: true; url: string; delivered: boolean; statusCode: number | null; error: string | null }
  | { ok: false; status: 403 | 404 | 409 };

/**
 * "Gửi thử": a ping queued like any delivery and tried at once; when it fails it is retried on the
 * usual schedule. A disabled webhook sends nothing (409).
 */
export async function pingWebhook(
  db: Kysely<Database>,
  staff: Staff,
  id: number,
  opts: { now: () => Date; allowLoopback: boolean; fetch?: typeof fetch },
): Promise<PingResult> {
  const found = await webhookFor(db, staff, id);
  if (!found.ok) return found;
  if (found.hook.active !== 1) return { ok: false, status: 409 };
  const deliveryId = await enqueuePing(db, { id: found.hook.id, unitId: found.hook.unit_id }, opts.now());
  await deliverDueWebhooks(db, { now: opts.now, only: [deliveryId], limit: 1, allowLoopback: opts.allowLoopback, ...(opts.fetch ? { fetch: opts.fetch } : {}) });
  const last = await lastTry(db, deliveryId);
  const delivered = last?.status_code !== undefined && last.status_code !== null && last.status_code >= 200 && last.status_code < 300;
  return { ok: true, url: found.hook.url, delivered, statusCode: last?.status_code ?? null, error: last?.error ?? (last ? null : 'not sent') };
}
