/**
 * Why: the SQL of webhooks (issue 22): the hooks themselves, their deliveries (one per event and
 * hook, its payload written once) and every try of a delivery. A try is claimed with one conditional
 * UPDATE (the row's `next_attempt_at` as it was read), so two app servers sending due deliveries at
 * once never send the same try twice; the rules (backoff, signatures) are server/alerts/webhooks.ts's.
 */
import type { Kysely, Selectable } from 'kysely';
import { sql } from 'kysely';
import type { Database, WebhookAttemptsTable, WebhookDeliveriesTable, WebhooksTable } from '../schema.ts';

export type Webhook = Selectable<WebhooksTable>;
export type WebhookDelivery = Selectable<WebhookDeliveriesTable>;
export type WebhookAttempt = Selectable<WebhookAttemptsTable>;

export interface NewWebhook {
  unitId: number | null;
  url: string;
  secret: string;
  createdBy: number | null;
  createdAt: string;
}

export async function insertWebhook(db: Kysely<Database>, hook: NewWebhook): Promise<number> {
  const { id } = await db
    .insertInto('webhooks')
    .values({ unit_id: hook.unitId, url: hook.url, secret: hook.secret, created_by: hook.createdBy, created_at: hook.createdAt })
    .returning('id')
    .executeTakeFirstOrThrow();
  return id;
}

export async function findWebhook(db: Kysely<Database>, id: number): Promise<Webhook | undefined> {
  return db.selectFrom('webhooks').selectAll().where('id', '=', id).executeTakeFirst();
}

/** A webhook as the settings page lists it. */
export interface WebhookListing {
  id: number;
  unitId: number | null;
  unitName: string | null;
  url: string;
  active: boolean;
  createdAt: string;
}

/** The webhooks of these units (null: every webhook, the province's included), the province's first, then by unit and age. */
export async function listWebhooks(db: Kysely<Database>, unitIds: number[] | null): Promise<WebhookListing[]> {
  if (unitIds !== null && unitIds.length === 0) return [];
  let q = db
    .selectFrom('webhooks')
    .leftJoin('units', 'units.id', 'webhooks.unit_id')
    .select(['webhooks.id', 'webhooks.unit_id', 'units.name', 'webhooks.url', 'webhooks.active', 'webhooks.created_at']);
  if (unitIds !== null) q = q.where('webhooks.unit_id', 'in', unitIds);
  const rows = await q.orderBy('webhooks.id').execute();
  return rows
    .map((r) => ({ id: r.id, unitId: r.unit_id, unitName: r.name, url: r.url, active: r.active === 1, createdAt: r.created_at }))
    .sort((a, b) => (a.unitId === null ? 0 : 1) - (b.unitId === null ? 0 : 1) || (a.unitName ?? '').localeCompare(b.unitName ?? '', 'vi') || a.id - b.id);
}

/** The active webhooks: where new events go. */
export async function activeWebhooks(db: Kysely<Database>): Promise<{ id: number; unitId: number | null }[]> {
  const rows = await db.selectFrom('webhooks').select(['id', 'unit_id']).where('active', '=', 1).orderBy('id').execute();
  return rows.map((r) => ({ id: r.id, unitId: r.unit_id }));
}

export async function setWebhookActive(db: Kysely<Database>, id: number, active: boolean): Promise<void> {
  await db.updateTable('webhooks').set({ active: active ? 1 : 0 }).where('id', '=', id).execute();
}

/** Removes a webhook with its deliveries and their tries (the log goes with it). */
export async function deleteWebhook(db: Kysely<Database>, id: number): Promise<void> {
  const deliveries = db.selectFrom('webhook_deliveries').select('id').where('webhook_id', '=', id);
  await db.deleteFrom('webhook_attempts').where('delivery_id', 'in', deliveries).execute();
  await db.deleteFrom('webhook_deliveries').where('webhook_id', '=', id).execute();
  await db.deleteFrom('webhooks').where('id', '=', id).execute();
}

export interface NewDelivery {
  webhookId: number;
  event: WebhookDelivery['event'];
  alertId: number | null;
  createdAt: string;
  /** The payload, given the delivery's own id (which it carries). */
  payload: (id: number) => string;
}

/** Queues one delivery, due at once; its payload is written here and never again. */
export async function insertDelivery(db: Kysely<Database>, delivery: NewDelivery): Promise<number> {
  const { id } = await db
    .insertInto('webhook_deliveries')
    .values({
      webhook_id: delivery.webhookId,
      event: delivery.event,
      alert_id: delivery.alertId,
      payload: '',
      status: 'pending',
      attempts: 0,
      next_attempt_at: delivery.createdAt,
      created_at: delivery.createdAt,
      delivered_at: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db.updateTable('webhook_deliveries').set({ payload: delivery.payload(id) }).where('id', '=', id).execute();
  return id;
}

/** A delivery due to be tried, with where it goes and the key it is signed with. */
export interface DueDelivery {
  id: number;
  event: WebhookDelivery['event'];
  payload: string;
  attempts: number;
  nextAttemptAt: string;
  url: string;
  secret: string;
}

/** Pending deliveries of active webhooks due at `at` (ISO), oldest due first; `ids` narrows to these. */
export async function dueDeliveries(db: Kysely<Database>, at: string, limit: number, ids?: number[]): Promise<DueDelivery[]> {
  if (ids !== undefined && ids.length === 0) return [];
  let q = db
    .selectFrom('webhook_deliveries')
    .innerJoin('webhooks', 'webhooks.id', 'webhook_deliveries.webhook_id')
    .select(['webhook_deliveries.id', 'webhook_deliveries.event', 'webhook_deliveries.payload', 'webhook_deliveries.attempts', 'webhook_deliveries.next_attempt_at', 'webhooks.url', 'webhooks.secret'])
    .where('webhook_deliveries.status', '=', 'pending')
    .where('webhook_deliveries.next_attempt_at', '<=', at)
    .where('webhooks.active', '=', 1);
  if (ids !== undefined) q = q.where('webhook_deliveries.id', 'in', ids);
  const rows = await q.orderBy('webhook_deliveries.next_attempt_at').orderBy('webhook_deliveries.id').limit(limit).execute();
  return rows.map((r) => ({ id: r.id, event: r.event, payload: r.payload, attempts: r.attempts, nextAttemptAt: r.next_attempt_at ?? at, url: r.url, secret: r.secret }));
}

/**
 * Takes one try of a delivery for this caller: moves its due time to `leaseUntil` only if it is
 * still pending and due when it was read (`readAt`). True: this caller sends it, and nobody else
 * until the lease lapses (a server that stopped mid-try); false: another took it first.
 */
export async function claimDelivery(db: Kysely<Database>, id: number, readAt: string, leaseUntil: string): Promise<boolean> {
  const result = await db
    .updateTable('webhook_deliveries')
    .set({ next_attempt_at: leaseUntil })
    .where('id', '=', id)
    .where('status', '=', 'pending')
    .where('next_attempt_at', '=', readAt)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export interface TryOutcome {
  triedAt: string;
  statusCode: number | null;
  error: string | null;
  durationMs: number;
  /** What the delivery becomes, and when it is tried next (null once it is no longer pending). */
  status: WebhookDelivery['status'];
  nextAttemptAt: string | null;
}

/** Records one try and its delivery's new state together. */
export async function recordTry(db: Kysely<Database>, id: number, outcome: TryOutcome): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto('webhook_attempts')
      .values({ delivery_id: id, tried_at: outcome.triedAt, status_code: outcome.statusCode, error: outcome.error, duration_ms: outcome.durationMs })
      .execute();
    await trx
      .updateTable('webhook_deliveries')
      .set({
        attempts: sql<number>`attempts + 1`,
        status: outcome.status,
        next_attempt_at: outcome.nextAttemptAt,
        ...(outcome.status === 'delivered' ? { delivered_at: outcome.triedAt } : {}),
      })
      .where('id', '=', id)
      .execute();
  });
}

export async function findDelivery(db: Kysely<Database>, id: number): Promise<WebhookDelivery | undefined> {
  return db.selectFrom('webhook_deliveries').selectAll().where('id', '=', id).executeTakeFirst();
}

/** A delivery as the settings page's log shows it, with its tries in order. */
export interface DeliveryListing {
  id: number;
  webhookId: number;
  url: string;
  event: WebhookDelivery['event'];
  alertId: number | null;
  status: WebhookDelivery['status'];
  attempts: number;
  nextAttemptAt: string | null;
  createdAt: string;
  tries: WebhookAttempt[];
}

/** The newest deliveries of the webhooks of these units (null: every webhook), newest first, each with its tries. */
export async function recentDeliveries(db: Kysely<Database>, unitIds: number[] | null, limit: number): Promise<DeliveryListing[]> {
  if (unitIds !== null && unitIds.length === 0) return [];
  let q = db
    .selectFrom('webhook_deliveries')
    .innerJoin('webhooks', 'webhooks.id', 'webhook_deliveries.webhook_id')
    .select([
      'webhook_deliveries.id',
      'webhook_deliveries.webhook_id',
      'webhooks.url',
      'webhook_deliveries.event',
      'webhook_deliveries.alert_id',
      'webhook_deliveries.status',
      'webhook_deliveries.attempts',
      'webhook_deliveries.next_attempt_at',
      'webhook_deliveries.created_at',
    ]);
  if (unitIds !== null) q = q.where('webhooks.unit_id', 'in', unitIds);
  const rows = await q.orderBy('webhook_deliveries.id', 'desc').limit(limit).execute();
  const ids = rows.map((r) => r.id);
  const tries = ids.length === 0 ? [] : await db.selectFrom('webhook_attempts').selectAll().where('delivery_id', 'in', ids).orderBy('id').execute();
  return rows.map((r) => ({
    id: r.id,
    webhookId: r.webhook_id,
    url: r.url,
    event: r.event,
    alertId: r.alert_id,
    status: r.status,
    attempts: r.attempts,
    nextAttemptAt: r.next_attempt_at,
    createdAt: r.created_at,
    tries: tries.filter((a) => a.delivery_id === r.id),
  }));
}

/** A delivery's latest try, if it was tried. */
export async function lastTry(db: Kysely<Database>, deliveryId: number): Promise<WebhookAttempt | undefined> {
  return db.selectFrom('webhook_attempts').selectAll().where('delivery_id', '=', deliveryId).orderBy('id', 'desc').executeTakeFirst();
}
