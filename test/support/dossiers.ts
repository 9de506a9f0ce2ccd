/**
 * Dossier counts written through the store's own write (as the API's push writes them, the counts'
 * version changed with them), without the import's checks, for tests of what the reports make of
 * them; the import itself is tested through its doors in dossiers-import.
 */
import type { Kysely } from 'kysely';
import { countsTransaction, upsertDossierCounts } from '../../db/queries/dossier-counts.ts';
import type { Database } from '../../db/schema.ts';

export interface CountsRow {
  day: string;
  field: string;
  channel?: 'in_person' | 'online' | 'post';
  received?: number;
  resolved: number;
  onTime: number;
  late?: number;
  apologised?: number;
  backlog?: number;
  complaints?: number;
}

export async function storeDossierCounts(db: Kysely<Database>, deskId: number, rows: CountsRow[]): Promise<void> {
  const fields = new Map((await db.selectFrom('fields').select(['id', 'code']).execute()).map((f) => [f.code, f.id]));
  const counts = rows.map((r) => {
    const fieldId = fields.get(r.field);
    if (fieldId === undefined) throw new Error(`no field ${r.field}`);
    return {
      day: r.day,
      desk_id: deskId,
      field_id: fieldId,
      channel: r.channel ?? 'in_person',
      received: r.received ?? r.resolved,
      resolved: r.resolved,
      on_time: r.onTime,
      late: r.late ?? r.resolved - r.onTime,
      apologised: r.apologised ?? 0,
      backlog: r.backlog ?? 0,
      complaints: r.complaints ?? 0,
      imported_at: '2026-12-01T00:00:00.000Z',
    };
  });
  await countsTransaction(db, (trx) => upsertDossierCounts(trx, counts));
}
