/**
 * CSV that Excel and LibreOffice open correctly with their default import settings: UTF-8 with a
 * byte order mark (without it Excel reads Vietnamese as Windows-1252), CRLF line ends, RFC 4180
 * quoting, text in NFC (citizens' phones send both precomposed and combining Vietnamese), and every
 * text cell that a spreadsheet would run as a formula neutralised with a leading apostrophe (OWASP's
 * CSV injection advice). Numbers are written as numbers, so a negative number stays a number.
 */

export interface CsvFormat {
  separator: ',' | ';';
  decimal: '.' | ',';
}

/** The default: `,` between cells, `.` before decimals (any locale of LibreOffice, English Excel). */
export const STANDARD_CSV: CsvFormat = { separator: ',', decimal: '.' };
/** `format=vn`: Excel set to Vietnamese reads `;` between cells and `,` before decimals. */
export const VIETNAMESE_CSV: CsvFormat = { separator: ';', decimal: ',' };

export const BOM = '\uFEFF';
export const EOL = '\r\n';

export type CsvValue = string | number | null | undefined;

/** A cell that is a plain number as text, e.g. a comment that reads "-5" or "12,5": a spreadsheet shows it as a number, never runs it. */
const PLAIN_NUMBER = /^-?\d+(?:[.,]\d+)?$/;
/**
 * What a spreadsheet takes for the start of a formula (tab and CR: Excel strips them and reads on),
 * and their full-width forms (＝ ＋ － ＠), which a spreadsheet with an East Asian input method reads as the same.
 */
const FORMULA_START = /^[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20]/;

function numberCell(value: number, format: CsvFormat): string {
  if (!Number.isFinite(value)) return '';
  const text = String(value);
  return format.decimal === ',' ? text.replace('.', ',') : text;
}

/** Text that NFC leaves as it is: printable ASCII, the bulk of an export (codes, ids, days, option keys). */
const ASCII = /^[ -~\t\n\r]*$/;
const NEEDS_QUOTES: Record<CsvFormat['separator'], RegExp> = { ',': /[",\n\r]/, ';': /[";\n\r]/ };

function textCell(value: string, format: CsvFormat): string {
  let text = ASCII.test(value) ? value : value.normalize('NFC');
  if (FORMULA_START.test(text) && !PLAIN_NUMBER.test(text)) text = `'${text}`;
  return NEEDS_QUOTES[format.separator].test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function csvCell(value: CsvValue, format: CsvFormat): string {
  if (value === null || value === undefined) return '';
  return typeof value === 'number' ? numberCell(value, format) : textCell(value, format);
}

/** One record, with its line end. */
export function csvLine(values: readonly CsvValue[], format: CsvFormat): string {
  return values.map((v) => csvCell(v, format)).join(format.separator) + EOL;
}

export function csvFormat(value: unknown): CsvFormat {
  return value === 'vn' ? VIETNAMESE_CSV : STANDARD_CSV;
}
