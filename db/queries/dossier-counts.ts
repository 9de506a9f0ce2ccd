/**
 * Dossier counts (issue 20): the codes a file may name, resolved to ids in one read each, and the
 * replacement of a batch: every row of the batch's days at the batch's desks is deleted and the
 * batch inserted, in the caller's transaction, so a re-import of the same days and desks replaces
 * them and an import that fails leaves what was there.
 */
import type { Kysely } from 'kysely';
import type { Database, DossierCountsTable } from '../schema.ts';

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
 * out. Runs in the transaction it is given; the caller writes the audit entry in the same one.
 */
export async function replaceDossierCounts(trx: Kysely<Database>, rows: DossierCountRow[], onProgress?: (written: number) => void): Promise<number> {
  const daysByDesk = new Map<number, Set<string>>();
  for (const r of rows) {
    const days = daysByDesk.get(r.desk_id) ?? new Set<string>();
    days.add(r.day);
    daysByDesk.set(r.desk_id, days);
  }
  let removed = 0;
  for (const [deskId, set] of daysByDesk) {
    const days = [...set];
    for (let i = 0; i < days.length; i += DELETE_CHUNK) {
      const result = await trx.deleteFrom('dossier_counts').where('desk_id', '=', deskId).where('day', 'in', days.slice(i, i + DELETE_CHUNK)).executeTakeFirst();
      removed += Number(result.numDeletedRows);
    }
  }
  for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
    await trx.insertInto('dossier_counts').values(rows.slice(i, i + INSERT_CHUNK)).execute();
    onProgress?.(Math.min(i + INSERT_CHUNK, rows.length));
  }
  return removed;
}

/**
 * Writes each row over the row of the same key (day, desk, field, channel): what the API does, so a
 * push sent twice leaves the table as sent once, and a row it does not name is left alone. The number
 * of keys that were stored before.
 */
export async function upsertDossierCounts(trx: Kysely<Database>, rows: DossierCountRow[]): Promise<number> {
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
