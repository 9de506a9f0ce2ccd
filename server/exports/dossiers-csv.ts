/**
 * Why: the dossier counts a report stands on must be checkable and correctable outside the system
 * (issue 20): GET /export/dossiers.csv and `sipas export dossiers` give the stored rows of the report's
 * days and scope, one per day, unit, desk, field and channel, under exactly the English headers the
 * import takes (server/dossiers/counts-file.ts), days ISO, so a downloaded file can be imported again
 * unchanged. A year of a province is about a million rows: read from one snapshot and written as it
 * is read, in chunks that wait for the reader, like the responses export.
 */
import type { Kysely } from 'kysely';
import { dossierCountsExportQuery } from '../../db/queries/dossier-counts.ts';
import { readSnapshot } from '../../db/snapshot.ts';
import type { Database } from '../../db/schema.ts';
import { dossierFilterOf } from '../figures/dossiers.ts';
import type { ReportRequest } from '../figures/request.ts';
import { type Lang, pick } from '../i18n/index.ts';
import { BOM, csvCell, type CsvFormat, csvLine, EOL } from './csv.ts';
import { type PeopleCell, type PeopleColumn, words, type Words } from './people.ts';
import { openXlsx } from './xlsx.ts';
import type { CsvSink } from './sink.ts';

/** The import's own column names (counts-file.ts COLUMNS), in its order. */
export const DOSSIER_COLUMNS = ['day', 'unit', 'desk', 'field', 'channel', 'received', 'resolved', 'on_time', 'late', 'apologised', 'backlog', 'complaints'] as const;

/** Rows read from the database at a time, and how much CSV is gathered before it is written. */
const CHUNK_ROWS = 1000;
const WRITE_CHARS = 64 * 1024;
/** Cells of codes and days repeat on every row: each distinct text is encoded once, up to this many. */
const CELLS_KEPT = 20_000;

export interface DossierExportResult {
  rows: number;
  /** False when the reader left before the end. */
  complete: boolean;
}

/**
 * The workbook's columns: the import's own Vietnamese headers (its sample file's), or English ones it
 * also takes; days dd/mm/yyyy and channels in words, which the import reads too.
 */
export const DOSSIER_PEOPLE_COLUMNS: PeopleColumn[] = [
  { ...words('Ngày', 'Day'), kind: 'day', width: 11 },
  { ...words('Mã đơn vị', 'Unit code'), kind: 'text', width: 10 },
  { ...words('Mã quầy', 'Desk code'), kind: 'text', width: 14 },
  { ...words('Mã lĩnh vực', 'Field code'), kind: 'text', width: 24 },
  { ...words('Kênh', 'Channel'), kind: 'text', width: 12 },
  { ...words('Tiếp nhận', 'Received'), kind: 'int' },
  { ...words('Đã giải quyết', 'Resolved'), kind: 'int' },
  { ...words('Đúng hạn', 'On time'), kind: 'int' },
  { ...words('Quá hạn', 'Late'), kind: 'int' },
  { ...words('Đã xin lỗi', 'Apologised'), kind: 'int' },
  { ...words('Tồn quá hạn', 'Backlog'), kind: 'int' },
  { ...words('Phản ánh kiến nghị', 'Complaints'), kind: 'int' },
];

const CHANNEL_WORDS: Record<string, Words> = {
  in_person: words('Trực tiếp', 'In person'),
  online: words('Trực tuyến', 'Online'),
  post: words('Bưu chính', 'Post'),
};

function channelWords(channel: string, lang: Lang): string {
  const w = CHANNEL_WORDS[channel];
  return w ? pick(lang, w.vi, w.en) : channel;
}

/** A stored row as the people's files show it: the channel in words, the counts as numbers (the day's kind shows it dd/mm/yyyy). */
function peopleRow(row: unknown[], lang: Lang): PeopleCell[] {
  return row.map((v, i) => (i === 4 ? channelWords(String(v), lang) : i < 5 ? String(v) : Number(v)));
}

/**
 * The CSV, standard or format=vn (only `;` and decimal commas: its English import columns, ISO days and
 * channel codes stay, as test/dossier-surfaces.test.ts and the scripts that re-import it read them).
 */
export async function writeDossiersCsv(
  db: Kysely<Database>,
  request: ReportRequest,
  out: CsvSink,
  opts: { format: CsvFormat; onProgress?: (done: number) => void },
): Promise<DossierExportResult> {
  return readSnapshot(db, async (snapshot, stream) => {
    await out.write(BOM + csvLine(DOSSIER_COLUMNS, opts.format));
    const cells = new Map<string, string>();
    const cell = (value: unknown): string => {
      if (typeof value === 'number' || typeof value === 'bigint') return String(value);
      const text = String(value);
      let encoded = cells.get(text);
      if (encoded === undefined) {
        encoded = csvCell(text, opts.format);
        if (cells.size >= CELLS_KEPT) cells.clear();
        cells.set(text, encoded);
      }
      return encoded;
    };
    const sep = opts.format.separator;
    let text = '';
    let written = 0;
    for await (const batch of stream(dossierCountsExportQuery(snapshot, dossierFilterOf(request.filter)), CHUNK_ROWS)) {
      for (const row of batch) {
        // Codes and the day as text; the counts are whole numbers (PostgreSQL may hand them over as text).
        text += row.map((v, i) => (i < 5 ? cell(v) : String(Number(v)))).join(sep) + EOL;
        written++;
      }
      if (text.length >= WRITE_CHARS) {
        await out.write(text);
        text = '';
        opts.onProgress?.(written);
        // Let other requests in: better-sqlite3 reads synchronously.
        await new Promise((resolve) => setImmediate(resolve));
        if (out.gone) return { rows: written, complete: false };
      }
    }
    await out.write(text);
    opts.onProgress?.(written);
    return { rows: written, complete: !out.gone };
  });
}

/** The same rows in a workbook: days as dates, counts as numbers, streamed like the CSV. */
export async function writeDossiersXlsx(
  db: Kysely<Database>,
  request: ReportRequest,
  out: CsvSink,
  opts: { lang: Lang; onProgress?: (done: number) => void },
): Promise<DossierExportResult> {
  return readSnapshot(db, async (snapshot, stream) => {
    const book = await openXlsx(out);
    const sheet = book.sheet(pick(opts.lang, 'Số liệu hồ sơ', 'Dossier counts'), DOSSIER_PEOPLE_COLUMNS, opts.lang);
    let written = 0;
    for await (const batch of stream(dossierCountsExportQuery(snapshot, dossierFilterOf(request.filter)), CHUNK_ROWS)) {
      for (const row of batch) sheet.add(peopleRow(row, opts.lang));
      written += batch.length;
      opts.onProgress?.(written);
      if (!(await sheet.flow())) return { rows: written, complete: false };
    }
    sheet.commit();
    await book.finish();
    return { rows: written, complete: !out.gone };
  });
}
