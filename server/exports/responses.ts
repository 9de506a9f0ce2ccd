/**
 * GET /export/responses.csv and `sipas export responses`: one row per response in the report's
 * scope, with one column per question key. Read from one snapshot and written as it is read, in
 * chunks that wait for the reader: memory stays the same for a thousand rows or a million, and a
 * reader that goes away ends the query. Columns are described (vi, en) in docs/exports-and-api.md.
 */
import type { Kysely } from 'kysely';
import { localTimestamp } from '../../analytics/time.ts';
import { exportNames, type ExportNames, type ExportQuestion, type ExportRow, exportQuestions, responsesByVersion, streamResponses } from '../../db/queries/export.ts';
import { readSnapshot } from '../../db/snapshot.ts';
import type { Database } from '../../db/schema.ts';
import { type Lang, pick } from '../i18n/index.ts';
import type { ReportRequest } from '../figures/request.ts';
import { BOM, csvCell, type CsvFormat, csvLine, type CsvValue, EOL } from './csv.ts';
import type { CsvSink } from './sink.ts';

export const RESPONSE_COLUMNS = [
  'public_id', 'submitted_at', 'local_day', 'unit_code', 'unit_name', 'desk_code', 'desk_name', 'field_code', 'field_name',
  'questionnaire_code', 'questionnaire_version', 'channel', 'status',
] as const;
/** After the question columns: 1 when a comment of the row was hidden by a manager (only moderators get those). */
export const HIDDEN_COLUMN = 'comment_hidden';

/** Rows read from the database at a time, and how much CSV is gathered before it is written. */
const CHUNK_ROWS = 1000;
const WRITE_CHARS = 64 * 1024;

/**
 * Question columns: criteria, the overall question, choices, then free text. Keys in natural order
 * (a, a1, a2, b, …): a key names the same form input in every version, whatever the questionnaire.
 */
function questionColumns(questions: ExportQuestion[]): string[] {
  const rank = (q: ExportQuestion) => (q.type === 'text' ? 3 : q.role === 'criterion' ? 0 : q.role === 'overall' ? 1 : 2);
  const keys = new Map<string, number>();
  for (const q of questions) if (!keys.has(q.key)) keys.set(q.key, rank(q));
  return [...keys.entries()]
    .sort(([a, ra], [b, rb]) => ra - rb || a.localeCompare(b, 'en', { numeric: true }))
    .map(([key]) => key);
}

/** Where a question's answer goes: its column among the question columns. */
interface Slot {
  column: number;
  question: ExportQuestion;
}

/** A local timestamp written as the text it is stored as ('2025-06-15T03:00:00.000Z'), as toISOString writes it. */
const STORED_INSTANT = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z$/;
const HOURS_KEPT = 10_000;

/**
 * Turns the database's rows into CSV lines. Everything that does not change from row to row is
 * decided once per export: the cells of each unit, desk, field and questionnaire version (quoted,
 * NFC, formula-guarded once, not once per row), the column of each question of each version, the
 * local hour of each stored hour.
 */
class LineEncoder {
  private readonly sep: string;
  private readonly units = new Map<number, string>();
  private readonly desks = new Map<number, string>();
  private readonly fields = new Map<number, string>();
  private readonly versions = new Map<number, string>();
  private readonly words = new Map<string, string>();
  private readonly hours = new Map<string, string>();
  /** By questionnaire version, then by question id. */
  private readonly slots = new Map<number, Slot[]>();
  private readonly noSlots: Slot[] = [];

  constructor(
    names: ExportNames,
    questions: ExportQuestion[],
    private readonly keys: string[],
    private readonly format: CsvFormat,
    lang: Lang,
  ) {
    this.sep = format.separator;
    const pair = (a: CsvValue, b: CsvValue) => `${csvCell(a, format)}${this.sep}${csvCell(b, format)}`;
    for (const [id, u] of names.units) this.units.set(id, pair(u.code, u.name));
    for (const [id, d] of names.desks) this.desks.set(id, pair(d.code, d.name));
    for (const [id, f] of names.fields) this.fields.set(id, pair(f.code, pick(lang, f.nameVi, f.nameEn)));
    for (const [id, q] of names.questionnaires) this.versions.set(id, pair(q.code, q.version));
    const columns = new Map(keys.map((key, i) => [key, i]));
    for (const q of questions) {
      const column = columns.get(q.key);
      if (column === undefined) continue;
      let slots = this.slots.get(q.questionnaireId);
      if (!slots) this.slots.set(q.questionnaireId, (slots = []));
      slots[q.id] = { column, question: q };
    }
  }

  /** A cell of a column with few values (channel, status, day): encoded once per value. */
  private word(value: string): string {
    let cell = this.words.get(value);
    if (cell === undefined) {
      cell = csvCell(value, this.format);
      if (this.words.size < HOURS_KEPT) this.words.set(value, cell);
    }
    return cell;
  }

  /** localTimestamp of the stored instant; Vietnam is a whole number of hours ahead, so only the hour moves. */
  private timestamp(stored: string): string {
    if (!STORED_INSTANT.test(stored)) return csvCell(localTimestamp(new Date(stored)), this.format);
    const hour = stored.slice(0, 13);
    let local = this.hours.get(hour);
    if (local === undefined) {
      local = localTimestamp(new Date(`${hour}:00:00Z`)).slice(0, 13);
      if (this.hours.size >= HOURS_KEPT) this.hours.clear();
      this.hours.set(hour, local);
    }
    return `${local}${stored.slice(13, 19)}+07:00`;
  }

  /** One response, from its row(s): the first row's columns, every row's comment. */
  line(row: ExportRow, comments: { questionId: number; text: string; hidden: boolean }[]): string {
    const sep = this.sep;
    const [, publicId, submittedAt, localDay, channel, status, unitId, deskId, fieldId, questionnaireId, answers] = row;
    const slots = this.slots.get(questionnaireId) ?? this.noSlots;
    const cells = new Array<string>(this.keys.length).fill('');
    let choices: Map<Slot, string[]> | null = null;
    if (answers !== null) {
      // "questionId=value" parts joined by ','; a choice has one part per option chosen.
      for (let at = 0; at < answers.length; ) {
        let end = answers.indexOf(',', at);
        if (end === -1) end = answers.length;
        let id = 0;
        let i = at;
        for (let c = answers.charCodeAt(i); c !== 61 /* = */ && i < end; c = answers.charCodeAt(++i)) id = id * 10 + (c - 48);
        const slot = slots[id];
        const value = answers.slice(i + 1, end);
        at = end + 1;
        if (!slot) continue;
        if (slot.question.type === 'rating5') cells[slot.column] = value === '' ? '0' : value;
        else if (slot.question.type !== 'text') {
          choices ??= new Map();
          const chosen = choices.get(slot);
          if (chosen) chosen.push(value);
          else choices.set(slot, [value]);
        }
      }
    }
    if (choices) {
      for (const [slot, chosen] of choices) cells[slot.column] = csvCell(slot.question.options.filter((o) => chosen.includes(o)).join(';'), this.format);
    }
    let hidden = '';
    if (comments.length > 0) {
      const texts = new Map<Slot, string[]>();
      for (const c of comments) {
        const slot = slots[c.questionId];
        if (!slot || slot.question.type !== 'text') continue;
        const list = texts.get(slot);
        if (list) list.push(c.text);
        else texts.set(slot, [c.text]);
      }
      for (const [slot, list] of texts) cells[slot.column] = csvCell(list.join('\n'), this.format);
      hidden = comments.some((c) => c.hidden) ? '1' : '0';
    }
    return (
      `${csvCell(publicId, this.format)}${sep}${this.timestamp(submittedAt)}${sep}${this.word(localDay)}${sep}` +
      `${this.units.get(unitId) ?? sep}${sep}${this.desks.get(deskId) ?? sep}${sep}${this.fields.get(fieldId) ?? sep}${sep}` +
      `${this.versions.get(questionnaireId) ?? sep}${sep}${this.word(channel)}${sep}${this.word(status)}${sep}` +
      `${cells.join(sep)}${sep}${hidden}${EOL}`
    );
  }
}

export interface ExportResult {
  /** Rows written. */
  rows: number;
  /** Responses in scope, counted inside the same snapshot. */
  total: number;
  /** False when the reader left before the end. */
  complete: boolean;
}

export async function writeResponsesCsv(
  db: Kysely<Database>,
  request: ReportRequest,
  out: CsvSink,
  opts: { format: CsvFormat; lang: Lang; onProgress?: (done: number, total: number) => void },
): Promise<ExportResult> {
  return readSnapshot(db, async (snapshot, rows) => {
    const versions = await responsesByVersion(snapshot, request.filter);
    const total = [...versions.values()].reduce((a, b) => a + b, 0);
    const questions = await exportQuestions(snapshot, [...versions.keys()]);
    const names = await exportNames(snapshot);
    const keys = questionColumns(questions);
    const encoder = new LineEncoder(names, questions, keys, opts.format, opts.lang);

    // The header goes out at once: the download starts while the rows are still being read.
    await out.write(BOM + csvLine([...RESPONSE_COLUMNS, ...keys, HIDDEN_COLUMN], opts.format));
    let text = '';
    let written = 0;
    let pending: ExportRow | null = null;
    let comments: { questionId: number; text: string; hidden: boolean }[] = [];
    const stream = streamResponses(snapshot, rows, request.filter, { includeHiddenComments: request.includeHiddenComments, chunk: CHUNK_ROWS });
    reading: for await (const batch of stream) {
      for (const row of batch) {
        if (pending && pending[0] !== row[0]) {
          text += encoder.line(pending, comments);
          written++;
          pending = null;
          comments = [];
        }
        pending ??= row;
        const [, , , , , , , , , , , questionId, commentText, commentHidden] = row;
        if (questionId !== null && commentText !== null) comments.push({ questionId, text: commentText, hidden: commentHidden === 1 });
      }
      if (text.length >= WRITE_CHARS) {
        await out.write(text);
        text = '';
        opts.onProgress?.(written, total);
        // Let other requests in: better-sqlite3 reads synchronously, and a fast reader never makes us wait.
        await new Promise((resolve) => setImmediate(resolve));
        if (out.gone) break reading;
      }
    }
    if (out.gone) return { rows: written, total, complete: false };
    if (pending) {
      text += encoder.line(pending, comments);
      written++;
    }
    await out.write(text);
    opts.onProgress?.(written, total);
    return { rows: written, total, complete: !out.gone };
  });
}
