/**
 * Measures, in a fresh process, how much an export of a period grows the resident set: `stream`
 * serves the real /export/responses.csv and reads it over loopback HTTP, parsing as it goes; `xlsx`
 * the same as a workbook, /export/responses.xlsx, counting its bytes ("rows" is then the byte count);
 * `buffer` does what a naive export would (every row, then all the text, then its bytes to send). A fresh process
 * per measurement, because memory that one run took and freed lets the next one look cheaper.
 *
 *   node --import tsx test/support/export-memory.ts stream|xlsx|buffer WARM_UP_DAY DAY   (DATABASE_URL, TOKEN from the environment)
 *
 * The export of WARM_UP_DAY (a small one) runs first, so that compiling code and opening connections
 * are not counted; then the export of DAY is measured.
 *
 * Prints one JSON line: {"mode", "rows", "ms", "growthMb"}.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { parse } from 'csv-parse';
import { exportNames, streamResponses } from '../../db/queries/export.ts';
import { readSnapshot } from '../../db/snapshot.ts';
import { createApp } from '../../server/app.ts';
import { prepareDatabase } from '../../server/start/bootstrap.ts';
import { loadConfig } from '../../server/start/config.ts';
import { csvLine, type CsvValue, STANDARD_CSV } from '../../server/exports/csv.ts';
import { createLogger } from '../../server/log.ts';
import { resolveReportRequest } from '../../server/figures/request.ts';

const [mode = 'stream', warmUpDay = '', day = ''] = process.argv.slice(2);
const config = loadConfig({ ...process.env, BASE_URL: 'http://127.0.0.1' });
const ready = await prepareDatabase(config);
const app = createApp({ db: ready.db.kysely, config, secret: ready.secret, logger: createLogger('silent') });
const server = app.listen(0, '127.0.0.1');
await new Promise((resolve) => server.once('listening', resolve));
const { port } = server.address() as AddressInfo;

/** The workbook (mode xlsx): its bytes are taken and dropped; the test reads the same file back on its own. */
async function downloadXlsx(query: string): Promise<number> {
  const res = await new Promise<http.IncomingMessage>((resolve, reject) => {
    http.get(`http://127.0.0.1:${port}/export/responses.xlsx?${query}`, { headers: { Authorization: `Bearer ${process.env.TOKEN}` } }, resolve).on('error', reject);
  });
  if (res.statusCode !== 200) throw new Error(`status ${res.statusCode}`);
  let n = 0;
  for await (const chunk of res) n += (chunk as Buffer).length;
  return n;
}

async function download(query: string): Promise<number> {
  const res = await new Promise<http.IncomingMessage>((resolve, reject) => {
    http.get(`http://127.0.0.1:${port}/export/responses.csv?${query}`, { headers: { Authorization: `Bearer ${process.env.TOKEN}` } }, resolve).on('error', reject);
  });
  if (res.statusCode !== 200) throw new Error(`status ${res.statusCode}`);
  let n = 0;
  for await (const _record of res.pipe(parse({ bom: true, from_line: 2 }))) n++;
  return n;
}

/** A naive export: every row as an object with its names, as a query's result would be, then all the text. */
async function hold(): Promise<number> {
  const resolved = await resolveReportRequest(ready.db.kysely, { from: day, to: day }, { kind: 'operator' }, day);
  if (!resolved.ok) throw new Error('refused');
  const held = await readSnapshot(ready.db.kysely, async (snapshot, stream) => {
    const names = await exportNames(snapshot);
    const rows: Record<string, CsvValue>[] = [];
    for await (const batch of streamResponses(snapshot, stream, resolved.request.filter, { includeHiddenComments: true, chunk: 500 })) {
      for (const [id, publicId, submittedAt, localDay, channel, status, unitId, deskId, fieldId, questionnaireId, answers, commentQuestionId, commentText, commentHidden] of batch) {
        const unit = names.units.get(unitId);
        const desk = names.desks.get(deskId);
        const field = names.fields.get(fieldId);
        const questionnaire = names.questionnaires.get(questionnaireId);
        rows.push({
          id, publicId, submittedAt, localDay, unitCode: unit?.code, unitName: unit?.name, deskId, deskCode: desk?.code, deskName: desk?.name,
          fieldCode: field?.code, fieldNameVi: field?.nameVi, fieldNameEn: field?.nameEn, questionnaireId, questionnaireCode: questionnaire?.code,
          questionnaireVersion: questionnaire?.version, channel, status, answers, commentQuestionId, commentText, commentHidden,
        });
      }
    }
    return rows;
  });
  const text = held.map((row) => csvLine(Object.values(row), STANDARD_CSV)).join('');
  // Sending it whole makes the bytes while the rows and the text are still held; measured at that
  // moment, since the sampling timer cannot run during this synchronous work and a collection
  // afterwards could hide what was held.
  const body = Buffer.from(text, 'utf8');
  heldPeak = process.memoryUsage().rss;
  return body.length > 0 && text.length > 0 ? held.length : 0;
}

/** The resident set while a naive export held everything at once (0 in stream mode). */
let heldPeak = 0;

await (mode === 'xlsx' ? downloadXlsx : download)(`from=${warmUpDay}&to=${warmUpDay}`);
const before = process.memoryUsage().rss;
let peak = before;
const timer = setInterval(() => {
  peak = Math.max(peak, process.memoryUsage().rss);
}, 10);
const started = Date.now();
const rows = mode === 'buffer' ? await hold() : mode === 'xlsx' ? await downloadXlsx(`from=${day}&to=${day}`) : await download(`from=${day}&to=${day}`);
peak = Math.max(peak, heldPeak, process.memoryUsage().rss);
clearInterval(timer);
console.log(JSON.stringify({ mode, rows, ms: Date.now() - started, growthMb: (peak - before) / 1024 / 1024 }));
server.close();
await ready.db.close();
