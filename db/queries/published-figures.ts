/**
 * The public page's figures as first published (see the migration 2026-12-05-0012-published-figures).
 * A period is stored once: the first app server to store it wins, and every server reads back what
 * was stored, so two servers racing to publish the same month show the same figures.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../schema.ts';

export interface StoredPublication {
  periodId: string;
  kind: 'month' | 'quarter' | 'year';
  from: string;
  to: string;
  format: number;
  payload: string;
  publishedAt: string;
}

const columns = ['period_id', 'kind', 'period_from', 'period_to', 'format', 'payload', 'published_at'] as const;

function fromRow(r: Pick<Database['published_figures'], (typeof columns)[number]>): StoredPublication {
  return { periodId: r.period_id, kind: r.kind, from: r.period_from, to: r.period_to, format: Number(r.format), payload: r.payload, publishedAt: r.published_at };
}

/** The stored publications among `periodIds`, by period id. */
export async function readPublications(db: Kysely<Database>, periodIds: string[]): Promise<Map<string, StoredPublication>> {
  if (periodIds.length === 0) return new Map();
  const rows = await db.selectFrom('published_figures').select(columns).where('period_id', 'in', periodIds).execute();
  return new Map(rows.map((r) => [r.period_id, fromRow(r)]));
}

/** Stores a period's figures unless it was published already, then returns what is stored (this or the earlier one). */
export async function publishOnce(db: Kysely<Database>, p: StoredPublication): Promise<StoredPublication> {
  await db
    .insertInto('published_figures')
    .values({ period_id: p.periodId, kind: p.kind, period_from: p.from, period_to: p.to, format: p.format, payload: p.payload, published_at: p.publishedAt })
    .onConflict((oc) => oc.column('period_id').doNothing())
    .execute();
  const row = await db.selectFrom('published_figures').select(columns).where('period_id', '=', p.periodId).executeTakeFirstOrThrow();
  return fromRow(row);
}
