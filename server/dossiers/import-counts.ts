/**
 * Importing dossier counts (issue 20) is one command for its three doors (the upload page, `sipas
 * dossiers import`, the API): it resolves each row's unit, desk and field codes, refuses a row at a
 * desk the person does not manage (before saying whether that unit has such a desk, so a manager
 * learns nothing of other units' desks), a day after the day of the import, and a row given twice,
 * and writes the whole batch with its audit entry in one transaction, replacing what was stored for
 * the same days at the same desks. All or nothing: any problem in any row writes nothing and names
 * every row's problem with its line. A check-only run says what an import would do without writing
 * (the upload page's preview).
 *
 * The batch is read twice, to check and then to write, and between the two only compact facts are
 * kept (a number per row for the repeated-row check, the days of each desk, sums): a year of a
 * province, about a million rows, streams from its file twice and is never held as rows. The second
 * reading must give what the first gave, or the transaction is undone.
 */
import type { Kysely } from 'kysely';
import { localDay } from '../../analytics/time.ts';
import { audit } from '../../db/queries/audit.ts';
import { countsTransaction, deskKeys, type DossierCountRow, replaceDossierCounts, storedRowsAt, upsertDossierCounts } from '../../db/queries/dossier-counts.ts';
import { listFields, listUnits } from '../../db/queries/units.ts';
import type { Database, DossierChannel } from '../../db/schema.ts';
import { authorize } from '../auth/permissions.ts';
import type { Actor } from '../accounts/actor.ts';
import { type CountsBatch, type CountsLine, type CountsProblem, isFileProblem } from './counts-file.ts';

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
  /** `more`: problems found beyond those listed (a file of a million wrong rows lists the first). */
  | { ok: false; status: 422; problems: CountsProblem[]; more?: number };

export interface ImportSource {
  /**
   * 'upload' | 'cli' | 'api', and the file's name when there is one: written into the audit entry. A
   * file replaces the days it names at the desks it names (a corrected month is sent again whole); the
   * API writes each row over the row of the same key and leaves the rest (a nightly push may be partial).
   */
  via: 'upload' | 'cli' | 'api';
  fileName?: string;
}

/** The batch's second reading did not give what the first gave (the file changed in between): nothing is written. */
export class CountsBatchChanged extends Error {
  constructor() {
    super('the batch changed between its check and its writing');
  }
}

/** Problems kept to be listed; the page shows 200, the command line 100, the API all of its 10,000 rows'. */
const PROBLEMS_KEPT = 10_000;
/** Rows handed to the database at a time while writing. */
const WRITE_GROUP = 5_000;

const CHANNEL_INDEX: Record<DossierChannel, number> = { in_person: 0, online: 1, post: 2 };
/** Days from 0000-01-01, so every day a file can write is a small whole number from 0. */
const dayIndex = (day: string) => Date.parse(`${day}T00:00:00Z`) / 86_400_000 + 719_528;

/**
 * The repeated-row check with 12 bytes a row: each row's key (day, channel, field, desk) as one
 * number and its line, in typed arrays; sorted once at the end to find the keys given twice.
 */
class RowKeys {
  private keys = new Float64Array(1024);
  private lines = new Uint32Array(1024);
  private n = 0;
  /** Keys of unusually many fields and desks do not fit one number: they are kept as strings instead. */
  private readonly byText: Map<string, number> | null;
  private readonly repeatedText: { line: number; first: number }[] = [];

  constructor(
    private readonly fieldSpan: number,
    private readonly deskSpan: number,
  ) {
    this.byText = 3_700_000 * 3 * fieldSpan * deskSpan > Number.MAX_SAFE_INTEGER ? new Map() : null;
  }

  add(day: number, channel: number, fieldId: number, deskId: number, line: number): void {
    if (this.byText !== null) {
      const key = `${day}|${channel}|${fieldId}|${deskId}`;
      const first = this.byText.get(key);
      if (first === undefined) this.byText.set(key, line);
      else this.repeatedText.push({ line, first });
      return;
    }
    if (this.n === this.keys.length) {
      const keys = new Float64Array(this.n * 2);
      keys.set(this.keys);
      this.keys = keys;
      const lines = new Uint32Array(this.n * 2);
      lines.set(this.lines);
      this.lines = lines;
    }
    this.keys[this.n] = ((day * 3 + channel) * this.fieldSpan + fieldId) * this.deskSpan + deskId;
    this.lines[this.n] = line;
    this.n++;
  }

  /** Each row whose key an earlier row had, with that earlier row's line. */
  repeated(): { line: number; first: number }[] {
    if (this.byText !== null) return this.repeatedText;
    const sorted = this.keys.slice(0, this.n).sort();
    const twice = new Set<number>();
    for (let i = 1; i < sorted.length; i++) if (sorted[i] === sorted[i - 1]) twice.add(sorted[i] ?? 0);
    if (twice.size === 0) return [];
    const firstOf = new Map<number, number>();
    const out: { line: number; first: number }[] = [];
    for (let i = 0; i < this.n; i++) {
      const key = this.keys[i] ?? 0;
      if (!twice.has(key)) continue;
      const first = firstOf.get(key);
      if (first === undefined) firstOf.set(key, this.lines[i] ?? 0);
      else out.push({ line: this.lines[i] ?? 0, first });
    }
    return out;
  }
}

/** Follows what a reading gave, to tell whether the second reading gave the same rows. */
function fingerprint(h: number, l: CountsLine, deskId: number, fieldId: number): number {
  const c = l.counts;
  for (const v of [l.line, dayIndex(l.day), CHANNEL_INDEX[l.channel], fieldId, deskId, c.received, c.resolved, c.on_time, c.late, c.apologised, c.backlog, c.complaints]) {
    h = Math.imul(h ^ v, 16_777_619);
  }
  return h;
}

function linesBatch(lines: readonly CountsLine[], found: readonly CountsProblem[]): CountsBatch {
  return {
    *read(problem) {
      for (const p of found) problem(p);
      yield lines;
    },
  };
}

export async function importDossierCounts(
  db: Kysely<Database>,
  importer: Actor,
  batch: CountsBatch | readonly CountsLine[],
  source: ImportSource,
  at: string,
  options: {
    checkOnly?: boolean;
    onProgress?: (written: number, total: number) => void;
    /** With rows given as a list: problems the reader found in rows not given here, reported with the command's own. */
    found?: CountsProblem[];
  } = {},
): Promise<ImportOutcome> {
  if (importer.kind === 'staff' && !authorize(importer.staff, 'administer')) return { ok: false, status: 403 };
  const input = 'read' in batch ? batch : linesBatch(batch, options.found ?? []);
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
  const today = localDay(new Date(at));

  // First reading: every rule, keeping only what the summary, the repeated-row check and the
  // replacement need.
  const problems: CountsProblem[] = [];
  let more = 0;
  const report = (p: CountsProblem) => {
    if (problems.length < PROBLEMS_KEPT || isFileProblem(p)) problems.push(p);
    else more++;
  };
  const keys = new RowKeys(Math.max(0, ...fields.map((f) => f.id)) + 1, Math.max(0, ...desks.map((d) => d.id)) + 1);
  const daysOf = new Map<number, Set<string>>();
  const summary: ImportSummary = { rows: 0, desks: 0, from: '', to: '', replaced: 0, resolved: 0, received: 0 };
  let print = 0;
  for await (const group of input.read(report)) {
    for (const l of group) {
      const unit = unitByCode.get(l.unit);
      const desk = unit === undefined ? undefined : deskByKey.get(`${l.unit}\n${l.desk}`);
      const field = fieldByCode.get(l.field);
      if (unit === undefined) report({ line: l.line, code: 'unknown-unit', value: l.unit });
      else if (!mayImportAt(unit.id)) report({ line: l.line, code: 'not-your-unit', value: l.unit });
      else if (desk === undefined) report({ line: l.line, code: 'unknown-desk', unit: l.unit, value: l.desk });
      if (field === undefined) report({ line: l.line, code: 'unknown-field', value: l.field });
      if (l.day > today) report({ line: l.line, code: 'future-day', value: l.day });
      if (unit === undefined || desk === undefined || field === undefined || !mayImportAt(unit.id) || l.day > today) continue;
      keys.add(dayIndex(l.day), CHANNEL_INDEX[l.channel], field.id, desk.id, l.line);
      let days = daysOf.get(desk.id);
      if (days === undefined) daysOf.set(desk.id, (days = new Set()));
      days.add(l.day);
      summary.rows++;
      summary.resolved += l.counts.resolved;
      summary.received += l.counts.received;
      if (summary.from === '' || l.day < summary.from) summary.from = l.day;
      if (l.day > summary.to) summary.to = l.day;
      print = fingerprint(print, l, desk.id, field.id);
    }
  }
  for (const r of keys.repeated()) report({ line: r.line, code: 'repeated-key', first: r.first });
  const whole = problems.filter(isFileProblem);
  if (whole.length > 0) return { ok: false, status: 422, problems: whole };
  if (problems.length > 0) return { ok: false, status: 422, problems: problems.sort((a, b) => a.line - b.line), ...(more > 0 ? { more } : {}) };
  if (summary.rows === 0) return { ok: false, status: 422, problems: [{ line: 1, code: 'no-rows' }] };

  summary.desks = daysOf.size;
  const daysByDesk = new Map([...daysOf].map(([deskId, days]) => [deskId, [...days]]));
  daysOf.clear();
  if (options.checkOnly) return { ok: true, summary: { ...summary, replaced: await storedRowsAt(db, daysByDesk) }, written: false };

  // Second reading, inside the transaction: the same rows again, resolved, in groups to the database.
  const changed = () => {
    throw new CountsBatchChanged();
  };
  async function* rows(): AsyncGenerator<DossierCountRow[]> {
    let again = 0;
    let n = 0;
    for await (const group of input.read(changed)) {
      const out: DossierCountRow[] = [];
      for (const l of group) {
        const desk = deskByKey.get(`${l.unit}\n${l.desk}`);
        const field = fieldByCode.get(l.field);
        if (desk === undefined || field === undefined) changed();
        else {
          again = fingerprint(again, l, desk.id, field.id);
          out.push({ day: l.day, desk_id: desk.id, field_id: field.id, channel: l.channel, ...l.counts, imported_at: at });
        }
        n++;
      }
      for (let i = 0; i < out.length; i += WRITE_GROUP) yield out.slice(i, i + WRITE_GROUP);
    }
    if (n !== summary.rows || again !== print) changed();
  }

  const replaced = await countsTransaction(db, async (trx) => {
    let removed: number;
    if (source.via === 'api') {
      const all: DossierCountRow[] = [];
      for await (const group of rows()) for (const r of group) all.push(r);
      removed = await upsertDossierCounts(trx, all);
    } else {
      removed = await replaceDossierCounts(trx, rows(), { daysByDesk, onProgress: options.onProgress && ((n) => options.onProgress?.(n, summary.rows)) });
    }
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
