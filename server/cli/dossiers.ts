/**
 * `sipas dossiers import FILE [--check]`: a file of dossier counts from the one-stop software,
 * through the same reader and the same command as the upload page (server/dossiers/), as the
 * operator of the server (every unit). Problems are printed in both languages with their line,
 * and nothing is written unless every row is right.
 */
import { readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { DOSSIER_FILE_MAX_BYTES, readCountsFile } from '../dossiers/counts-file.ts';
import { importDossierCounts } from '../dossiers/import-counts.ts';
import { translator } from '../i18n/index.ts';
import { describeCountsProblem, summaryText } from '../presenters/admin/dossiers.ts';
import { formatDay } from '../presenters/format.ts';
import { progress } from './output.ts';

export const DOSSIERS_USAGE = 'usage: dossiers import FILE.csv [--check] (columns: docs/dossiers.md)';

export class DossierFileError extends Error {}

const vi = translator('vi');
const en = translator('en');

export async function importDossierFile(db: Kysely<Database>, file: string, checkOnly: boolean): Promise<void> {
  const path = resolve(file);
  let size: number;
  try {
    size = statSync(path).size;
  } catch {
    throw new DossierFileError(`${path}: không có tệp này / no such file`);
  }
  if (size > DOSSIER_FILE_MAX_BYTES) {
    const p = { line: 1, code: 'too-large', limit: DOSSIER_FILE_MAX_BYTES } as const;
    throw new DossierFileError(`${path}: ${describeCountsProblem(p, vi, 'vi')} / ${describeCountsProblem(p, en, 'en')}`);
  }
  const read = readCountsFile(readFileSync(path));
  let problems = read.problems;
  // A file that does not read as counts (encoding, header) has no rows to check further.
  if (read.lines.length > 0) {
    const bar = progress('Ghi / writing', read.lines.length, process.stderr, process.stderr);
    const outcome = await importDossierCounts(db, { kind: 'operator' }, read.lines, { via: 'cli', fileName: file }, new Date().toISOString(), {
      checkOnly,
      onProgress: (n) => bar.tick(n),
      found: read.problems,
    });
    if (outcome.ok) {
      const s = outcome.summary;
      const done = outcome.written
        ? `Đã nhập / imported ${s.rows} rows, ${s.desks} desks, ${formatDay(s.from)}–${formatDay(s.to)}; thay / replaced ${s.replaced}`
        : `Tệp hợp lệ, chưa ghi / valid, nothing written: ${summaryText(s, en, 'en')}${s.replaced > 0 ? ` Would replace ${s.replaced} rows.` : ''}`;
      bar.finish(done);
      return;
    }
    problems = outcome.status === 422 ? outcome.problems : [];
  }
  const sorted = [...problems].sort((a, b) => a.line - b.line);
  for (const p of sorted.slice(0, 100)) console.error(`${path}:${p.line}: ${describeCountsProblem(p, vi, 'vi')} / ${describeCountsProblem(p, en, 'en')}`);
  if (sorted.length > 100) console.error(`… ${sorted.length - 100} lỗi khác / more problems`);
  throw new DossierFileError(`${path}: ${sorted.length} lỗi, không dòng nào được nhập / ${sorted.length} problems, nothing imported`);
}
