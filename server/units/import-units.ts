/**
 * Why: importing the units as CSV is one command (issue 19): administrators only; the file read and
 * checked whole (UTF-8, its rows, parents that exist) with every problem reported by line; then
 * every row and the audit entry naming the file ('unit.import') in one transaction, so a file is
 * taken whole or not at all and never without its entry.
 */
import type { Kysely } from 'kysely';
import { audit } from '../../db/queries/audit.ts';
import { importUnits, listUnits } from '../../db/queries/units.ts';
import type { Database } from '../../db/schema.ts';
import { checkParents, decodeUtf8, parseUnitsCsv, type UnitRow, type UnitsCsvProblem } from '../../db/seed/units.ts';
import { authorize } from '../auth/permissions.ts';
import type { Staff } from '../auth/scope.ts';

export interface ImportCounts {
  created: number;
  updated: number;
  unchanged: number;
}

export type ImportUnitsResult =
  | { ok: true; counts: ImportCounts }
  | { ok: false; status: 403 }
  /** No file, or an empty one. */
  | { ok: false; status: 422; reason: 'no-file' }
  /** Every problem of the file, by line. */
  | { ok: false; status: 422; reason: 'problems'; problems: UnitsCsvProblem[] };

export async function importUnitsFile(
  db: Kysely<Database>,
  staff: Staff,
  file: { bytes: Uint8Array; name: string } | null,
  at: string,
): Promise<ImportUnitsResult> {
  if (!authorize(staff, 'administerEverything')) return { ok: false, status: 403 };
  if (!file || file.bytes.length === 0) return { ok: false, status: 422, reason: 'no-file' };
  const decoded = decodeUtf8(file.bytes);
  const problems: UnitsCsvProblem[] = [];
  let rows: UnitRow[] = [];
  if (decoded === null) problems.push({ line: 1, problem: 'encoding' });
  else {
    const parsed = parseUnitsCsv(decoded);
    rows = parsed.rows;
    problems.push(...parsed.problems);
  }
  if (problems.length === 0) {
    const units = await listUnits(db);
    const codeOf = new Map(units.map((u) => [u.id, u.code]));
    problems.push(...checkParents(rows, units.map((u) => ({ code: u.code, parentCode: u.parent_id === null ? null : (codeOf.get(u.parent_id) ?? null) }))));
  }
  if (problems.length > 0) return { ok: false, status: 422, reason: 'problems', problems: problems.sort((a, b) => a.line - b.line) };

  const counts = await db.transaction().execute(async (trx) => {
    const result = await importUnits(trx, rows, at);
    await audit(trx, { at, userId: staff.id, action: 'unit.import', subject: file.name.slice(0, 100), after: result });
    return result;
  });
  return { ok: true, counts };
}
