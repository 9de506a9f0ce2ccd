/**
 * GET /export/responses.csv and `sipas export responses`: one row per response in the report's
 * scope, with one column per question key. Read from one snapshot and written as it is read, in
 * chunks that wait for the reader: memory stays the same for a thousand rows or a million, and a
 * reader that goes away ends the query. Columns are described (vi, en) in the README.
 */
import type { Kysely } from 'kysely';
import { localTimestamp } from '../../analytics/time.ts';
import { countResponses, type ExportQuestion, type ExportRow, exportQuestions, streamResponses } from '../../db/queries/export.ts';
import { readSnapshot } from '../../db/snapshot.ts';
import type { Database } from '../../db/schema.ts';
import { type Lang, pick } from '../i18n/index.ts';
import type { ReportRequest } from '../reports/request.ts';
import { BOM, type CsvFormat, csvLine, type CsvValue } from './csv.ts';
import type { CsvSink } from './sink.ts';

export const RESPONSE_COLUMNS = [
  'public_id', 'submitted_at', 'local_day', 'unit_code', 'unit_name', 'desk_code', 'desk_name', 'field_code', 'field_name',
  'questionnaire_code', 'questionnaire_version', 'channel', 'status',
] as const;
/** After the question columns: 1 when a comment of the row was hidden by a manager (only moderators get those). */
export const HIDDEN_COLUMN = 'comment_hidden';

/** Rows read from the database at a time, and how much CSV is gathered before it is written. */
const CHUNK_ROWS = 500;
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

interface PendingResponse {
  row: ExportRow;
  comments: { questionId: number; text: string; hidden: boolean }[];
}

/** The cells of one question of a response: 1-5, 0 for "no opinion", option keys joined with ';', or the comment. */
function answerCells(pending: PendingResponse, questions: Map<string, ExportQuestion>, keys: string[]): CsvValue[] {
  const ratings = new Map<number, number>();
  const chosen = new Map<number, Set<string>>();
  for (const part of pending.row.answers?.split(',') ?? []) {
    const [questionId = '', value = '', option = ''] = part.split('=');
    const id = Number(questionId);
    if (option !== '') chosen.set(id, (chosen.get(id) ?? new Set()).add(option));
    else ratings.set(id, value === '' ? 0 : Number(value));
  }
  return keys.map((key) => {
    const q = questions.get(key);
    if (!q) return null;
    if (q.type === 'text') return pending.comments.filter((c) => c.questionId === q.id).map((c) => c.text).join('\n') || null;
    if (q.type === 'rating5') return ratings.get(q.id) ?? null;
    const options = chosen.get(q.id);
    return options ? q.options.filter((o) => options.has(o)).join(';') : null;
  });
}

function responseLine(pending: PendingResponse, questions: Map<string, ExportQuestion>, keys: string[], format: CsvFormat, lang: Lang): string {
  const r = pending.row;
  const hidden = pending.comments.length === 0 ? null : pending.comments.some((c) => c.hidden) ? 1 : 0;
  return csvLine(
    [
      r.publicId, localTimestamp(new Date(r.submittedAt)), r.localDay, r.unitCode, r.unitName, r.deskCode, r.deskName,
      r.fieldCode, pick(lang, r.fieldNameVi, r.fieldNameEn), r.questionnaireCode, r.questionnaireVersion, r.channel, r.status,
      ...answerCells(pending, questions, keys),
      hidden,
    ],
    format,
  );
}

export interface ExportResult {
  /** Rows written. */
  rows: number;
  /** Responses in scope, counted inside the same snapshot. */
  total: number;
  /** False when the reader left before the end. */
  complete: boolean;
}

export async function writeResponsesCsv(
  db: Kysely<Database>,
  request: ReportRequest,
  out: CsvSink,
  opts: { format: CsvFormat; lang: Lang; onProgress?: (done: number, total: number) => void },
): Promise<ExportResult> {
  return readSnapshot(db, async (snapshot) => {
    const questions = await exportQuestions(snapshot, request.filter);
    const total = await countResponses(snapshot, request.filter);
    const keys = questionColumns(questions);
    // Each questionnaire version's questions by key: a key may mean different things in two versions.
    const byQuestionnaire = new Map<number, Map<string, ExportQuestion>>();
    for (const q of questions) byQuestionnaire.set(q.questionnaireId, (byQuestionnaire.get(q.questionnaireId) ?? new Map<string, ExportQuestion>()).set(q.key, q));

    // The header goes out at once: the download starts while the rows are still being read.
    await out.write(BOM + csvLine([...RESPONSE_COLUMNS, ...keys, HIDDEN_COLUMN], opts.format));
    let text = '';
    let rows = 0;
    const emit = (pending: PendingResponse) => {
      text += responseLine(pending, byQuestionnaire.get(pending.row.questionnaireId) ?? new Map<string, ExportQuestion>(), keys, opts.format, opts.lang);
      rows++;
    };
    let pending: PendingResponse | null = null;
    for await (const row of streamResponses(snapshot, request.filter, { includeHiddenComments: request.includeHiddenComments, chunk: CHUNK_ROWS })) {
      if (pending && pending.row.id !== row.id) {
        emit(pending);
        pending = null;
        if (text.length >= WRITE_CHARS) {
          await out.write(text);
          text = '';
          opts.onProgress?.(rows, total);
          // Let other requests in: better-sqlite3 reads synchronously, and a fast reader never makes us wait.
          await new Promise((resolve) => setImmediate(resolve));
          if (out.gone) break;
        }
      }
      pending ??= { row, comments: [] };
      if (row.commentQuestionId !== null && row.commentText !== null) {
        pending.comments.push({ questionId: row.commentQuestionId, text: row.commentText, hidden: row.commentHidden === 1 });
      }
    }
    if (out.gone) return { rows, total, complete: false };
    if (pending) emit(pending);
    await out.write(text);
    opts.onProgress?.(rows, total);
    return { rows, total, complete: !out.gone };
  });
}
