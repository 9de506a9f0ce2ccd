/**
 * Measures, in a fresh process, how much an export of a period grows the resident set: `stream`
 * serves the real /export/responses.csv and reads it over loopback HTTP, parsing as it goes;
 * `buffer` does what a naive export would (every row, then all the text, then send). A fresh process
 * per measurement, because memory that one run took and freed lets the next one look cheaper.
 *
 *   node --import tsx test/support/export-memory.ts stream|buffer WARM_UP_DAY DAY   (DATABASE_URL, TOKEN from the environment)
 *
 * The export of WARM_UP_DAY (a small one) runs first, so that compiling code and opening connections
 * are not counted; then the export of DAY is measured.
 *
 * Prints one JSON line: {"mode", "rows", "ms", "growthMb"}.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { parse } from 'csv-parse';
import { streamResponses } from '../../db/queries/export.ts';
import { createApp } from '../../server/app.ts';
import { prepareDatabase } from '../../server/bootstrap.ts';
import { loadConfig } from '../../server/config.ts';
import { csvLine, STANDARD_CSV } from '../../server/exports/csv.ts';
import { createLogger } from '../../server/log.ts';
import { resolveReportRequest } from '../../server/reports/request.ts';

const [mode = 'stream', warmUpDay = '', day = ''] = process.argv.slice(2);
const config = loadConfig({ ...process.env, BASE_URL: 'http://127.0.0.1' });
const ready = await prepareDatabase(config);
const app = createApp({ db: ready.db.kysely, config, secret: ready.secret, logger: createLogger('silent') });
const server = app.listen(0, '127.0.0.1');
await new Promise((resolve) => server.once('listening', resolve));
const { port } = server.address() as AddressInfo;

async function download(query: string): Promise<number> {
  const res = await new Promise<http.IncomingMessage>((resolve, reject) => {
    http.get(`http://127.0.0.1:${port}/export/responses.csv?${query}`, { headers: { Authorization: `Bearer ${process.env.TOKEN}` } }, resolve).on('error', reject);
  });
  if (res.statusCode !== 200) throw new Error(`status ${res.statusCode}`);
  let n = 0;
  for await (const _record of res.pipe(parse({ bom: true, from_line: 2 }))) n++;
  return n;
}

async function hold(): Promise<number> {
  const resolved = await resolveReportRequest(ready.db.kysely, { from: day, to: day }, { kind: 'operator' }, day);
  if (!resolved.ok) throw new Error('refused');
  const rows = [];
  for await (const row of streamResponses(ready.db.kysely, resolved.request.filter, { includeHiddenComments: true, chunk: 500 })) rows.push(row);
  const text = rows.map((row) => csvLine(Object.values(row) as (string | number | null)[], STANDARD_CSV)).join('');
  return text.length > 0 ? rows.length : 0;
}

await download(`from=${warmUpDay}&to=${warmUpDay}`);
const before = process.memoryUsage().rss;
let peak = before;
const timer = setInterval(() => {
  peak = Math.max(peak, process.memoryUsage().rss);
}, 10);
const started = Date.now();
const rows = mode === 'buffer' ? await hold() : await download(`from=${day}&to=${day}`);
peak = Math.max(peak, process.memoryUsage().rss);
clearInterval(timer);
console.log(JSON.stringify({ mode, rows, ms: Date.now() - started, growthMb: (peak - before) / 1024 / 1024 }));
server.close();
await ready.db.close();
