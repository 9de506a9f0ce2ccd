/**
 * GET /export/questions.csv and `sipas export questions`: the dashboard's answer tables, one row
 * per rating question (counts of 1-5, "no opinion", n, rate and interval) and one per option of a
 * choice question (respondents, times chosen, share). The API's /api/v1/questions in a file.
 */
import type { Kysely } from 'kysely';
import { optionTotals } from '../../db/queries/analytics.ts';
import { readSnapshot } from '../../db/snapshot.ts';
import type { Database } from '../../db/schema.ts';
import { type Lang, pick } from '../i18n/index.ts';
import { choiceStats, questionStats } from '../figures/dashboard.ts';
import { readRows } from '../figures/groups.ts';
import type { ReportRequest } from '../figures/request.ts';
import { BOM, type CsvFormat, csvLine, type CsvValue, STANDARD_CSV } from './csv.ts';
import { type PeopleCell, type PeopleColumn, peopleCsvHeader, peopleCsvLine, words } from './people.ts';
import { openXlsx } from './xlsx.ts';
import type { CsvSink } from './sink.ts';

export const QUESTION_COLUMNS = [
  'period_from', 'period_to', 'questionnaire_code', 'questionnaire_version', 'question_key', 'element', 'question_text',
  'option_key', 'option_text', 'n1', 'n2', 'n3', 'n4', 'n5', 'no_opinion', 'n', 'rate', 'ci_low', 'ci_high', 'chosen', 'share',
] as const;

const percent = (share: number | null | undefined) => (share === null || share === undefined ? null : share * 100);

/** The columns of the people's files (format=vn CSV, .xlsx): the option's words without its key. */
export const QUESTION_PEOPLE_COLUMNS: PeopleColumn[] = [
  { ...words('Từ ngày', 'From'), kind: 'day', width: 11 },
  { ...words('Đến ngày', 'To'), kind: 'day', width: 11 },
  { ...words('Mẫu phiếu', 'Questionnaire'), kind: 'text', width: 16 },
  { ...words('Phiên bản', 'Version'), kind: 'int' },
  { ...words('Câu', 'Question'), kind: 'text', width: 12 },
  { ...words('Yếu tố', 'Element'), kind: 'text' },
  { ...words('Nội dung câu hỏi', 'Question text'), kind: 'text', width: 50 },
  { ...words('Phương án', 'Option'), kind: 'text', width: 30 },
  { ...words('Rất không hài lòng (1)', 'Very dissatisfied (1)'), kind: 'int' },
  { ...words('Không hài lòng (2)', 'Dissatisfied (2)'), kind: 'int' },
  { ...words('Bình thường (3)', 'Neutral (3)'), kind: 'int' },
  { ...words('Hài lòng (4)', 'Satisfied (4)'), kind: 'int' },
  { ...words('Rất hài lòng (5)', 'Very satisfied (5)'), kind: 'int' },
  { ...words('Không ý kiến', 'No opinion'), kind: 'int' },
  { ...words('Số trả lời', 'Answers'), kind: 'int' },
  { ...words('Tỷ lệ hài lòng (%)', 'Satisfied (%)'), kind: 'percent' },
  { ...words('Khoảng tin cậy 95%: từ (%)', '95% interval: from (%)'), kind: 'percent' },
  { ...words('Khoảng tin cậy 95%: đến (%)', '95% interval: to (%)'), kind: 'percent' },
  { ...words('Số người chọn', 'Times chosen'), kind: 'int' },
  { ...words('Tỷ lệ chọn (%)', 'Chosen by (%)'), kind: 'percent' },
];

/** The standard rows (QUESTION_COLUMNS); the people's drop the option key (column 8). */
async function questionRows(db: Kysely<Database>, request: ReportRequest, lang: Lang): Promise<CsvValue[][]> {
  const { ctx, filter } = request;
  const [rows, options] = await readSnapshot(db, (snapshot) => Promise.all([readRows(snapshot, filter, 'none'), optionTotals(snapshot, filter)]));
  const lines: CsvValue[][] = [];
  for (const group of questionStats(rows, ctx)) {
    for (const q of group.questions) {
      const c = q.counts;
      lines.push([
        filter.from, filter.to, q.meta.questionnaireCode, q.meta.questionnaireVersion, q.meta.key, q.meta.element, pick(lang, q.meta.textVi, q.meta.textEn),
        null, null, c.n1, c.n2, c.n3, c.n4, c.n5, c.n0, q.rate.n, percent(q.rate.value), percent(q.rate.ci?.low), percent(q.rate.ci?.high), null, null,
      ]);
    }
  }
  for (const choice of choiceStats(rows, options, ctx)) {
    const m = choice.meta;
    for (const o of choice.options) {
      lines.push([
        filter.from, filter.to, m.questionnaireCode, m.questionnaireVersion, m.key, m.element, pick(lang, m.textVi, m.textEn),
        o.key, pick(lang, o.vi, o.en), null, null, null, null, null, null, choice.respondents, null, null, null, o.count, percent(o.share),
      ]);
    }
  }
  return lines;
}

const OPTION_KEY = QUESTION_COLUMNS.indexOf('option_key');
const forPeople = (row: CsvValue[]): PeopleCell[] => row.filter((_, i) => i !== OPTION_KEY);

export async function writeQuestionsCsv(
  db: Kysely<Database>,
  request: ReportRequest,
  out: CsvSink,
  opts: { format: CsvFormat; lang: Lang },
): Promise<{ rows: number }> {
  const lines = await questionRows(db, request, opts.lang);
  if (opts.format === STANDARD_CSV) {
    await out.write(BOM + csvLine(QUESTION_COLUMNS, opts.format) + lines.map((l) => csvLine(l, opts.format)).join(''));
  } else {
    const columns = QUESTION_PEOPLE_COLUMNS;
    await out.write(BOM + peopleCsvHeader(columns, opts.format, opts.lang) + lines.map((l) => peopleCsvLine(columns, forPeople(l), opts.format)).join(''));
  }
  return { rows: lines.length };
}

export async function writeQuestionsXlsx(db: Kysely<Database>, request: ReportRequest, out: CsvSink, opts: { lang: Lang }): Promise<{ rows: number }> {
  const lines = await questionRows(db, request, opts.lang);
  const book = await openXlsx(out);
  const sheet = book.sheet(pick(opts.lang, 'Câu hỏi', 'Questions'), QUESTION_PEOPLE_COLUMNS, opts.lang);
  for (const line of lines) sheet.add(forPeople(line));
  sheet.commit();
  await book.finish();
  return { rows: lines.length };
}
