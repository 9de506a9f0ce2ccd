/**
 * The public results page's figures, fixed once published (issue 18, item 6). A closed month can
 * still change after the page first showed it: a paper form typed in late with the day it was filled
 * in, a response released from the review queue, a desk moved to another unit. A reader who kept
 * yesterday's page could subtract it from today's and read off the late respondents, and the
 * province's published figure would change silently. So the first time /cong-khai (or its CSV) shows
 * a month, a quarter or a year, its figures are stored here exactly as shown, and from then on the
 * page shows what is stored; staff pages and the API keep reading the live figures.
 * One row per period ('M:2026-11', 'Q:2026-3', 'Y:2025'); `format` says how `payload` (JSON) is
 * written, so a later change can still read rows written by this one. Frozen once shipped.
 */
import { type ColumnDefinitionBuilder, type Kysely, PostgresAdapter } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- Kysely's documented migration signature
type AnyDb = Kysely<any>;

function idColumn(db: AnyDb): ['integer' | 'serial', (col: ColumnDefinitionBuilder) => ColumnDefinitionBuilder] {
  if (db.getExecutor().adapter instanceof PostgresAdapter) return ['serial', (col) => col.primaryKey()];
  return ['integer', (col) => col.primaryKey().autoIncrement()];
}

export async function up(db: AnyDb): Promise<void> {
  const [idType, idDef] = idColumn(db);
  await db.schema
    .createTable('published_figures')
    .addColumn('id', idType, idDef)
    // 'M:2026-11', 'Q:2026-3', 'Y:2025': one publication per period, whichever app server wrote it first.
    .addColumn('period_id', 'text', (c) => c.notNull().unique())
    // 'month' | 'quarter' | 'year', and the period's first and last days (YYYY-MM-DD).
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('period_from', 'text', (c) => c.notNull())
    .addColumn('period_to', 'text', (c) => c.notNull())
    .addColumn('format', 'integer', (c) => c.notNull())
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('published_at', 'text', (c) => c.notNull())
    .execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.dropTable('published_figures').execute();
}
