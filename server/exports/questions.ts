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
import { BOM, type CsvFormat, csvLine, type CsvValue } from './csv.ts';
import type { CsvSink } from './sink.ts';

export const QUESTION_COLUMNS = [
  'period_from', 'period_to', 'questionnaire_code', 'questionnaire_version', 'question_key', 'element', 'question_text',
  'option_key', 'option_text', 'n1', 'n2', 'n3', 'n4', 'n5', 'no_opinion', 'n', 'rate', 'ci_low', 'ci_high', 'chosen', 'share',
] as const;

const percent = (share: number | null | undefined) => (share === null || share === undefined ? null : share * 100);

export async function writeQuestionsCsv(
  db: Kysely<Database>,
  request: ReportRequest,
  out: CsvSink,
  opts: { format: CsvFormat; lang: Lang },
): Promise<{ rows: number }> {
  const { ctx, filter } = request;
  const [rows, options] = await readSnapshot(db, (snapshot) => Promise.all([readRows(snapshot, filter, 'none'), optionTotals(snapshot, filter)]));
  const lines: CsvValue[][] = [];
  for (const group of questionStats(rows, ctx)) {
    for (const q of group.questions) {
      const c = q.counts;
      lines.push([
        filter.from, filter.to, q.meta.questionnaireCode, q.meta.questionnaireVersion, q.meta.key, q.meta.element, pick(opts.lang, q.meta.textVi, q.meta.textEn),
        null, null, c.n1, c.n2, c.n3, c.n4, c.n5, c.n0, q.rate.n, percent(q.rate.value), percent(q.rate.ci?.low), percent(q.rate.ci?.high), null, null,
      ]);
    }
  }
  for (const choice of choiceStats(rows, options, ctx)) {
    const m = choice.meta;
    for (const o of choice.options) {
      lines.push([
        filter.from, filter.to, m.questionnaireCode, m.questionnaireVersion, m.key, m.element, pick(opts.lang, m.textVi, m.textEn),
        o.key, pick(opts.lang, o.vi, o.en), null, null, null, null, null, null, choice.respondents, null, null, null, o.count, percent(o.share),
      ]);
    }
  }
  await out.write(BOM + csvLine(QUESTION_COLUMNS, opts.format) + lines.map((l) => csvLine(l, opts.format)).join(''));
  return { rows: lines.length };
}
