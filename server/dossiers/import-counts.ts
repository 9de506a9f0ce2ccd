/**
 * Importing dossier counts (issue 20) is one command for its three doors (the upload page, `sipas
 * dossiers import`, the API): it resolves each row's unit, desk and field codes, refuses a row at a
 * desk the person does not manage, and writes the whole batch with its audit entry in one
 * transaction, replacing what was stored for the same days at the same desks. All or nothing: any
 * problem in any row writes nothing and names every row's problem with its line (the reader's
 * problems, passed in, with the codes' and permissions' of the rows it could read). A check-only run
 * says what an import would do without writing (the upload page's preview).
 */
import type { Kysely } from 'kysely';
import { audit } from '../../db/queries/audit.ts';
import { deskKeys, type DossierCountRow, replaceDossierCounts, storedRowsAt, upsertDossierCounts } from '../../db/queries/dossier-counts.ts';
import { listFields, listUnits } from '../../db/queries/units.ts';
import type { Database } from '../../db/schema.ts';
import { authorize } from '../auth/permissions.ts';
import type { Actor } from '../accounts/actor.ts';
import type { CountsLine, CountsProblem } from './counts-file.ts';

export interface ImportSummary {
  rows: number;
  desks: number;
  /** The first and last day of the batch (ISO). */
  from: string;
  to: string;
  /** Rows stored before that this batch replaces: for a file, every row of its desks and days; for the API, the rows of its keys. */
  replaced: number;
  /** Sums over the batch, for the preview. */
  resolved: number;
  received: number;
}

export type ImportOutcome =
  | { ok: true; summary: ImportSummary; written: boolean }
  | { ok: false; status: 403 }
  | { ok: false; status: 422; problems: CountsProblem[] };

export interface ImportSource {
  /**
   * 'upload' | 'cli' | 'api', and the file's name when there is one: written into the audit entry. A
   * file replaces the days it names at the desks it names (a corrected month is sent again whole); the
   * API writes each row over the row of the same key and leaves the rest (a nightly push may be partial).
   */
  via: 'upload' | 'cli' | 'api';
  fileName?: string;
}

export async function importDossierCounts(
  db: Kysely<Database>,
  importer: Actor,
  lines: CountsLine[],
  source: ImportSource,
  at: string,
  options: {
    checkOnly?: boolean;
    onProgress?: (written: number, total: number) => void;
    /** Problems the reader found in rows not given here: reported with the command's own, and nothing is written. */
    found?: CountsProblem[];
  } = {},
): Promise<ImportOutcome> {
  if (importer.kind === 'staff' && !authorize(importer.staff, 'administer')) return { ok: false, status: 403 };
  const [units, fields, desks] = await Promise.all([listUnits(db), listFields(db), deskKeys(db)]);
  const unitByCode = new Map(units.map((u) => [u.code, u]));
  const fieldByCode = new Map(fields.map((f) => [f.code, f]));
  const deskByKey = new Map(desks.map((d) => [`${d.unitCode}\n${d.code}`, d]));
  const may = new Map<number, boolean>();
  const mayImportAt = (unitId: number): boolean => {
    if (importer.kind === 'operator') return true;
    let yes = may.get(unitId);
    if (yes === undefined) may.set(unitId, (yes = authorize(importer.staff, 'manageUnit', { unitId, units })));
    return yes;
  };

  const problems: CountsProblem[] = [...(options.found ?? [])];
  const rows: DossierCountRow[] = [];
  const rowLines: number[] = [];
  for (const l of lines) {
    const unit = unitByCode.get(l.unit);
    const desk = deskByKey.get(`${l.unit}\n${l.desk}`);
    const field = fieldByCode.get(l.field);
    if (unit === undefined) problems.push({ line: l.line, code: 'unknown-unit', value: l.unit });
    else if (desk === undefined) problems.push({ line: l.line, code: 'unknown-desk', value: l.desk });
    else if (!mayImportAt(unit.id)) problems.push({ line: l.line, code: 'not-your-unit', value: l.unit });
    if (field === undefined) problems.push({ line: l.line, code: 'unknown-field', value: l.field });
    if (desk === undefined || field === undefined || !mayImportAt(desk.unitId)) continue;
    rows.push({ day: l.day, desk_id: desk.id, field_id: field.id, channel: l.channel, ...l.counts, imported_at: at });
    rowLines.push(l.line);
  }
  const seen = new Map<string, number>();
  for (const [i, r] of rows.entries()) {
    // Two codes can name one desk only through case; the key is what the table holds.
    const key = `${r.day}|${r.desk_id}|${r.field_id}|${r.channel}`;
    const first = seen.get(key);
    if (first !== undefined) problems.push({ line: rowLines[i] ?? 0, code: 'repeated-key', first });
    else seen.set(key, rowLines[i] ?? 0);
  }
  if (problems.length > 0) return { ok: false, status: 422, problems };
  if (rows.length === 0) return { ok: false, status: 422, problems: [{ line: 1, code: 'no-rows' }] };

  // A set per desk: a file of one desk's year must cost one pass, not a copy of its days per row.
  const daySets = new Map<number, Set<string>>();
  for (const r of rows) {
    const days = daySets.get(r.desk_id) ?? new Set<string>();
    days.add(r.day);
    daySets.set(r.desk_id, days);
  }
  const daysByDesk = new Map([...daySets].map(([deskId, days]) => [deskId, [...days]]));
  const days = rows.map((r) => r.day).sort();
  const summary: ImportSummary = {
    rows: rows.length,
    desks: daysByDesk.size,
    from: days[0] ?? '',
    to: days[days.length - 1] ?? '',
    replaced: 0,
    resolved: rows.reduce((s, r) => s + r.resolved, 0),
    received: rows.reduce((s, r) => s + r.received, 0),
  };
  if (options.checkOnly) return { ok: true, summary: { ...summary, replaced: await storedRowsAt(db, daysByDesk) }, written: false };

  const replaced = await db.transaction().execute(async (trx) => {
    const removed =
      source.via === 'api' ? await upsertDossierCounts(trx, rows) : await replaceDossierCounts(trx, rows, options.onProgress && ((n) => options.onProgress?.(n, rows.length)));
    await audit(trx, {
      at,
      userId: importer.kind === 'staff' ? importer.staff.id : null,
      action: 'dossiers.import',
      subject: source.fileName ?? source.via,
      detail: `${source.via}: ${summary.rows} rows, ${summary.desks} desks, ${summary.from}..${summary.to}, ${removed} replaced`,
      after: { rows: summary.rows, desks: summary.desks, from: summary.from, to: summary.to, replaced: removed },
    });
    return removed;
  });
  return { ok: true, summary: { ...summary, replaced }, written: true };
}
