/** Nghệ An's units from units.csv (code,name,kind,parent_code), the official list of 2025. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { UnitKind } from '../schema.ts';

export interface UnitRow {
  code: string;
  name: string;
  kind: UnitKind;
  parentCode: string | null;
}

const KINDS: readonly UnitKind[] = ['province', 'department', 'province_center', 'commune', 'ward', 'hospital', 'school'];

export class UnitsCsvError extends Error {}

/** RFC 4180 fields of one line: quotes around a field, doubled quotes inside it. */
export function splitCsvLine(line: string): string[] {
  const out: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      out.push(field);
      field = '';
    } else field += ch;
  }
  out.push(field);
  return out;
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

export function parseUnitsCsv(text: string, file: string): UnitRow[] {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const header = lines[0]?.trim();
  if (header !== 'code,name,kind,parent_code') {
    throw new UnitsCsvError(`${file}:1: the header must be "code,name,kind,parent_code", found "${header ?? ''}".`);
  }
  const rows: UnitRow[] = [];
  lines.slice(1).forEach((line, index) => {
    if (line.trim() === '') return;
    const lineNo = index + 2;
    const [code = '', name = '', kind = '', parent = ''] = splitCsvLine(line).map((s) => s.trim().normalize('NFC'));
    if (name === '') throw new UnitsCsvError(`${file}:${lineNo}: the unit has no name; fill in the second column.`);
    if (!KINDS.includes(kind as UnitKind)) {
      throw new UnitsCsvError(`${file}:${lineNo}: kind "${kind}" is unknown; use one of ${KINDS.join(', ')}.`);
    }
    rows.push({ code: code || slugify(name), name, kind: kind as UnitKind, parentCode: parent || null });
  });
  return rows;
}

export function loadBundledUnits(): UnitRow[] {
  const file = join(import.meta.dirname, 'units.csv');
  return parseUnitsCsv(readFileSync(file, 'utf8'), file);
}
