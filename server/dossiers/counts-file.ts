/**
 * Reading a file of dossier counts as the one-stop software or Excel in Vietnam writes it (issue 20):
 * UTF-8 with or without a BOM, comma or semicolon, CRLF or LF, Vietnamese or English headers in any
 * order, days as dd/mm/yyyy or ISO, channels as words or QĐ 766's numbers 1, 2, 3. Every problem is
 * kept with its line, so the person who uploads the file can fix them all in one pass; nothing here
 * touches the database (import-counts.ts resolves the codes and writes). The same reader serves the
 * upload page and `sipas dossiers import`; the API sends JSON rows through the same row check.
 */
import { isValidDay } from '../../analytics/time.ts';
import { csvRecords, decodeUtf8 } from '../../db/seed/units.ts';
import type { DossierChannel } from '../../db/schema.ts';

/** A file of a whole province's year (about a million rows) is under this; larger is refused whole. */
export const DOSSIER_FILE_MAX_BYTES = 128 * 1024 * 1024;
/** Rows in one API batch. */
export const DOSSIER_BATCH_MAX_ROWS = 10_000;

export const COUNT_COLUMNS = ['received', 'resolved', 'on_time', 'late', 'apologised', 'backlog', 'complaints'] as const;
export type CountColumn = (typeof COUNT_COLUMNS)[number];
export const COLUMNS = ['day', 'unit', 'desk', 'field', 'channel', ...COUNT_COLUMNS] as const;
export type Column = (typeof COLUMNS)[number];

/**
 * The column dictionary: the header written in the sample file first (Vietnamese), then every other
 * header accepted. Headers are compared without case, accents, spaces, dots or underscores.
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
  backlog: ['Tồn quá hạn', 'backlog', 'ton dong', 'qua han chua giai quyet'],
  complaints: ['Phản ánh kiến nghị', 'complaints', 'phan anh', 'kien nghi', 'phan anh, kien nghi'],
};

/** Channel words and numbers (QĐ 766/QĐ-TTg: 1 in person, 2 online, 3 post). */
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
  | { line: number; code: 'blank'; column: Column }
  | { line: number; code: 'count'; column: CountColumn; value: string }
  | { line: number; code: 'resolved-split' | 'apologised-late' }
  | { line: number; code: 'repeated-key'; first: number }
  | { line: number; code: 'unknown-unit' | 'unknown-desk' | 'unknown-field'; value: string }
  | { line: number; code: 'not-your-unit'; value: string };

/** dd/mm/yyyy (Excel in Vietnam), d/m/yyyy, or ISO YYYY-MM-DD; null for anything else or a day that does not exist. */
export function parseDay(text: string): string | null {
  const t = text.trim();
  let iso: string | null = null;
  const dmy = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(t);
  if (dmy) iso = `${dmy[3]}-${(dmy[2] ?? '').padStart(2, '0')}-${(dmy[1] ?? '').padStart(2, '0')}`;
  else if (/^\d{4}-\d{2}-\d{2}$/.test(t)) iso = t;
  return iso !== null && isValidDay(iso) ? iso : null;
}

export function parseChannel(text: string): DossierChannel | null {
  return CHANNEL_WORDS[fold(text)] ?? null;
}

/** The row rules, the same for a file and for the API: counts whole and not negative, the parts within their whole. */
export function checkRow(row: Omit<CountsLine, 'counts'> & { counts: Record<CountColumn, string | number> }): { line?: CountsLine; problems: CountsProblem[] } {
  const problems: CountsProblem[] = [];
  const counts = {} as Record<CountColumn, number>;
  for (const column of COUNT_COLUMNS) {
    const raw = row.counts[column];
    const text = typeof raw === 'number' ? String(raw) : raw.trim();
    if (!/^\d{1,9}$/.test(text)) problems.push({ line: row.line, code: 'count', column, value: text });
    else counts[column] = Number(text);
  }
  if (problems.length > 0) return { problems };
  if (counts.on_time + counts.late > counts.resolved) problems.push({ line: row.line, code: 'resolved-split' });
  if (counts.apologised > counts.late) problems.push({ line: row.line, code: 'apologised-late' });
  if (problems.length > 0) return { problems };
  return { line: { ...row, counts }, problems };
}

/**
 * The rows of a file that read well, and every problem of the others, each with its line (the header
 * is line 1). A file with any problem must not be written: the import command takes its problems
 * (`found`) and adds those of codes and permissions, so one pass names them all.
 */
export function readCountsFile(bytes: Uint8Array): { lines: CountsLine[]; problems: CountsProblem[] } {
  if (bytes.byteLength > DOSSIER_FILE_MAX_BYTES) return { lines: [], problems: [{ line: 1, code: 'too-large', limit: DOSSIER_FILE_MAX_BYTES }] };
  const decoded = decodeUtf8(bytes);
  if (decoded === null) return { lines: [], problems: [{ line: 1, code: 'encoding' }] };
  const text = decoded.replace(/^\uFEFF/, '');
  const firstLine = text.slice(0, text.indexOf('\n') === -1 ? text.length : text.indexOf('\n'));
  const delimiter = (firstLine.match(/;/g)?.length ?? 0) > (firstLine.match(/,/g)?.length ?? 0) ? ';' : ',';
  const { records, unclosedAt } = csvRecords(text, delimiter);
  if (unclosedAt !== null) return { lines: [], problems: [{ line: unclosedAt, code: 'unclosed' }] };
  const [header, ...body] = records;
  if (header === undefined) return { lines: [], problems: [{ line: 1, code: 'empty' }] };

  const problems: CountsProblem[] = [];
  const position = new Map<Column, number>();
  header.fields.forEach((h, i) => {
    const column = HEADER_OF.get(fold(h).replace(/ /g, ''));
    if (column === undefined) {
      if (h.trim() !== '') problems.push({ line: header.line, code: 'unknown-column', header: h.trim() });
    } else if (position.has(column)) problems.push({ line: header.line, code: 'repeated-column', header: h.trim() });
    else position.set(column, i);
  });
  const missing = COLUMNS.filter((c) => !position.has(c));
  if (missing.length > 0) problems.push({ line: header.line, code: 'missing-columns', columns: missing });
  if (problems.length > 0) return { lines: [], problems };
  if (body.length === 0) return { lines: [], problems: [{ line: header.line, code: 'no-rows' }] };

  const lines: CountsLine[] = [];
  const firstOf = new Map<string, number>();
  for (const record of body) {
    const { line, fields } = record;
    if (fields.every((f) => f.trim() === '')) continue;
    // Fewer cells than the header, or more that are not blank ("1,240" left unquoted shifts every count).
    if (fields.length < header.fields.length || fields.slice(header.fields.length).some((f) => f.trim() !== '')) {
      problems.push({ line, code: 'width', expected: header.fields.length, found: fields.length });
      continue;
    }
    const cell = (c: Column) => (fields[position.get(c) ?? -1] ?? '').trim();
    let bad = false;
    for (const c of ['day', 'unit', 'desk', 'field', 'channel'] as const) {
      if (cell(c) === '') {
        problems.push({ line, code: 'blank', column: c });
        bad = true;
      }
    }
    if (bad) continue;
    const day = parseDay(cell('day'));
    const channel = parseChannel(cell('channel'));
    if (day === null) problems.push({ line, code: 'day', value: cell('day') });
    if (channel === null) problems.push({ line, code: 'channel', value: cell('channel') });
    const counts = Object.fromEntries(COUNT_COLUMNS.map((c) => [c, cell(c)])) as Record<CountColumn, string>;
    const checked = checkRow({ line, day: day ?? '', unit: cell('unit'), desk: cell('desk'), field: cell('field'), channel: channel ?? 'in_person', counts });
    problems.push(...checked.problems);
    if (day === null || channel === null || checked.line === undefined) continue;
    const key = keyOf(checked.line);
    const first = firstOf.get(key);
    if (first !== undefined) problems.push({ line, code: 'repeated-key', first });
    else {
      firstOf.set(key, line);
      lines.push(checked.line);
    }
  }
  return { lines, problems };
}

/** A row's key: re-sending it replaces it. Codes are compared as written, as the database compares them. */
export function keyOf(l: Pick<CountsLine, 'day' | 'unit' | 'desk' | 'field' | 'channel'>): string {
  return [l.day, l.unit, l.desk, l.field, l.channel].join('|');
}
