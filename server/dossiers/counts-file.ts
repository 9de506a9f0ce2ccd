/**
 * Reading a file of dossier counts as the one-stop software or Excel in Vietnam writes it (issue 20):
 * UTF-8 with or without a BOM, comma or semicolon, CRLF or LF, Vietnamese or English headers in any
 * order, days as dd/mm/yyyy (always day first) or ISO, channels as words or the numbers 1, 2, 3. Every
 * problem is kept with its line, so the person who uploads the file can fix them all in one pass;
 * nothing here touches the database (import-counts.ts resolves the codes and writes).
 *
 * The reader is fed bytes in pieces and hands on each row as it reads it, so a year of a province
 * (about a million rows, 128 MB) is read from disk in a stream and never held whole: the command
 * line reads the file twice (check, then write) and keeps no row. The upload page reads its bytes in
 * memory through the same reader, and the API sends its JSON rows through the same row check.
 */
import { createReadStream } from 'node:fs';
import { isValidDay } from '../../analytics/time.ts';
import type { DossierChannel } from '../../db/schema.ts';

/** A file of a whole province's year (about a million rows) is under this; larger is refused whole. */
export const DOSSIER_FILE_MAX_BYTES = 128 * 1024 * 1024;
/** Rows in one API batch. */
export const DOSSIER_BATCH_MAX_ROWS = 10_000;

export const COUNT_COLUMNS = ['received', 'resolved', 'on_time', 'late', 'apologised', 'backlog', 'complaints'] as const;
export type CountColumn = (typeof COUNT_COLUMNS)[number];
export const COLUMNS = ['day', 'unit', 'desk', 'field', 'channel', ...COUNT_COLUMNS] as const;
export type Column = (typeof COLUMNS)[number];
const CODE_COLUMNS = ['day', 'unit', 'desk', 'field', 'channel'] as const;

export const isCountColumn = (c: Column): c is CountColumn => (COUNT_COLUMNS as readonly string[]).includes(c);

/**
 * The column dictionary: the header written in the sample file first (Vietnamese), then every other
 * header accepted. Headers are compared without case, accents, spaces, dots or underscores. "Tồn
 * đọng" (every unresolved dossier) is not "Tồn quá hạn" (those past due) and is not accepted for it.
 */
export const COLUMN_HEADERS: Record<Column, readonly string[]> = {
  day: ['Ngày', 'day', 'date', 'ngay xu ly'],
  unit: ['Mã đơn vị', 'unit', 'unit code', 'don vi'],
  desk: ['Mã quầy', 'desk', 'desk code', 'quay'],
  field: ['Mã lĩnh vực', 'field', 'field code', 'linh vuc'],
  channel: ['Kênh', 'channel', 'kenh nop', 'hinh thuc nop'],
  received: ['Tiếp nhận', 'received', 'so tiep nhan', 'ho so tiep nhan'],
  resolved: ['Đã giải quyết', 'resolved', 'giai quyet'],
  on_time: ['Đúng hạn', 'on time', 'on_time', 'giai quyet dung han', 'truoc va dung han'],
  late: ['Quá hạn', 'late', 'giai quyet qua han'],
  apologised: ['Đã xin lỗi', 'apologised', 'apologized', 'thu xin loi', 'co thu xin loi'],
  backlog: ['Tồn quá hạn', 'backlog', 'qua han chua giai quyet'],
  complaints: ['Phản ánh kiến nghị', 'complaints', 'phan anh', 'kien nghi', 'phan anh, kien nghi'],
};

/** Channel words and numbers (1 in person, 2 online, 3 post: QĐ 766's numbering as issue 20 gives it). */
const CHANNEL_WORDS: Record<string, DossierChannel> = {
  '1': 'in_person', 'truc tiep': 'in_person', 'in person': 'in_person', inperson: 'in_person',
  '2': 'online', 'truc tuyen': 'online', online: 'online', 'dich vu cong': 'online',
  '3': 'post', 'buu chinh': 'post', post: 'post', 'buu chinh cong ich': 'post',
};

/** Lower case, no accents (đ is d), single spaces: how headers and channel words are compared. */
export function fold(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[đĐ]/g, 'd')
    .toLowerCase()
    .replace(/[._\s]+/g, ' ')
    .trim();
}

const HEADER_OF = new Map<string, Column>();
for (const column of COLUMNS) for (const h of COLUMN_HEADERS[column]) HEADER_OF.set(fold(h).replace(/ /g, ''), column);

/** What a row says, codes not yet resolved to ids. */
export interface CountsLine {
  line: number;
  day: string;
  unit: string;
  desk: string;
  field: string;
  channel: DossierChannel;
  counts: Record<CountColumn, number>;
}

/** One problem, with what the words need (server/i18n/areas/dossiers.ts says them). */
export type CountsProblem =
  | { line: number; code: 'encoding' | 'empty' | 'unclosed' | 'no-rows' }
  | { line: number; code: 'too-large'; limit: number }
  | { line: number; code: 'too-many-rows'; limit: number }
  | { line: number; code: 'missing-columns'; columns: Column[] }
  | { line: number; code: 'unknown-column'; header: string }
  | { line: number; code: 'repeated-column'; header: string }
  | { line: number; code: 'width'; expected: number; found: number }
  | { line: number; code: 'day' | 'channel'; value: string }
  | { line: number; code: 'future-day'; value: string }
  | { line: number; code: 'blank'; column: Column }
  /** Every count of the row left blank (the template as downloaded): one problem, not seven. */
  | { line: number; code: 'no-counts' }
  | { line: number; code: 'count'; column: CountColumn; value: string }
  | { line: number; code: 'resolved-split'; onTime: number; late: number; resolved: number }
  | { line: number; code: 'apologised-late'; apologised: number; late: number }
  | { line: number; code: 'repeated-key'; first: number }
  | { line: number; code: 'unknown-unit' | 'unknown-field'; value: string }
  | { line: number; code: 'unknown-desk'; unit: string; value: string }
  | { line: number; code: 'not-your-unit'; value: string };

/** Problems of the file as a whole: when there is one, the rows were not read as they are meant and their own problems are left unsaid. */
const FILE_PROBLEMS: ReadonlySet<CountsProblem['code']> = new Set(['encoding', 'empty', 'unclosed', 'too-large', 'missing-columns', 'unknown-column', 'repeated-column']);
export const isFileProblem = (p: CountsProblem): boolean => FILE_PROBLEMS.has(p.code);

/**
 * Days and channels are written the same few ways on every row of a file: each distinct text is
 * parsed once. The caches are bounded so a file of nonsense cannot grow them.
 */
const CACHE_MAX = 20_000;
const dayCache = new Map<string, string | null>();
const channelCache = new Map<string, DossierChannel | null>();
function cached<T>(cache: Map<string, T>, key: string, make: (k: string) => T): T {
  const hit = cache.get(key);
  if (hit !== undefined || cache.has(key)) return hit as T;
  if (cache.size >= CACHE_MAX) cache.clear();
  const value = make(key);
  cache.set(key, value);
  return value;
}

/**
 * dd/mm/yyyy or d/m/yyyy (as Excel in Vietnam writes it: always day first, so 12/05/2026 is 12 May),
 * or ISO yyyy-mm-dd; null for anything else or a day that does not exist.
 */
export function parseDay(text: string): string | null {
  return cached(dayCache, text, (raw) => {
    const t = raw.trim();
    let iso: string | null = null;
    const dmy = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(t);
    if (dmy) iso = `${dmy[3]}-${(dmy[2] ?? '').padStart(2, '0')}-${(dmy[1] ?? '').padStart(2, '0')}`;
    else if (/^\d{4}-\d{2}-\d{2}$/.test(t)) iso = t;
    return iso !== null && isValidDay(iso) ? iso : null;
  });
}

export function parseChannel(text: string): DossierChannel | null {
  return cached(channelCache, text, (raw) => CHANNEL_WORDS[fold(raw)] ?? null);
}

/**
 * The row rules, the same for a file and for the API: every count given, whole and not negative;
 * every resolved dossier either on time or late (a separate "early" column belongs in on time); no
 * more apologised than late.
 */
export function checkRow(row: Omit<CountsLine, 'counts'> & { counts: Record<CountColumn, string | number> }): { line?: CountsLine; problems: CountsProblem[] } {
  const problems: CountsProblem[] = [];
  const counts = {} as Record<CountColumn, number>;
  const blank = (column: CountColumn) => {
    const raw = row.counts[column];
    return typeof raw === 'string' && raw.trim() === '';
  };
  if (COUNT_COLUMNS.every(blank)) return { problems: [{ line: row.line, code: 'no-counts' }] };
  for (const column of COUNT_COLUMNS) {
    const raw = row.counts[column];
    const text = typeof raw === 'number' ? String(raw) : raw.trim();
    if (text === '') problems.push({ line: row.line, code: 'blank', column });
    else if (!/^\d{1,9}$/.test(text)) problems.push({ line: row.line, code: 'count', column, value: text });
    else counts[column] = Number(text);
  }
  if (problems.length > 0) return { problems };
  if (counts.on_time + counts.late !== counts.resolved) problems.push({ line: row.line, code: 'resolved-split', onTime: counts.on_time, late: counts.late, resolved: counts.resolved });
  if (counts.apologised > counts.late) problems.push({ line: row.line, code: 'apologised-late', apologised: counts.apologised, late: counts.late });
  if (problems.length > 0) return { problems };
  return { line: { ...row, counts }, problems };
}

/** One record of CSV text: its cells and the line it starts on. */
export interface CsvRecord {
  line: number;
  fields: string[];
}

/**
 * RFC 4180 records from text given in pieces, each handed on as soon as its line ends: a quoted cell
 * may hold the delimiter, a newline or a doubled quote. Lines without a quote (nearly all of a
 * count file) are split without a character loop. Blank lines are skipped, but counted.
 */
export class CsvRecords {
  delimiter: ',' | ';' | null = null;
  private rest = '';
  private line = 1;

  constructor(private readonly onRecord: (record: CsvRecord) => void) {}

  push(text: string): void {
    this.rest += text;
    this.drain(false);
  }

  /** The end of the text: the line of a quote never closed, if any. */
  end(): number | null {
    return this.drain(true);
  }

  private drain(final: boolean): number | null {
    const buf = this.rest;
    if (this.delimiter === null) {
      // The header decides: more semicolons than commas is what Excel saves where the decimal mark is a comma.
      const from = buf.search(/[^\r\n]/);
      const nl = from === -1 ? -1 : buf.indexOf('\n', from);
      if (nl === -1 && !final) return null;
      const first = from === -1 ? '' : nl === -1 ? buf.slice(from) : buf.slice(from, nl);
      this.delimiter = (first.match(/;/g)?.length ?? 0) > (first.match(/,/g)?.length ?? 0) ? ';' : ',';
    }
    const delimiter = this.delimiter;
    let start = 0;
    let quote = buf.indexOf('"');
    let unclosed: number | null = null;
    while (start < buf.length) {
      if (quote !== -1 && quote < start) quote = buf.indexOf('"', start);
      const nl = buf.indexOf('\n', start);
      if (quote === -1 || (nl !== -1 && quote > nl)) {
        if (nl === -1 && !final) break;
        const end = nl === -1 ? buf.length : nl;
        let text = buf.slice(start, end);
        if (text.endsWith('\r')) text = text.slice(0, -1);
        if (text !== '') this.onRecord({ line: this.line, fields: text.split(delimiter) });
        this.line++;
        start = end + 1;
        continue;
      }
      const quoted = quotedRecord(buf, start, delimiter, final);
      if (quoted === 'more') break;
      if (quoted === 'unclosed') {
        unclosed = this.line;
        start = buf.length;
        break;
      }
      this.onRecord({ line: this.line, fields: quoted.fields });
      this.line += quoted.newlines + 1;
      start = quoted.end + 1;
    }
    this.rest = buf.slice(start);
    return unclosed;
  }
}

/** One record that holds a quote, from `start` to its newline outside quotes: 'more' when the text ends first. */
function quotedRecord(buf: string, start: number, delimiter: string, final: boolean): { end: number; fields: string[]; newlines: number } | 'more' | 'unclosed' {
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  let newlines = 0;
  for (let i = start; i < buf.length; i++) {
    const ch = buf[i];
    if (quoted) {
      if (ch === '"') {
        if (i + 1 === buf.length && !final) return 'more'; // a doubled quote may be split between pieces
        if (buf[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else {
        if (ch === '\n') newlines++;
        field += ch;
      }
      continue;
    }
    if (ch === '"') quoted = true;
    else if (ch === delimiter) {
      fields.push(field);
      field = '';
    } else if (ch === '\r' && i + 1 === buf.length && !final) return 'more';
    else if (ch === '\r' && buf[i + 1] === '\n') continue;
    else if (ch === '\n') {
      fields.push(field);
      return { end: i, fields, newlines };
    } else field += ch;
  }
  if (!final) return 'more';
  if (quoted) return 'unclosed';
  fields.push(field);
  return { end: buf.length, fields, newlines };
}

interface CountsHeader {
  line: number;
  position: Map<Column, number>;
  /** Cells up to the last header that is not blank ("a;b;c;" from Excel is three columns). */
  width: number;
}

function readHeader(record: CsvRecord, problem: (p: CountsProblem) => void): CountsHeader | null {
  let bad = false;
  const position = new Map<Column, number>();
  let width = 0;
  record.fields.forEach((h, i) => {
    if (h.trim() === '') return;
    width = i + 1;
    const column = HEADER_OF.get(fold(h).replace(/ /g, ''));
    if (column === undefined) {
      problem({ line: record.line, code: 'unknown-column', header: h.trim() });
      bad = true;
    } else if (position.has(column)) {
      problem({ line: record.line, code: 'repeated-column', header: h.trim() });
      bad = true;
    } else position.set(column, i);
  });
  const missing = COLUMNS.filter((c) => !position.has(c));
  if (missing.length > 0) problem({ line: record.line, code: 'missing-columns', columns: missing });
  return bad || missing.length > 0 ? null : { line: record.line, position, width };
}

/** One row of the body: the line if it reads well, null for a blank row; its problems to `problem`. */
function readRow(record: CsvRecord, header: CountsHeader, problem: (p: CountsProblem) => void): CountsLine | null | undefined {
  const { line, fields } = record;
  let blank = true;
  for (const f of fields) {
    if (f.trim() !== '') {
      blank = false;
      break;
    }
  }
  if (blank) return null;
  // Fewer cells than the header, or more that are not blank ("1,240" left unquoted shifts every count);
  // blank cells at the end (a trailing delimiter) are nothing.
  if (fields.length < header.width || fields.slice(header.width).some((f) => f.trim() !== '')) {
    problem({ line, code: 'width', expected: header.width, found: fields.length });
    return undefined;
  }
  const cell = (c: Column) => (fields[header.position.get(c) ?? -1] ?? '').trim();
  let bad = false;
  for (const c of CODE_COLUMNS) {
    if (cell(c) === '') {
      problem({ line, code: 'blank', column: c });
      bad = true;
    }
  }
  if (bad) return undefined;
  const day = parseDay(cell('day'));
  const channel = parseChannel(cell('channel'));
  if (day === null) problem({ line, code: 'day', value: cell('day') });
  if (channel === null) problem({ line, code: 'channel', value: cell('channel') });
  const counts = {} as Record<CountColumn, string>;
  for (const c of COUNT_COLUMNS) counts[c] = cell(c);
  const checked = checkRow({ line, day: day ?? '', unit: cell('unit'), desk: cell('desk'), field: cell('field'), channel: channel ?? 'in_person', counts });
  for (const p of checked.problems) problem(p);
  return day === null || channel === null ? undefined : checked.line;
}

/**
 * A file of counts, fed as bytes in pieces: each row that reads well goes to `row`, every problem to
 * `problem`, both in the order of the file. After a problem of the file as a whole (not UTF-8, a
 * header that is not right) it reads no further.
 */
export class CountsReader {
  private readonly decoder = new TextDecoder('utf-8', { fatal: true });
  private readonly csv: CsvRecords;
  private header: CountsHeader | null = null;
  private started = false;
  private stopped = false;
  private rows = 0;

  constructor(
    private readonly row: (line: CountsLine) => void,
    private readonly problem: (p: CountsProblem) => void,
  ) {
    this.csv = new CsvRecords((record) => this.record(record));
  }

  push(bytes: Uint8Array): void {
    if (this.stopped) return;
    let text: string;
    try {
      text = this.decoder.decode(bytes, { stream: true });
    } catch {
      return this.stop({ line: 1, code: 'encoding' });
    }
    if (!this.started && text.length > 0) {
      this.started = true;
      if (text.startsWith('\uFEFF')) text = text.slice(1);
    }
    this.csv.push(text);
  }

  end(): void {
    if (this.stopped) return;
    let text: string;
    try {
      text = this.decoder.decode();
    } catch {
      return this.stop({ line: 1, code: 'encoding' });
    }
    if (text !== '') this.csv.push(text);
    const unclosed = this.csv.end();
    if (this.stopped) return;
    if (unclosed !== null) return this.stop({ line: unclosed, code: 'unclosed' });
    if (this.header === null) return this.stop({ line: 1, code: 'empty' });
    if (this.rows === 0) this.problem({ line: this.header.line, code: 'no-rows' });
  }

  private stop(p: CountsProblem): void {
    this.stopped = true;
    this.problem(p);
  }

  private record(record: CsvRecord): void {
    if (this.stopped) return;
    if (this.header === null) {
      const header = readHeader(record, this.problem);
      if (header === null) this.stopped = true;
      else this.header = header;
      return;
    }
    const line = readRow(record, this.header, this.problem);
    if (line === null) return;
    this.rows++;
    if (line !== undefined) this.row(line);
  }
}

/**
 * A batch of counts the import command may read twice: once to check it, once to write it (so a
 * file of a million rows is never held as rows). Each reading gives the rows that read well, in
 * groups, and every problem of the others to `problem`; both readings must give the same rows.
 */
export interface CountsBatch {
  read(problem: (p: CountsProblem) => void): AsyncIterable<readonly CountsLine[]> | Iterable<readonly CountsLine[]>;
}

/**
 * Bytes are read in pieces of this size, and rows handed on after each: small enough that a piece's
 * rows die young (1 MB pieces left a year's import with 100 MB more of uncollected rows), large
 * enough that reading costs no more than with larger ones.
 */
const PIECE_BYTES = 64 * 1024;

/** A file's bytes held in memory (the upload page). */
export function countsOfBytes(bytes: Uint8Array): CountsBatch {
  return {
    *read(problem) {
      if (bytes.byteLength > DOSSIER_FILE_MAX_BYTES) return problem({ line: 1, code: 'too-large', limit: DOSSIER_FILE_MAX_BYTES });
      let lines: CountsLine[] = [];
      const reader = new CountsReader((l) => lines.push(l), problem);
      for (let i = 0; i < bytes.byteLength; i += PIECE_BYTES) {
        reader.push(bytes.subarray(i, i + PIECE_BYTES));
        if (lines.length > 0) yield lines;
        lines = [];
      }
      reader.end();
      if (lines.length > 0) yield lines;
    },
  };
}

/** A file on disk, streamed at each reading (`sipas dossiers import`); `onBytes` follows the reading. */
export function countsOfFile(path: string, onBytes?: (bytes: number) => void): CountsBatch {
  return {
    async *read(problem) {
      let lines: CountsLine[] = [];
      let bytes = 0;
      const reader = new CountsReader((l) => lines.push(l), problem);
      for await (const piece of createReadStream(path, { highWaterMark: PIECE_BYTES })) {
        const chunk = piece as Buffer;
        reader.push(chunk);
        bytes += chunk.byteLength;
        onBytes?.(bytes);
        if (lines.length > 0) yield lines;
        lines = [];
      }
      reader.end();
      if (lines.length > 0) yield lines;
    },
  };
}

/**
 * The rows of a file that read well, and every problem of the others, each with its line (the header
 * is line 1): the reader alone, without the codes, the days to come or repeated rows, which only the
 * import command (import-counts.ts) can judge.
 */
export function readCountsFile(bytes: Uint8Array): { lines: CountsLine[]; problems: CountsProblem[] } {
  const lines: CountsLine[] = [];
  const problems: CountsProblem[] = [];
  for (const group of countsOfBytes(bytes).read((p) => problems.push(p)) as Iterable<readonly CountsLine[]>) for (const l of group) lines.push(l);
  const whole = problems.filter(isFileProblem);
  return whole.length > 0 ? { lines: [], problems: whole } : { lines, problems };
}
