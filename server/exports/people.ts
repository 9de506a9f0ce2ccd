/**
 * Why: officials open the downloads in Excel or LibreOffice and read them (issue 21, item 5). The
 * standard CSV stays the machine-readable file (English codes as headers, full precision, ISO days);
 * the files for people — `format=vn` CSV and the `.xlsx` workbook — are written from one description
 * of their columns: a header in Vietnamese (English with `lang=en`) and a kind that says how a value
 * is shown: whole numbers, percentages to one decimal, days as dd/mm/yyyy. The `.xlsx` keeps numbers
 * as numbers (and full precision under a display format); the `format=vn` CSV writes them rounded.
 */
import { type Lang, pick } from '../i18n/index.ts';
import { csvCell, type CsvFormat, EOL } from './csv.ts';

/** How a column's values are shown to people. */
export type Kind = 'text' | 'int' | 'decimal' | 'percent' | 'day' | 'time';

export interface PeopleColumn {
  vi: string;
  en: string;
  kind: Kind;
  /** Width in characters in the workbook; the header's length when omitted. */
  width?: number;
}

/** A value shown with another kind than its column's (a count of dossiers in a column of percentages). */
export interface Typed {
  kind: Kind;
  value: number;
}

/** Percentages are 0..100; days 'YYYY-MM-DD'; times the local ISO timestamp ('YYYY-MM-DDTHH:MM:SS+07:00'). */
export type PeopleCell = string | number | null | undefined | Typed;

export const headerOf = (column: PeopleColumn, lang: Lang) => pick(lang, column.vi, column.en);

/** Words in both languages, Vietnamese first, for the cells of the people's files. */
export const words = (vi: string, en: string) => ({ vi, en });
export type Words = ReturnType<typeof words>;

export const yesNo = (value: boolean, lang: Lang) => (value ? pick(lang, 'Có', 'Yes') : pick(lang, 'Không', 'No'));

const ISO_DAY = /^(\d{4})-(\d\d)-(\d\d)/;
const ISO_TIME = /^(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)/;

/** 'YYYY-MM-DD' as dd/mm/yyyy; anything else as it is. */
export function personDay(iso: string): string {
  const m = ISO_DAY.exec(iso);
  return m ? `${m[3]}/${m[2]}/${m[1]}` : iso;
}

/** A local ISO timestamp as dd/mm/yyyy hh:mm:ss (Vietnam time, as stored in the export). */
export function personTime(iso: string): string {
  const m = ISO_TIME.exec(iso);
  return m ? `${m[3]}/${m[2]}/${m[1]} ${m[4]}:${m[5]}:${m[6]}` : iso;
}

/** The day (or the local wall time) as a Date whose UTC fields are those numbers: what a spreadsheet shows. */
export function wallDate(iso: string): Date | null {
  const t = ISO_TIME.exec(iso);
  if (t) return new Date(Date.UTC(+t[1]!, +t[2]! - 1, +t[3]!, +t[4]!, +t[5]!, +t[6]!));
  const d = ISO_DAY.exec(iso);
  return d ? new Date(Date.UTC(+d[1]!, +d[2]! - 1, +d[3]!)) : null;
}

const DIGITS: Record<Kind, number | null> = { text: null, int: 0, decimal: 1, percent: 1, day: null, time: null };

/** A number as people read it in the CSV: rounded to the kind's digits, without trailing zeros. */
export function roundFor(kind: Kind, value: number): number {
  const digits = DIGITS[kind] ?? 15;
  const scale = 10 ** digits;
  // Half away from zero, as people round; the epsilon keeps 88.25 (stored as 88.2499…) at 88.3.
  return (Math.sign(value) * Math.round(Math.abs(value) * scale * (1 + Number.EPSILON))) / scale;
}

const isTyped = (cell: PeopleCell): cell is Typed => typeof cell === 'object' && cell !== null;

/** One cell of the people's CSV. */
export function peopleCsvCell(cell: PeopleCell, kind: Kind, format: CsvFormat): string {
  if (cell === null || cell === undefined) return '';
  if (isTyped(cell)) return peopleCsvCell(cell.value, cell.kind, format);
  if (typeof cell === 'number') return kind === 'text' ? csvCell(cell, format) : csvCell(roundFor(kind, cell), format);
  if (kind === 'day') return csvCell(personDay(cell), format);
  if (kind === 'time') return csvCell(personTime(cell), format);
  return csvCell(cell, format);
}

export function peopleCsvHeader(columns: readonly PeopleColumn[], format: CsvFormat, lang: Lang): string {
  return columns.map((c) => csvCell(headerOf(c, lang), format)).join(format.separator) + EOL;
}

export function peopleCsvLine(columns: readonly PeopleColumn[], cells: readonly PeopleCell[], format: CsvFormat): string {
  return columns.map((c, i) => peopleCsvCell(cells[i], c.kind, format)).join(format.separator) + EOL;
}

/** Excel's number formats for each kind (percent cells hold a share, 0..1); none where General shows it right. */
export const NUMBER_FORMAT: Record<Kind, string | undefined> = {
  text: undefined,
  int: undefined,
  decimal: '#,##0.0',
  percent: '0.0%',
  day: 'dd/mm/yyyy',
  time: 'dd/mm/yyyy hh:mm:ss',
};

/** A cell's value in the workbook: numbers stay numbers, percentages become shares, days dates. */
export function xlsxValue(cell: PeopleCell, kind: Kind): string | number | Date | null {
  if (cell === null || cell === undefined) return null;
  if (isTyped(cell)) return xlsxValue(cell.value, cell.kind);
  if (typeof cell === 'number') {
    if (!Number.isFinite(cell)) return null;
    return kind === 'percent' ? cell / 100 : cell;
  }
  if (kind === 'day' || kind === 'time') return wallDate(cell) ?? cell;
  return cell.normalize('NFC');
}

/** The number format of one cell when it differs from its column's (a typed cell), else undefined. */
export function xlsxFormatOf(cell: PeopleCell, kind: Kind): string | undefined {
  return isTyped(cell) && cell.kind !== kind ? (NUMBER_FORMAT[cell.kind] ?? 'General') : undefined;
}
