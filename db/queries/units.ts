import type { Kysely } from 'kysely';
import type { Database, Field, Unit, UnitKind } from '../schema.ts';
import type { UnitRow } from '../seed/units.ts';
import { touchSurveyConfig } from './survey-config.ts';
import { within } from './within.ts';

export async function listUnits(db: Kysely<Database>): Promise<Unit[]> {
  return db.selectFrom('units').selectAll().orderBy('id').execute();
}

export async function findUnitByCode(db: Kysely<Database>, code: string): Promise<Unit | undefined> {
  return db.selectFrom('units').selectAll().where('code', '=', code).executeTakeFirst();
}

export async function listFields(db: Kysely<Database>): Promise<Field[]> {
  return db.selectFrom('fields').selectAll().orderBy('position').execute();
}

export interface DeskOption {
  id: number;
  name: string;
  code: string;
  unitId: number;
  unitName: string;
}

export async function listDeskOptions(db: Kysely<Database>): Promise<DeskOption[]> {
  const rows = await db
    .selectFrom('desks')
    .innerJoin('units', 'units.id', 'desks.unit_id')
    .select(['desks.id', 'desks.name', 'desks.code', 'desks.unit_id', 'units.name as unit_name'])
    .orderBy('units.id')
    .orderBy('desks.code')
    .execute();
  return rows.map((r) => ({ id: r.id, name: r.name, code: r.code, unitId: r.unit_id, unitName: r.unit_name }));
}

export async function findUnit(db: Kysely<Database>, id: number): Promise<Unit | undefined> {
  return db.selectFrom('units').selectAll().where('id', '=', id).executeTakeFirst();
}

export interface UnitInput {
  code: string;
  name: string;
  kind: UnitKind;
  parentId: number | null;
}

export async function createUnit(db: Kysely<Database>, unit: UnitInput, now: string): Promise<number> {
  const { id } = await db
    .insertInto('units')
    .values({ code: unit.code, name: unit.name, kind: unit.kind, parent_id: unit.parentId, created_at: now })
    .returning('id')
    .executeTakeFirstOrThrow();
  return id;
}

/** The code stays: it is in printed reports, bookmarks and imported files. */
export async function updateUnit(db: Kysely<Database>, id: number, changes: Omit<UnitInput, 'code'>): Promise<void> {
  await db.updateTable('units').set({ name: changes.name, kind: changes.kind, parent_id: changes.parentId }).where('id', '=', id).execute();
  await touchSurveyConfig(db);
}

export async function setUnitActive(db: Kysely<Database>, id: number, active: boolean): Promise<void> {
  await db.updateTable('units').set({ active: active ? 1 : 0 }).where('id', '=', id).execute();
  await touchSurveyConfig(db);
}

/** What hangs on a unit: any of these keeps it from being deleted (it can still be deactivated). */
export interface UnitUsage {
  desks: number;
  responses: number;
  children: number;
  users: number;
}

export async function unitUsage(db: Kysely<Database>, id: number): Promise<UnitUsage> {
  const count = async (table: 'desks' | 'responses' | 'users', column: 'unit_id') =>
    Number((await db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).where(column, '=', id).executeTakeFirstOrThrow()).n);
  const children = await db.selectFrom('units').select((eb) => eb.fn.countAll<number>().as('n')).where('parent_id', '=', id).executeTakeFirstOrThrow();
  return { desks: await count('desks', 'unit_id'), responses: await count('responses', 'unit_id'), users: await count('users', 'unit_id'), children: Number(children.n) };
}

export async function deleteUnit(db: Kysely<Database>, id: number): Promise<void> {
  await db.deleteFrom('units').where('id', '=', id).execute();
}

/** Rows written between two turns of the event loop: a large file never holds up other requests. */
const IMPORT_SLICE = 100;

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Creates the rows with new codes and updates the others (name, kind, parent) in one transaction
 * (the caller's when given one: the import command writes its audit entry in it,
 * server/units/import-units.ts): a file is taken whole or not at all. Rows may come in any order;
 * parents must be valid (seed/units.ts checkParents). The work goes in slices of IMPORT_SLICE rows
 * with a turn of the event loop between them (better-sqlite3 writes synchronously); citizens'
 * pages, which only read, are answered meanwhile.
 */
export async function importUnits(
  db: Kysely<Database>,
  rows: UnitRow[],
  now: string,
): Promise<{ created: number; updated: number; unchanged: number }> {
  return within(db, async (trx) => {
    const existing = await trx.selectFrom('units').selectAll().execute();
    const idOf = new Map(existing.map((u) => [u.code, u.id]));
    const byCode = new Map(existing.map((u) => [u.code, u]));
    let created = 0;
    let updated = 0;
    let unchanged = 0;
    let written = 0;
    const step = async () => {
      if (++written % IMPORT_SLICE === 0) await nextTurn();
    };
    // New units first without a parent (a parent may be a later row), then every parent set.
    for (const row of rows) {
      if (idOf.has(row.code)) continue;
      idOf.set(row.code, await createUnit(trx, { code: row.code, name: row.name, kind: row.kind, parentId: null }, now));
      created++;
      await step();
    }
    for (const row of rows) {
      const id = idOf.get(row.code) as number;
      const parentId = row.parentCode === null ? null : (idOf.get(row.parentCode) ?? null);
      const before = byCode.get(row.code);
      if (before && before.name === row.name && before.kind === row.kind && before.parent_id === parentId) {
        unchanged++;
        continue;
      }
      await trx.updateTable('units').set({ name: row.name, kind: row.kind, parent_id: parentId }).where('id', '=', id).execute();
      if (before) updated++;
      await step();
    }
    // Once for the whole file: what citizens see may have changed (a unit renamed or moved).
    if (created + updated > 0) await touchSurveyConfig(trx);
    return { created, updated, unchanged };
  });
}
