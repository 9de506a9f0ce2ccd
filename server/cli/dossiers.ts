/**
 * `sipas dossiers import FILE [--check]`: a file of dossier counts from the one-stop software,
 * through the same reader and the same command as the upload page (server/dossiers/), as the
 * operator of the server (every unit). Problems are printed in both languages with their line,
 * and nothing is written unless every row is right. The file is streamed from disk twice (check,
 * then write in one transaction) and never held whole: a year of a province is about a million
 * rows.
 */
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { type CountsProblem, countsOfFile, DOSSIER_FILE_MAX_BYTES } from '../dossiers/counts-file.ts';
import { CountsBatchChanged, importDossierCounts } from '../dossiers/import-counts.ts';
import { translator } from '../i18n/index.ts';
import { describeCountsProblem, summaryText } from '../presenters/admin/dossiers.ts';
import { formatDay } from '../presenters/format.ts';
import { type Progress, progress } from './output.ts';

export const DOSSIERS_USAGE = 'usage: dossiers import FILE.csv [--check] (columns: docs/dossiers.md)';

export class DossierFileError extends Error {}

const vi = translator('vi');
const en = translator('en');

/** Problems printed; the rest are counted. */
const PROBLEMS_PRINTED = 100;

const both = (p: CountsProblem) => `${describeCountsProblem(p, vi, 'vi')} / ${describeCountsProblem(p, en, 'en')}`;

export async function importDossierFile(db: Kysely<Database>, file: string, checkOnly: boolean): Promise<void> {
  const path = resolve(file);
  let size: number;
  try {
    size = statSync(path).size;
  } catch {
    throw new DossierFileError(`${path}: không có tệp này / no such file`);
  }
  if (size > DOSSIER_FILE_MAX_BYTES) throw new DossierFileError(`${path}: ${both({ line: 1, code: 'too-large', limit: DOSSIER_FILE_MAX_BYTES })}`);

  // One status line: the bytes checked, then the rows written; one summary line at the end.
  const checking = progress('Kiểm tra / checking (bytes)', size, process.stderr, process.stderr);
  let writing: Progress | null = null;
  let outcome;
  try {
    outcome = await importDossierCounts(db, { kind: 'operator' }, countsOfFile(path, (n) => checking.tick(n)), { via: 'cli', fileName: file }, new Date().toISOString(), {
      checkOnly,
      onProgress: (n, total) => (writing ??= progress('Ghi / writing', total, process.stderr, process.stderr)).tick(n),
    });
  } catch (error) {
    if (error instanceof CountsBatchChanged) {
      throw new DossierFileError(`${path}: tệp đã thay đổi trong lúc nhập, không dòng nào được ghi; hãy nhập lại / the file changed during the import, nothing was written; import it again`);
    }
    throw error;
  }
  if (outcome.ok) {
    const s = outcome.summary;
    checking.finish(
      outcome.written
        ? `Đã nhập / imported ${s.rows} rows, ${s.desks} desks, ${formatDay(s.from)}–${formatDay(s.to)}; thay / replaced ${s.replaced}`
        : `Tệp hợp lệ, chưa ghi / valid, nothing written: ${summaryText(s, en, 'en')}${s.replaced > 0 ? ` Would replace ${s.replaced} rows (every field and channel of these days and desks).` : ''}`,
    );
    return;
  }
  if (process.stderr.isTTY) process.stderr.write('\r\x1b[2K');
  const problems = outcome.status === 422 ? [...outcome.problems].sort((a, b) => a.line - b.line) : [];
  const total = problems.length + (outcome.status === 422 ? (outcome.more ?? 0) : 0);
  for (const p of problems.slice(0, PROBLEMS_PRINTED)) console.error(`${path}:${p.line}: ${both(p)}`);
  if (total > PROBLEMS_PRINTED) console.error(`… ${total - PROBLEMS_PRINTED} lỗi khác / more problems`);
  if (problems.length === 1 && problems[0]?.code === 'no-rows') {
    throw new DossierFileError(`${path}: tệp không có dòng số liệu nào, không dòng nào được nhập / the file has no rows, nothing imported`);
  }
  throw new DossierFileError(`${path}: ${total} lỗi, không dòng nào được nhập / ${total} problems, nothing imported`);
}
