import type { Kysely } from 'kysely';
import type { Database, Field, Unit } from '../schema.ts';

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
