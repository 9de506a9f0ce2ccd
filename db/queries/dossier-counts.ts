/**
 * Dossier counts (issue 20): the codes a file may name, resolved to ids in one read each, and the
 * replacement of a batch: every row of the batch's days at the batch's desks is deleted and the
 * batch inserted, in the caller's transaction, so a re-import of the same days and desks replaces
 * them and an import that fails leaves what was there. Both writes change the counts' version in the
 * same transaction, so the reads a report makes (sums, backlog) are kept in memory until the next
 * import or push, in this process or another (db/queries/history.ts).
 */
import { type Kysely, sql, type Transaction } from 'kysely';
import type { Database, DossierCountsTable } from '../schema.ts';
import { dossierCountsVersion } from './history.ts';

export interface DeskKey {
  id: number;
  code: string;
  unitId: number;
  unitCode: string;
}

/** Every desk with its unit's code, for resolving "unit, desk" pairs of a file. */
export async function deskKeys(db: Kysely<Database>): Promise<DeskKey[]> {
  const rows = await db
    .selectFrom('desks')
    .innerJoin('units', 'units.id', 'desks.unit_id')
    .select(['desks.id as id', 'desks.code as code', 'desks.unit_id as unitId', 'units.code as unitCode'])
    .execute();
  return rows;
}

export type DossierCountRow = DossierCountsTable;

/** Rows per insert: 13 columns, well under SQLite's 32,766 bound parameters and PostgreSQL's 65,535. */
const INSERT_CHUNK = 1000;
/** Days per delete statement. */
const DELETE_CHUNK = 500;

/**
 * Runs a transaction that writes counts (replaceDossierCounts, upsertDossierCounts, and the audit
 * entry beside them); once it has ended, reads this process kept while it was open are not used
 * again.
 */
export async function countsTransaction<T>(db: Kysely<Database>, write: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
  try {
    return await db.transaction().execute(write);
  } finally {
    dossierCountsVersion.committed();
  }
}

/** Rows already stored for these desks and days: what a batch would replace. */
export async function storedRowsAt(db: Kysely<Database>, daysByDesk: Map<number, string[]>): Promise<number> {
  let n = 0;
  for (const [deskId, days] of daysByDesk) {
    for (let i = 0; i < days.length; i += DELETE_CHUNK) {
      const row = await db
        .selectFrom('dossier_counts')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('desk_id', '=', deskId)
        .where('day', 'in', days.slice(i, i + DELETE_CHUNK))
        .executeTakeFirstOrThrow();
      n += Number(row.n);
    }
  }
  return n;
}

/**
 * Replaces the rows of every (desk, day) the batch names with the batch: the number of rows it took
 * out. Runs in the transaction it is given; the caller writes the audit entry in the same one. The
 * rows come as a list, or as groups read one after another (a file of a million rows streamed from
 * disk), in which case `daysByDesk` must name the batch's desks and days beforehand: they are
 * deleted first.
 */
export async function replaceDossierCounts(
  trx: Kysely<Database>,
  rows: readonly DossierCountRow[] | AsyncIterable<readonly DossierCountRow[]>,
  options: { daysByDesk?: ReadonlyMap<number, readonly string[]>; onProgress?: (written: number) => void } = {},
): Promise<number> {
  let daysByDesk = options.daysByDesk;
  if (daysByDesk === undefined) {
    if (!Array.isArray(rows)) throw new Error('replaceDossierCounts: a stream of rows needs its days by desk.');
    const sets = new Map<number, Set<string>>();
    for (const r of rows as readonly DossierCountRow[]) {
      const days = sets.get(r.desk_id) ?? new Set<string>();
      days.add(r.day);
      sets.set(r.desk_id, days);
    }
    daysByDesk = new Map([...sets].map(([deskId, set]) => [deskId, [...set]]));
  }
  await dossierCountsVersion.touch(trx);
  let removed = 0;
  for (const [deskId, days] of daysByDesk) {
    for (let i = 0; i < days.length; i += DELETE_CHUNK) {
      const result = await trx.deleteFrom('dossier_counts').where('desk_id', '=', deskId).where('day', 'in', days.slice(i, i + DELETE_CHUNK)).executeTakeFirst();
      removed += Number(result.numDeletedRows);
    }
  }
  let written = 0;
  const groups: AsyncIterable<readonly DossierCountRow[]> | Iterable<readonly DossierCountRow[]> = Array.isArray(rows) ? [rows as readonly DossierCountRow[]] : (rows as AsyncIterable<readonly DossierCountRow[]>);
  for await (const group of groups) {
    for (let i = 0; i < group.length; i += INSERT_CHUNK) {
      await trx.insertInto('dossier_counts').values(group.slice(i, i + INSERT_CHUNK)).execute();
      written += Math.min(INSERT_CHUNK, group.length - i);
      options.onProgress?.(written);
    }
  }
  return removed;
}

/**
 * Writes each row over the row of the same key (day, desk, field, channel): what the API does, so a
 * push sent twice leaves the table as sent once, and a row it does not name is left alone. The number
 * of keys that were stored before.
 */
export async function upsertDossierCounts(trx: Kysely<Database>, rows: DossierCountRow[]): Promise<number> {
  await dossierCountsVersion.touch(trx);
  let existed = 0;
  for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
    const chunk = rows.slice(i, i + INSERT_CHUNK);
    const keys = new Set(chunk.map((r) => `${r.day}|${r.desk_id}|${r.field_id}|${r.channel}`));
    const stored = await trx
      .selectFrom('dossier_counts')
      .select(['day', 'desk_id', 'field_id', 'channel'])
      .where('desk_id', 'in', [...new Set(chunk.map((r) => r.desk_id))])
      .where('day', 'in', [...new Set(chunk.map((r) => r.day))])
      .execute();
    existed += stored.filter((s) => keys.has(`${s.day}|${s.desk_id}|${s.field_id}|${s.channel}`)).length;
    await trx
      .insertInto('dossier_counts')
      .values(chunk)
      .onConflict((oc) =>
        oc.columns(['day', 'desk_id', 'field_id', 'channel']).doUpdateSet((eb) => ({
          received: eb.ref('excluded.received'),
          resolved: eb.ref('excluded.resolved'),
          on_time: eb.ref('excluded.on_time'),
          late: eb.ref('excluded.late'),
          apologised: eb.ref('excluded.apologised'),
          backlog: eb.ref('excluded.backlog'),
          complaints: eb.ref('excluded.complaints'),
          imported_at: eb.ref('excluded.imported_at'),
        })),
      )
      .execute();
  }
  return existed;
}

/** Which counts a report reads: its local days and its scope (the survey's channel does not apply). */
export interface DossierFilter {
  from: string;
  to: string;
  /** null = every unit. */
  unitIds: number[] | null;
  /** null = every field. */
  fieldIds: number[] | null;
  deskId: number | null;
}

/** Sums of one month, desk, field and channel within a report's days. */
export interface DossierSumRow {
  month: string;
  deskId: number;
  unitId: number;
  fieldId: number;
  channel: string;
  rows: number;
  received: number;
  resolved: number;
  onTime: number;
  late: number;
  apologised: number;
  complaints: number;
}

// Kysely's builder for a query on dossier_counts joined to desks, as the two reads below share it.
function scoped(db: Kysely<Database>, f: DossierFilter) {
  let q = db.selectFrom('dossier_counts').innerJoin('desks', 'desks.id', 'dossier_counts.desk_id').where('dossier_counts.day', '>=', f.from).where('dossier_counts.day', '<=', f.to);
  if (f.unitIds !== null) q = f.unitIds.length > 0 ? q.where('desks.unit_id', 'in', f.unitIds) : q.where(sql<boolean>`1 = 0`);
  if (f.fieldIds !== null) q = f.fieldIds.length > 0 ? q.where('dossier_counts.field_id', 'in', f.fieldIds) : q.where(sql<boolean>`1 = 0`);
  if (f.deskId !== null) q = q.where('dossier_counts.desk_id', '=', f.deskId);
  return q;
}

/**
 * Reads kept by version of the counts, query and filter, the least recently used going first once
 * their rows pass KEPT_ROWS (a province's year is about 30,000 sum rows, some 6 MB).
 */
const kept = new Map<string, readonly unknown[]>();
const KEPT_ROWS = 150_000;
let keptRows = 0;

/** Kept rows are shared: callers read them and never change them. */
async function keptRead<T>(db: Kysely<Database>, query: string, f: DossierFilter, read: () => Promise<T[]>): Promise<T[]> {
  const key = `${await dossierCountsVersion.read(db)}|${query}|${JSON.stringify([f.from, f.to, f.unitIds, f.fieldIds, f.deskId])}`;
  const hit = kept.get(key);
  if (hit) {
    kept.delete(key);
    kept.set(key, hit);
    return hit as T[];
  }
  const rows = await read();
  kept.set(key, rows);
  keptRows += rows.length;
  for (const [oldest, value] of kept) {
    if (keptRows <= KEPT_ROWS || oldest === key) break;
    kept.delete(oldest);
    keptRows -= value.length;
  }
  return rows;
}

/** The flows (received, resolved, …) per month, desk, field and channel: one grouped read, kept until the counts change. */
export function dossierSums(db: Kysely<Database>, f: DossierFilter): Promise<DossierSumRow[]> {
  return keptRead(db, 'sums', f, () => readSums(db, f));
}

async function readSums(db: Kysely<Database>, f: DossierFilter): Promise<DossierSumRow[]> {
  const month = sql<string>`substr(dossier_counts.day, 1, 7)`;
  const rows = await scoped(db, f)
    .select((eb) => [
      month.as('month'),
      'dossier_counts.desk_id as desk_id',
      'desks.unit_id as unit_id',
      'dossier_counts.field_id as field_id',
      'dossier_counts.channel as channel',
      eb.fn.countAll<number>().as('rows'),
      eb.fn.sum<number>('dossier_counts.received').as('received'),
      eb.fn.sum<number>('dossier_counts.resolved').as('resolved'),
      eb.fn.sum<number>('dossier_counts.on_time').as('on_time'),
      eb.fn.sum<number>('dossier_counts.late').as('late'),
      eb.fn.sum<number>('dossier_counts.apologised').as('apologised'),
      eb.fn.sum<number>('dossier_counts.complaints').as('complaints'),
    ])
    .groupBy([month, 'dossier_counts.desk_id', 'desks.unit_id', 'dossier_counts.field_id', 'dossier_counts.channel'])
    .execute();
  return rows.map((r) => ({
    month: String(r.month),
    deskId: r.desk_id,
    unitId: r.unit_id,
    fieldId: r.field_id,
    channel: r.channel,
    rows: Number(r.rows),
    received: Number(r.received),
    resolved: Number(r.resolved),
    onTime: Number(r.on_time),
    late: Number(r.late),
    apologised: Number(r.apologised),
    complaints: Number(r.complaints),
  }));
}

export interface BacklogRow {
  deskId: number;
  unitId: number;
  fieldId: number;
  channel: string;
  backlog: number;
}

/** The backlog of one month: each desk, field and channel's count on its latest day of that month within the report's days. */
export interface MonthBacklogRow extends BacklogRow {
  month: string;
}

/** Each desk, field and channel's row on its latest day within the report's days, or within each month of them; kept until the counts change. */
function latestRows(db: Kysely<Database>, f: DossierFilter, perMonth: boolean): Promise<MonthBacklogRow[]> {
  return keptRead(db, perMonth ? 'latest-by-month' : 'latest', f, () => readLatestRows(db, f, perMonth));
}

async function readLatestRows(db: Kysely<Database>, f: DossierFilter, perMonth: boolean): Promise<MonthBacklogRow[]> {
  const month = sql<string>`substr(dossier_counts.day, 1, 7)`;
  const keys = ['dossier_counts.desk_id', 'dossier_counts.field_id', 'dossier_counts.channel'] as const;
  const last = scoped(db, f)
    .select((eb) => ['dossier_counts.desk_id as desk_id', 'dossier_counts.field_id as field_id', 'dossier_counts.channel as channel', eb.fn.max('dossier_counts.day').as('last_day')])
    .groupBy(perMonth ? [month, ...keys] : [...keys])
    .as('last');
  const rows = await db
    .selectFrom(last)
    .innerJoin('dossier_counts', (j) =>
      j
        .onRef('dossier_counts.desk_id', '=', 'last.desk_id')
        .onRef('dossier_counts.field_id', '=', 'last.field_id')
        .onRef('dossier_counts.channel', '=', 'last.channel')
        .onRef('dossier_counts.day', '=', 'last.last_day'),
    )
    .innerJoin('desks', 'desks.id', 'dossier_counts.desk_id')
    .select(['dossier_counts.day as day', 'dossier_counts.desk_id as desk_id', 'desks.unit_id as unit_id', 'dossier_counts.field_id as field_id', 'dossier_counts.channel as channel', 'dossier_counts.backlog as backlog'])
    .execute();
  return rows.map((r) => ({ month: String(r.day).slice(0, 7), deskId: r.desk_id, unitId: r.unit_id, fieldId: r.field_id, channel: r.channel, backlog: Number(r.backlog) }));
}

/**
 * The backlog is a stock: each desk, field and channel's count on the latest day it reported within
 * the report's days, never a sum over days (the keys with none left out).
 */
export async function dossierBacklog(db: Kysely<Database>, f: DossierFilter): Promise<BacklogRow[]> {
  const latest = await latestRows(db, f, false);
  const known = backlogOf.get(latest);
  if (known) return known;
  const rows = latest.flatMap(({ month: _month, ...row }) => (row.backlog > 0 ? [row] : []));
  backlogOf.set(latest, rows);
  return rows;
}

/** The backlog of each kept read of the latest rows: the same array while the counts stay the same. */
const backlogOf = new WeakMap<readonly MonthBacklogRow[], BacklogRow[]>();

/**
 * The backlog per month (for the indicators export grouped by month or quarter): each key's count on
 * its latest day of each month, zeros kept, so a quarter takes each key's latest month and a stock
 * that fell to 0 is not replaced by an older one.
 */
export async function dossierBacklogByMonth(db: Kysely<Database>, f: DossierFilter): Promise<MonthBacklogRow[]> {
  return latestRows(db, f, true);
}

/**
 * The stored rows of a report's days and scope with the codes the import takes (day, unit, desk,
 * field, channel, then the seven counts, in that order), in the table's key order: for
 * /export/dossiers.csv, streamed inside a snapshot (db/snapshot.ts), so a downloaded file imports again unchanged.
 */
export function dossierCountsExportQuery(db: Kysely<Database>, f: DossierFilter) {
  return scoped(db, f)
    .innerJoin('units', 'units.id', 'desks.unit_id')
    .innerJoin('fields', 'fields.id', 'dossier_counts.field_id')
    .select([
      'dossier_counts.day as day',
      'units.code as unit',
      'desks.code as desk',
      'fields.code as field',
      'dossier_counts.channel as channel',
      'dossier_counts.received as received',
      'dossier_counts.resolved as resolved',
      'dossier_counts.on_time as on_time',
      'dossier_counts.late as late',
      'dossier_counts.apologised as apologised',
      'dossier_counts.backlog as backlog',
      'dossier_counts.complaints as complaints',
    ])
    .orderBy('dossier_counts.day')
    .orderBy('dossier_counts.desk_id')
    .orderBy('dossier_counts.field_id')
    .orderBy('dossier_counts.channel')
    .compile();
}
