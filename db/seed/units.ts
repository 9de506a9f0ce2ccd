/**
 * Units as CSV (code,name,kind,parent_code): the bundled list of Nghệ An's units of 2025
 * (units.csv) and the files administrators import and export on /admin/units. One reader for both:
 * RFC 4180 (quoted fields may hold commas, quotes and line breaks), UTF-8 with or without BOM,
 * CRLF or LF. It reports every problem with its line number rather than stopping at the first.
 */
import { readFileSync } from 'node:fs';
import { projectPath } from '../paths.ts';
import type { UnitKind } from '../schema.ts';

export interface UnitRow {
  code: string;
  name: string;
  kind: UnitKind;
  parentCode: string | null;
  /** Line of the file where the row starts (the header is line 1). */
  line: number;
}

export const UNIT_KINDS: readonly UnitKind[] = ['province', 'department', 'province_center', 'commune', 'ward', 'hospital', 'school'];
export const UNITS_CSV_HEADER = ['code', 'name', 'kind', 'parent_code'] as const;
/** Codes are ascii so they travel safely in URLs, filters and file names. */
export const UNIT_CODE_PATTERN = /^[A-Za-z0-9._-]{1,60}$/;

/** What is wrong with a file, as a code the caller words in the reader's language. */
export type UnitsCsvProblem =
  | { line: number; problem: 'encoding' }
  | { line: number; problem: 'header'; found: string }
  | { line: number; problem: 'columns'; count: number }
  | { line: number; problem: 'name.missing' }
  | { line: number; problem: 'kind.unknown'; kind: string }
  | { line: number; problem: 'code.invalid'; code: string }
  | { line: number; problem: 'code.duplicate'; code: string; firstLine: number }
  | { line: number; problem: 'parent.unknown'; code: string; parent: string }
  | { line: number; problem: 'parent.cycle'; code: string }
  | { line: number; problem: 'quote.unclosed' }
  | { line: number; problem: 'empty' }
  | { line: number; problem: 'rows.many'; max: number }
  | { line: number; problem: 'name.long'; max: number }
  | { line: number; problem: 'name.formula' }
  | { line: number; problem: 'parent.deep'; code: string; max: number };

/** More units than a province has many times over: a file past it is refused before anything is checked. */
export const UNITS_MAX_ROWS = 2000;
/** A unit's name, in characters: the longest official name is under 100. */
export const UNIT_NAME_MAX = 200;
/** Levels below the province: department or commune, then their units; six leaves room and bounds every walk up the tree. */
export const UNIT_MAX_DEPTH = 6;
/** What a spreadsheet would run as a formula at the start of a cell (and the full-width forms). */
const FORMULA_START = /^[=+\-@\uFF1D\uFF0B\uFF0D\uFF20]/;

/** Whether a unit name would start a spreadsheet formula: refused by the import and by the unit form alike. */
export const startsFormula = (name: string): boolean => FORMULA_START.test(name);
/** A value from the file as a message shows it: never the whole of a huge cell. */
const shown = (value: string) => (value.length > 60 ? `${value.slice(0, 60)}…` : value);

export class UnitsCsvError extends Error {}

/** Text of an uploaded file; null when it is not UTF-8 (Excel's "CSV" saves Windows-1258 or Latin-1). */
export function decodeUtf8(bytes: Uint8Array): string | null {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return null;
  }
}

/** RFC 4180 records, each with the line it starts on; `delimiter` ';' for what Excel saves where the decimal mark is a comma. */
export function csvRecords(text: string, delimiter: ',' | ';' = ','): { records: { line: number; fields: string[] }[]; unclosedAt: number | null } {
  const records: { line: number; fields: string[] }[] = [];
  let fields: string[] = [];
  let field = '';
  let quoted = false;
  let line = 1;
  let recordLine = 1;
  let recordHasContent = false;
  const endRecord = () => {
    fields.push(field);
    if (recordHasContent || fields.length > 1 || field !== '') records.push({ line: recordLine, fields });
    fields = [];
    field = '';
    recordHasContent = false;
  };
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else {
        if (ch === '\n') line++;
        field += ch;
      }
      continue;
    }
    if (ch === '"') {
      quoted = true;
      recordHasContent = true;
    } else if (ch === delimiter) {
      fields.push(field);
      field = '';
      recordHasContent = true;
    } else if (ch === '\r' && text[i + 1] === '\n') {
      continue;
    } else if (ch === '\n') {
      endRecord();
      line++;
      recordLine = line;
    } else field += ch;
  }
  if (quoted) return { records, unclosedAt: recordLine };
  endRecord();
  return { records, unclosedAt: null };
}

/** An ascii code for units the statistics office gives none (departments): "Sở Tư pháp" -> "so-tu-phap". */
export function slugify(name: string): string {
  return name
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/[đĐ]/g, 'd')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

/**
 * Rows of a units file, checked on their own: the header, every field, codes unique in the file.
 * Parents are checked by the caller, who also knows the units already in the database.
 */
export function parseUnitsCsv(text: string): { rows: UnitRow[]; problems: UnitsCsvProblem[] } {
  const { records, unclosedAt } = csvRecords(text.replace(/^\uFEFF/, ''));
  const problems: UnitsCsvProblem[] = [];
  if (unclosedAt !== null) problems.push({ line: unclosedAt, problem: 'quote.unclosed' });
  const [header, ...body] = records;
  const found = (header?.fields ?? []).map((f) => f.trim()).join(',');
  if (found !== UNITS_CSV_HEADER.join(',')) return { rows: [], problems: [{ line: 1, problem: 'header', found }, ...problems] };
  if (body.length === 0) problems.push({ line: 2, problem: 'empty' });
  if (body.length > UNITS_MAX_ROWS) return { rows: [], problems: [{ line: (body[UNITS_MAX_ROWS]?.line ?? UNITS_MAX_ROWS + 2), problem: 'rows.many', max: UNITS_MAX_ROWS }, ...problems] };
  const rows: UnitRow[] = [];
  const firstLineOf = new Map<string, number>();
  for (const { line, fields } of body) {
    if (fields.length !== UNITS_CSV_HEADER.length) {
      problems.push({ line, problem: 'columns', count: fields.length });
      continue;
    }
    const [rawCode = '', name = '', kind = '', parent = ''] = fields.map((f) => f.trim().normalize('NFC'));
    const code = rawCode || slugify(name);
    let ok = true;
    if (name === '') {
      problems.push({ line, problem: 'name.missing' });
      ok = false;
    } else if ([...name].length > UNIT_NAME_MAX) {
      problems.push({ line, problem: 'name.long', max: UNIT_NAME_MAX });
      ok = false;
    } else if (FORMULA_START.test(name)) {
      problems.push({ line, problem: 'name.formula' });
      ok = false;
    }
    if (!UNIT_KINDS.includes(kind as UnitKind)) {
      problems.push({ line, problem: 'kind.unknown', kind: shown(kind) });
      ok = false;
    }
    if (name !== '' && !UNIT_CODE_PATTERN.test(code)) {
      problems.push({ line, problem: 'code.invalid', code: shown(code) });
      ok = false;
    }
    const first = firstLineOf.get(code);
    if (first !== undefined) {
      problems.push({ line, problem: 'code.duplicate', code, firstLine: first });
      ok = false;
    } else if (code !== '') firstLineOf.set(code, line);
    if (ok) rows.push({ code, name, kind: kind as UnitKind, parentCode: parent || null, line });
  }
  return { rows, problems };
}

/**
 * Parents of the rows, against the units already known: each must exist (in the file or in the
 * database), and no unit may end up below itself.
 */
export function checkParents(rows: UnitRow[], existing: { code: string; parentCode: string | null }[]): UnitsCsvProblem[] {
  const parentOf = new Map(existing.map((u) => [u.code, u.parentCode]));
  for (const r of rows) parentOf.set(r.code, r.parentCode);
  const problems: UnitsCsvProblem[] = [];
  for (const r of rows) {
    if (r.parentCode === null) continue;
    if (!parentOf.has(r.parentCode)) {
      problems.push({ line: r.line, problem: 'parent.unknown', code: r.code, parent: r.parentCode });
      continue;
    }
    // At most UNIT_MAX_DEPTH steps up: the walk is bounded, however the file chains its units.
    const seen = new Set<string>([r.code]);
    for (let p: string | null | undefined = r.parentCode; p; p = parentOf.get(p)) {
      if (seen.has(p)) {
        problems.push({ line: r.line, problem: 'parent.cycle', code: r.code });
        break;
      }
      if (seen.size > UNIT_MAX_DEPTH) {
        problems.push({ line: r.line, problem: 'parent.deep', code: r.code, max: UNIT_MAX_DEPTH });
        break;
      }
      seen.add(p);
    }
  }
  return problems;
}

/** A problem in words, for the command line and the seed (the admin pages word it in vi and en). */
export function describeUnitsProblem(p: UnitsCsvProblem): string {
  switch (p.problem) {
    case 'encoding': return 'the file is not UTF-8; save it as "CSV UTF-8" in Excel or LibreOffice';
    case 'header': return `the header must be "${UNITS_CSV_HEADER.join(',')}", found "${p.found}"`;
    case 'columns': return `expected ${UNITS_CSV_HEADER.length} columns, found ${p.count}`;
    case 'name.missing': return 'the unit has no name; fill in the second column';
    case 'kind.unknown': return `kind "${p.kind}" is unknown; use one of ${UNIT_KINDS.join(', ')}`;
    case 'code.invalid': return `code "${p.code}" may hold only letters, digits, . _ - (at most 60)`;
    case 'code.duplicate': return `code "${p.code}" appears again (first on line ${p.firstLine})`;
    case 'parent.unknown': return `parent "${p.parent}" of ${p.code} is neither in the file nor among the units`;
    case 'parent.cycle': return `${p.code} would be below itself`;
    case 'quote.unclosed': return 'a quote opened here is never closed';
    case 'empty': return 'the file has a header but no units';
    case 'rows.many': return `the file has more than ${p.max} units; split it`;
    case 'name.long': return `the unit name is longer than ${p.max} characters`;
    case 'name.formula': return 'a unit name may not start with = + - @ (a spreadsheet formula)';
    case 'parent.deep': return `${p.code} would be more than ${p.max} levels below the province`;
  }
}

export function loadBundledUnits(): UnitRow[] {
  const file = projectPath('db', 'seed', 'units.csv');
  const { rows, problems } = parseUnitsCsv(readFileSync(file, 'utf8'));
  const all = [...problems, ...checkParents(rows, [])];
  if (all.length > 0) throw new UnitsCsvError(all.map((p) => `${file}:${p.line}: ${describeUnitsProblem(p)}`).join('\n'));
  return rows;
}
