/**
 * Copies a whole database into an empty one of either dialect, rows and ids unchanged: how a
 * province that started on SQLite moves to PostgreSQL when it adds app servers (`sipas copy`). The
 * source is read inside one transaction (a consistent snapshot, streamed in constant memory); the
 * target is written inside one transaction, so a copy that fails leaves the target empty.
 */
import { type Kysely, sql, type Transaction } from 'kysely';
import type { Db } from './connect.ts';
import type { Database } from './schema.ts';

/** Every table, parents before children (foreign keys hold at each insert). */
export const COPY_ORDER = [
  'settings', 'units', 'fields', 'questionnaires', 'elements', 'questions', 'desks', 'desk_fields',
  'responses', 'answers', 'comments', 'daily_rollups', 'daily_responses', 'monthly_rollups', 'monthly_responses',
  'used_nonces', 'rate_counters', 'indicators', 'targets', 'users', 'sessions', 'password_links', 'api_tokens', 'audit_log',
  'sign_in_throttle', 'survey_drafts', 'kiosks', 'dossier_links', 'unlock_links', 'published_figures', 'dossier_counts',
  'alerts', 'alert_actions', 'job_runs', 'mail_log', 'webhooks', 'webhook_deliveries', 'webhook_attempts',
] as const satisfies readonly (keyof Database)[];

type TableName = (typeof COPY_ORDER)[number];

/** Columns that point into their own table: written after every row of the table is in. */
const SELF_REFERENCES: Partial<Record<TableName, string>> = { units: 'parent_id' };

/** Kysely cannot type a table chosen at run time; these statements only move rows as they are. */
type Row = Record<string, unknown>;
type Loose = Kysely<Record<string, Row>>;
const loose = (db: Kysely<Database> | Transaction<Database>) => db as unknown as Loose;

/** Tables of the database that the copy does not know about (a new migration must extend COPY_ORDER). */
export async function tablesNotCopied(db: Kysely<Database>): Promise<string[]> {
  const known = new Set<string>(COPY_ORDER);
  return (await db.introspection.getTables())
    .map((t) => t.name)
    .filter((name) => !name.startsWith('kysely_migration') && !known.has(name));
}

async function countOf(db: Kysely<Database>, table: TableName): Promise<number> {
  const row = await loose(db).selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

export class CopyError extends Error {}

/** Refuses a target that already holds anything: a copy never merges into existing data. */
export async function assertEmpty(target: Kysely<Database>): Promise<void> {
  for (const table of COPY_ORDER) {
    const n = await countOf(target, table);
    if (n > 0) throw new CopyError(`the target database is not empty (${table}: ${n} rows); copy only into a new, empty database.`);
  }
}

export interface CopyProgress {
  table: TableName;
  done: number;
  total: number;
}

/** Rows per INSERT: well under PostgreSQL's 65,535 and SQLite's 32,766 bound parameters. */
const PARAMETERS_PER_INSERT = 20_000;

async function copyTable(from: Kysely<Database> | Transaction<Database>, to: Transaction<Database>, table: TableName, onRows: (n: number) => void) {
  const selfReference = SELF_REFERENCES[table];
  const deferred: { id: unknown; parent: unknown }[] = [];
  let batch: Row[] = [];
  let perInsert = 0;
  const flush = async () => {
    if (batch.length === 0) return;
    await loose(to).insertInto(table).values(batch).execute();
    onRows(batch.length);
    batch = [];
  };
  for await (const row of loose(from).selectFrom(table).selectAll().stream(1000)) {
    if (perInsert === 0) perInsert = Math.max(1, Math.floor(PARAMETERS_PER_INSERT / Object.keys(row).length));
    if (selfReference && row[selfReference] !== null) {
      deferred.push({ id: row.id, parent: row[selfReference] });
      batch.push({ ...row, [selfReference]: null });
    } else batch.push(row);
    if (batch.length >= perInsert) await flush();
  }
  await flush();
  if (selfReference) {
    for (const d of deferred) {
      await loose(to).updateTable(table).set({ [selfReference]: d.parent }).where('id', '=', d.id).execute();
    }
  }
}

/** PostgreSQL's id sequences do not move when ids are inserted explicitly: set them past the copied rows. */
async function advanceSequences(trx: Transaction<Database>): Promise<void> {
  const withId = await sql<{ table_name: string }>`
    select table_name from information_schema.columns
    where table_schema = current_schema() and column_name = 'id' and column_default like 'nextval%'`.execute(trx);
  for (const { table_name } of withId.rows) {
    await sql`select setval(pg_get_serial_sequence(${table_name}, 'id'), coalesce(max(id), 1), max(id) is not null) from ${sql.table(table_name)}`.execute(trx);
  }
}

export async function copyDatabase(source: Db, target: Db, onProgress: (p: CopyProgress) => void): Promise<Record<TableName, number>> {
  const missing = await tablesNotCopied(source.kysely);
  if (missing.length > 0) throw new CopyError(`db/copy.ts does not know the tables ${missing.join(', ')}; add them to COPY_ORDER.`);
  await assertEmpty(target.kysely);
  const read = source.dialect === 'postgres' ? source.kysely.transaction().setIsolationLevel('repeatable read') : source.kysely.transaction();
  return read.execute(async (snapshot) => {
    // Each table is streamed through a cursor whose portal stays open between fetches: to PostgreSQL
    // one statement for the whole table, which the per-statement limit that protects the pages
    // (30 s by default) would cut off. Like readSnapshot, lift it for this transaction only.
    if (source.dialect === 'postgres') await sql`set local statement_timeout = 0`.execute(snapshot);
    const totals = {} as Record<TableName, number>;
    for (const table of COPY_ORDER) totals[table] = await countOf(snapshot, table);
    await target.kysely.transaction().execute(async (trx) => {
      for (const table of COPY_ORDER) {
        let done = 0;
        onProgress({ table, done, total: totals[table] });
        await copyTable(snapshot, trx, table, (n) => {
          done += n;
          onProgress({ table, done, total: totals[table] });
        });
      }
      if (target.dialect === 'postgres') await advanceSequences(trx);
    });
    return totals;
  });
}
