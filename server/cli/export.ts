/**
 * `sipas export responses|indicators|questions|dossiers [filters] [--format vn|xlsx] [--out FILE]`: the same CSV
 * files and workbooks as the dashboard's downloads, for scheduled jobs and for exports too large for a browser. The filters are the
 * dashboard's; whoever runs the command on the server sees every unit and every comment. `dossiers`
 * writes the imported dossier counts in the import's own columns (`sipas dossiers import` reads it back).
 */
import { createWriteStream } from 'node:fs';
import { resolve } from 'node:path';
import type { ParseArgsConfig } from 'node:util';
import { localDay } from '../../analytics/time.ts';
import type { Ready } from '../start/bootstrap.ts';
import type { Config } from '../start/config.ts';
import { csvFormat } from '../exports/csv.ts';
import { writeDossiersCsv, writeDossiersXlsx } from '../exports/dossiers-csv.ts';
import { writeIndicatorsCsv, writeIndicatorsXlsx } from '../exports/indicators-csv.ts';
import { writeQuestionsCsv, writeQuestionsXlsx } from '../exports/questions.ts';
import { writeResponsesCsv, writeResponsesXlsx } from '../exports/responses.ts';
import { writableSink } from '../exports/sink.ts';
import { langFrom, translator } from '../i18n/index.ts';
import { EXPORT_GROUPS, type ExportGroup } from '../figures/groups.ts';
import { resolveReportRequest } from '../figures/request.ts';
import type { OptionValues } from './commands.ts';
import { type Progress, progress } from './output.ts';

export const EXPORT_USAGE =
  'usage: export responses|indicators|questions|dossiers [--period month|quarter|year|12m|YYYY-Qn | --from YYYY-MM-DD --to YYYY-MM-DD] ' +
  '[--unit CODE] [--field CODE] [--desk ID] [--channel qr|kiosk|web|paper] [--suspect] [--group field|unit|desk|month|quarter] ' +
  '[--format vn|xlsx] [--lang en] [--out FILE]';

export const EXPORT_OPTIONS: NonNullable<ParseArgsConfig['options']> = {
  period: { type: 'string' },
  from: { type: 'string' },
  to: { type: 'string' },
  unit: { type: 'string' },
  field: { type: 'string' },
  desk: { type: 'string' },
  channel: { type: 'string' },
  suspect: { type: 'boolean' },
  group: { type: 'string' },
  format: { type: 'string' },
  lang: { type: 'string' },
  out: { type: 'string' },
};

export class ExportError extends Error {}

const text = (value: OptionValues[string]) => (typeof value === 'string' ? value : undefined);

export async function runExport(ready: Ready, config: Config, values: OptionValues, positionals: string[]): Promise<void> {
  const kind = positionals[0];
  if (kind !== 'responses' && kind !== 'indicators' && kind !== 'questions' && kind !== 'dossiers') throw new ExportError(EXPORT_USAGE);
  const group = text(values.group) ?? 'field';
  if (!EXPORT_GROUPS.includes(group as ExportGroup)) throw new ExportError(`--group ${group}: use one of ${EXPORT_GROUPS.join(', ')}`);
  if (values.format !== undefined && values.format !== 'vn' && values.format !== 'xlsx') {
    throw new ExportError(`--format ${String(values.format)}: use vn (for Excel set to Vietnamese: ';' between cells, decimal commas, Vietnamese headers) or xlsx (a workbook)`);
  }
  const xlsx = values.format === 'xlsx';

  const db = ready.db.kysely;
  const query = {
    period: text(values.period),
    from: text(values.from),
    to: text(values.to),
    unit: text(values.unit),
    field: text(values.field),
    desk: text(values.desk),
    channel: text(values.channel),
    suspect: values.suspect ? '1' : undefined,
  };
  const resolved = await resolveReportRequest(db, query, { kind: 'operator' }, localDay(new Date()));
  if (!resolved.ok) {
    // Only bad filters can be refused: the operator may see every unit.
    const message = resolved.status === 400 ? resolved.message : 'error.403.body';
    const params = resolved.status === 400 ? resolved.params : undefined;
    throw new ExportError(`${translator('vi')(message, params)} / ${translator('en')(message, params)}`);
  }

  const lang = langFrom(values.lang);
  const format = csvFormat(values.format);
  const outFile = text(values.out);
  const stream = outFile ? createWriteStream(resolve(outFile)) : process.stdout;
  const where = outFile ? resolve(outFile) : 'stdout';
  // With the CSV on stdout, the summary goes to stderr beside the progress line.
  const summaryTo = outFile ? process.stdout : process.stderr;
  const sink = writableSink(stream);
  let bar: Progress | undefined;
  let summary: string;
  if (kind === 'responses') {
    const onProgress = (done: number, total: number) => (bar ??= progress('Xuất phiếu / exporting responses', total, process.stderr, summaryTo)).tick(done);
    const result = xlsx ? await writeResponsesXlsx(db, resolved.request, sink, { lang, onProgress }) : await writeResponsesCsv(db, resolved.request, sink, { format, lang, onProgress });
    if (!result.complete) throw new ExportError(`${where} was closed after ${result.rows} of ${result.total} rows; nothing more was written.`);
    summary = `Đã xuất / exported ${result.rows} phiếu / responses (${resolved.request.filter.from} – ${resolved.request.filter.to}) to ${where}`;
  } else if (kind === 'dossiers') {
    const result = xlsx ? await writeDossiersXlsx(db, resolved.request, sink, { lang }) : await writeDossiersCsv(db, resolved.request, sink, { format });
    if (!result.complete) throw new ExportError(`${where} was closed after ${result.rows} rows; nothing more was written.`);
    summary = `Đã xuất / exported ${result.rows} dòng số liệu hồ sơ / dossier count rows (${resolved.request.filter.from} – ${resolved.request.filter.to}) to ${where}`;
  } else if (kind === 'questions') {
    const result = xlsx ? await writeQuestionsXlsx(db, resolved.request, sink, { lang }) : await writeQuestionsCsv(db, resolved.request, sink, { format, lang });
    summary = `Đã xuất / exported ${result.rows} dòng câu hỏi / question rows (${resolved.request.filter.from} – ${resolved.request.filter.to}) to ${where}`;
  } else {
    const opts = { lang, t: translator(lang), minN: config.minResponses };
    const result = xlsx
      ? await writeIndicatorsXlsx(db, resolved.request, group as ExportGroup, sink, opts)
      : await writeIndicatorsCsv(db, resolved.request, group as ExportGroup, sink, { ...opts, format });
    summary = `Đã xuất / exported ${result.rows} dòng chỉ số / indicator rows by ${group} (${resolved.request.filter.from} – ${resolved.request.filter.to}) to ${where}`;
  }
  if (outFile) await new Promise<void>((done, fail) => stream.end((error?: Error | null) => (error ? fail(error) : done())));
  (bar ?? progress('export', 0, process.stderr, summaryTo)).finish(summary);
}
