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
import { BOM, csvCell, type CsvFormat, csvLine, type CsvValue, EOL, STANDARD_CSV } from './csv.ts';
import { type PeopleCell, type PeopleColumn, peopleCsvHeader, personDay, personTime, words, type Words, yesNo } from './people.ts';
import type { CsvSink } from './sink.ts';
import { openXlsx } from './xlsx.ts';

export const RESPONSE_COLUMNS = [
  'public_id', 'submitted_at', 'local_day', 'unit_code', 'unit_name', 'desk_code', 'desk_name', 'field_code', 'field_name',
  'questionnaire_code', 'questionnaire_version', 'channel', 'status',
] as const;
/** After the question columns: 1 when a comment of the row was hidden by a manager (only moderators get those). */
export const HIDDEN_COLUMN = 'comment_hidden';

/** The people's files (format=vn CSV, .xlsx): the same columns without the field's code, with words for people. */
export const RESPONSE_PEOPLE_COLUMNS: PeopleColumn[] = [
  { ...words('Mã phiếu', 'Response id'), kind: 'text', width: 14 },
  { ...words('Thời điểm gửi', 'Sent at'), kind: 'time', width: 19 },
  { ...words('Ngày gửi', 'Day sent'), kind: 'day', width: 11 },
  { ...words('Mã đơn vị', 'Unit code'), kind: 'text', width: 10 },
  { ...words('Đơn vị', 'Unit'), kind: 'text', width: 28 },
  { ...words('Mã quầy', 'Desk code'), kind: 'text', width: 12 },
  { ...words('Quầy', 'Desk'), kind: 'text', width: 24 },
  { ...words('Lĩnh vực', 'Field'), kind: 'text', width: 28 },
  { ...words('Mẫu phiếu', 'Questionnaire'), kind: 'text', width: 14 },
  { ...words('Phiên bản', 'Version'), kind: 'int' },
  { ...words('Kênh', 'Channel'), kind: 'text', width: 16 },
  { ...words('Trạng thái', 'Status'), kind: 'text', width: 14 },
];
const HIDDEN_PEOPLE_COLUMN: PeopleColumn = { ...words('Góp ý đã bị ẩn', 'Comment hidden'), kind: 'text' };

/** The questions every questionnaire names the same way (db/seed/questionnaires/); the others go by their key. */
const NAMED_QUESTIONS: Record<string, Words> = {
  overall: words('Hài lòng chung (0 = Không ý kiến)', 'Overall (0 = no opinion)'),
  expectations: words('Mong đợi (mã phương án)', 'Expectations (option keys)'),
  come_back: words('Sẽ quay lại (mã phương án)', 'Would come back (option key)'),
  comment: words('Góp ý', 'Comment'),
};

/** A question column for people: its key (the same form input in every version), text for comments and choices. */
function questionPeopleColumn(question: ExportQuestion | undefined, key: string): PeopleColumn {
  const named = NAMED_QUESTIONS[key];
  if (question?.type === 'text') return { ...(named ?? words(`Góp ý (${key})`, `Comment (${key})`)), kind: 'text', width: 50 };
  if (question && question.type !== 'rating5') return { ...(named ?? words(`Câu ${key} (mã phương án)`, `Question ${key} (option keys)`)), kind: 'text', width: 24 };
  return { ...(named ?? words(`Câu ${key} (0 = Không ý kiến)`, `Question ${key} (0 = no opinion)`)), kind: 'int', width: 10 };
}

const CHANNEL_WORDS: Record<string, Words> = {
  qr: words('Mã QR', 'QR code'),
  kiosk: words('Máy tính bảng tại quầy', 'Counter tablet'),
  web: words('Cổng thông tin', 'Web portal'),
  paper: words('Phiếu giấy', 'Paper form'),
};
const STATUS_WORDS: Record<string, Words> = {
  ok: words('Được tính', 'Counted'),
  suspect: words('Chờ xem xét', 'Awaiting review'),
  spam: words('Đã loại', 'Removed'),
};
const wordsOf = (table: Record<string, Words>, code: string, lang: Lang) => {
  const w = table[code];
  return w ? pick(lang, w.vi, w.en) : code;
};

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

/** Each answer of a row's "questionId=value" parts (joined by ','; a choice has one part per option chosen) with its slot. */
function eachAnswer(slots: Slot[], answers: string, visit: (slot: Slot, value: string) => void): void {
  for (let at = 0; at < answers.length; ) {
    let end = answers.indexOf(',', at);
    if (end === -1) end = answers.length;
    let id = 0;
    let i = at;
    for (let c = answers.charCodeAt(i); c !== 61 /* = */ && i < end; c = answers.charCodeAt(++i)) id = id * 10 + (c - 48);
    const slot = slots[id];
    const value = answers.slice(i + 1, end);
    at = end + 1;
    if (slot) visit(slot, value);
  }
}

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
    private readonly names: ExportNames,
    questions: ExportQuestion[],
    private readonly keys: string[],
    private readonly format: CsvFormat,
    private readonly lang: Lang,
    /** The people's CSV: days dd/mm/yyyy, channel and status in words, the field by its name only. */
    private readonly people = false,
  ) {
    this.sep = format.separator;
    const pair = (a: CsvValue, b: CsvValue) => `${csvCell(a, format)}${this.sep}${csvCell(b, format)}`;
    for (const [id, u] of names.units) this.units.set(id, pair(u.code, u.name));
    for (const [id, d] of names.desks) this.desks.set(id, pair(d.code, d.name));
    for (const [id, f] of names.fields) this.fields.set(id, people ? csvCell(pick(lang, f.nameVi, f.nameEn), format) : pair(f.code, pick(lang, f.nameVi, f.nameEn)));
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
  private word(value: string, people?: Record<string, Words>): string {
    let cell = this.words.get(value);
    if (cell === undefined) {
      cell = csvCell(!this.people ? value : people ? wordsOf(people, value, this.lang) : personDay(value), this.format);
      if (this.words.size < HOURS_KEPT) this.words.set(value, cell);
    }
    return cell;
  }

  /** localTimestamp of the stored instant; Vietnam is a whole number of hours ahead, so only the hour moves. */
  private localIso(stored: string): string {
    if (!STORED_INSTANT.test(stored)) return localTimestamp(new Date(stored));
    const hour = stored.slice(0, 13);
    let local = this.hours.get(hour);
    if (local === undefined) {
      local = localTimestamp(new Date(`${hour}:00:00Z`)).slice(0, 13);
      if (this.hours.size >= HOURS_KEPT) this.hours.clear();
      this.hours.set(hour, local);
    }
    return `${local}${stored.slice(13, 19)}+07:00`;
  }

  /** The time sent: ISO in the standard file, dd/mm/yyyy hh:mm:ss in the people's (neither needs quotes). */
  private timestamp(stored: string): string {
    const iso = this.localIso(stored);
    return this.people ? personTime(iso) : STORED_INSTANT.test(stored) ? iso : csvCell(iso, this.format);
  }

  /** One response as typed cells for the workbook (RESPONSE_PEOPLE_COLUMNS, the question columns, the hidden mark). */
  typed(row: ExportRow, comments: ExportComment[]): PeopleCell[] {
    const [, publicId, submittedAt, localDay, channel, status, unitId, deskId, fieldId, questionnaireId, answers] = row;
    const slots = this.slots.get(questionnaireId) ?? this.noSlots;
    const cells = new Array<PeopleCell>(this.keys.length).fill(null);
    const choices = new Map<Slot, string[]>();
    eachAnswer(slots, answers, (slot, value) => {
      if (slot.question.type === 'rating5') cells[slot.column] = value === '' ? 0 : Number(value);
      else if (slot.question.type !== 'text') choices.set(slot, [...(choices.get(slot) ?? []), value]);
    });
    for (const [slot, chosen] of choices) cells[slot.column] = slot.question.options.filter((o) => chosen.includes(o)).join(';');
    for (const c of comments) {
      const slot = slots[c.questionId];
      if (!slot || slot.question.type !== 'text') continue;
      const before = cells[slot.column];
      cells[slot.column] = typeof before === 'string' ? `${before}\n${c.text}` : c.text;
    }
    const unit = this.names.units.get(unitId);
    const desk = this.names.desks.get(deskId);
    const field = this.names.fields.get(fieldId);
    const version = this.names.questionnaires.get(questionnaireId);
    return [
      publicId, this.localIso(submittedAt), localDay, unit?.code, unit?.name, desk?.code, desk?.name,
      field ? pick(this.lang, field.nameVi, field.nameEn) : null, version?.code, version?.version,
      wordsOf(CHANNEL_WORDS, channel, this.lang), wordsOf(STATUS_WORDS, status, this.lang),
      ...cells, comments.length > 0 ? yesNo(comments.some((c) => c.hidden), this.lang) : null,
    ];
  }

  /** One response, from its row(s): the first row's columns, every row's comment. */
  line(row: ExportRow, comments: ExportComment[]): string {
    const sep = this.sep;
    const [, publicId, submittedAt, localDay, channel, status, unitId, deskId, fieldId, questionnaireId, answers] = row;
    const slots = this.slots.get(questionnaireId) ?? this.noSlots;
    const cells = new Array<string>(this.keys.length).fill('');
    // Assigned in the callback: typed by `as` so that the narrowing to null does not outlive it.
    let choices = null as Map<Slot, string[]> | null;
    eachAnswer(slots, answers, (slot, value) => {
      if (slot.question.type === 'rating5') cells[slot.column] = value === '' ? '0' : value;
      else if (slot.question.type !== 'text') {
        choices ??= new Map();
        const chosen = choices.get(slot);
        if (chosen) chosen.push(value);
        else choices.set(slot, [value]);
      }
    });
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
      hidden = this.people ? csvCell(yesNo(comments.some((c) => c.hidden), this.lang), this.format) : comments.some((c) => c.hidden) ? '1' : '0';
    }
    return (
      `${csvCell(publicId, this.format)}${sep}${this.timestamp(submittedAt)}${sep}${this.word(localDay)}${sep}` +
      `${this.units.get(unitId) ?? sep}${sep}${this.desks.get(deskId) ?? sep}${sep}${this.fields.get(fieldId) ?? (this.people ? '' : sep)}${sep}` +
      `${this.versions.get(questionnaireId) ?? sep}${sep}${this.word(channel, CHANNEL_WORDS)}${sep}${this.word(status, STATUS_WORDS)}${sep}` +
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

type ExportComment = { questionId: number; text: string; hidden: boolean };

/** What both files of responses need before their first row: how many, the questions, names and columns. */
async function responsesToExport(snapshot: Kysely<Database>, request: ReportRequest) {
  const versions = await responsesByVersion(snapshot, request.filter);
  const total = [...versions.values()].reduce((a, b) => a + b, 0);
  const questions = await exportQuestions(snapshot, [...versions.keys()]);
  return { total, questions, names: await exportNames(snapshot), keys: questionColumns(questions) };
}

/**
 * The responses in the export's order, each once with its comments (the query gives a row per comment),
 * batch by batch as read, so a writer can flush and yield between batches. The last response of a batch
 * waits for the next one, which may hold more of its comments.
 */
async function* responsesOf(
  snapshot: Kysely<Database>,
  rows: Parameters<typeof streamResponses>[1],
  request: ReportRequest,
): AsyncGenerator<{ row: ExportRow; comments: ExportComment[] }[]> {
  let pending: ExportRow | null = null;
  let comments: ExportComment[] = [];
  for await (const batch of streamResponses(snapshot, rows, request.filter, { includeHiddenComments: request.includeHiddenComments, chunk: CHUNK_ROWS })) {
    const done: { row: ExportRow; comments: ExportComment[] }[] = [];
    for (const row of batch) {
      if (pending && pending[0] !== row[0]) {
        done.push({ row: pending, comments });
        pending = null;
        comments = [];
      }
      pending ??= row;
      const [, , , , , , , , , , , questionId, commentText, commentHidden] = row;
      if (questionId !== null && commentText !== null) comments.push({ questionId, text: commentText, hidden: commentHidden === 1 });
    }
    yield done;
  }
  if (pending) yield [{ row: pending, comments }];
}

export async function writeResponsesCsv(
  db: Kysely<Database>,
  request: ReportRequest,
  out: CsvSink,
  opts: { format: CsvFormat; lang: Lang; onProgress?: (done: number, total: number) => void },
): Promise<ExportResult> {
  return readSnapshot(db, async (snapshot, rows) => {
    const { total, questions, names, keys } = await responsesToExport(snapshot, request);
    const people = opts.format !== STANDARD_CSV;
    const encoder = new LineEncoder(names, questions, keys, opts.format, opts.lang, people);

    // The header goes out at once: the download starts while the rows are still being read.
    await out.write(
      BOM +
        (people
          ? peopleCsvHeader(peopleColumns(questions, keys), opts.format, opts.lang)
          : csvLine([...RESPONSE_COLUMNS, ...keys, HIDDEN_COLUMN], opts.format)),
    );
    let text = '';
    let written = 0;
    for await (const batch of responsesOf(snapshot, rows, request)) {
      for (const { row, comments } of batch) text += encoder.line(row, comments);
      written += batch.length;
      if (text.length >= WRITE_CHARS) {
        await out.write(text);
        text = '';
        opts.onProgress?.(written, total);
        // Let other requests in: better-sqlite3 reads synchronously, and a fast reader never makes us wait.
        await new Promise((resolve) => setImmediate(resolve));
        if (out.gone) break;
      }
    }
    if (out.gone) return { rows: written, total, complete: false };
    await out.write(text);
    opts.onProgress?.(written, total);
    return { rows: written, total, complete: !out.gone };
  });
}

/** The people's columns of an export: the fixed ones, one per question key, the hidden mark. */
function peopleColumns(questions: ExportQuestion[], keys: string[]): PeopleColumn[] {
  const byKey = new Map<string, ExportQuestion>();
  for (const q of questions) if (!byKey.has(q.key)) byKey.set(q.key, q);
  return [...RESPONSE_PEOPLE_COLUMNS, ...keys.map((key) => questionPeopleColumn(byKey.get(key), key)), HIDDEN_PEOPLE_COLUMN];
}

/**
 * The same responses in a workbook, from one snapshot, row by row: each batch of rows read goes into
 * the zip, then the export waits while the zip or the reader is behind (xlsx.ts), so memory stays
 * bounded like the CSV's.
 */
export async function writeResponsesXlsx(
  db: Kysely<Database>,
  request: ReportRequest,
  out: CsvSink,
  opts: { lang: Lang; onProgress?: (done: number, total: number) => void },
): Promise<ExportResult> {
  return readSnapshot(db, async (snapshot, rows) => {
    const { total, questions, names, keys } = await responsesToExport(snapshot, request);
    const encoder = new LineEncoder(names, questions, keys, STANDARD_CSV, opts.lang);
    const book = await openXlsx(out);
    const sheet = book.sheet(pick(opts.lang, 'Phiếu khảo sát', 'Responses'), peopleColumns(questions, keys), opts.lang);
    let written = 0;
    for await (const batch of responsesOf(snapshot, rows, request)) {
      for (const { row, comments } of batch) sheet.add(encoder.typed(row, comments));
      written += batch.length;
      opts.onProgress?.(written, total);
      if (!(await sheet.flow())) return { rows: written, total, complete: false };
    }
    sheet.commit();
    await book.finish();
    opts.onProgress?.(written, total);
    return { rows: written, total, complete: !out.gone };
  });
}
