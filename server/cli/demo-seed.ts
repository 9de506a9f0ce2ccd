/**
 * `sipas seed --demo` and `npm run demo`: synthetic citizens (db/seed/demo.ts) stored through the
 * batched write every channel uses (recordSubmissions), a month at a time in large transactions, with
 * a progress line. The generator hands over answers already in validated form, because parsing a
 * million raw forms would cost more than storing them; every CHECK_EVERY-th one is also rebuilt as
 * the raw form a phone would post and run through the survey's own validation, which must give the
 * very same response, so the demo cannot drift from what the survey accepts.
 */
import { isDeepStrictEqual } from 'node:util';
import { localDay, monthOf } from '../../analytics/time.ts';
import type { ResponseInput } from '../../db/queries/responses.ts';
import { countsTransaction, replaceDossierCounts } from '../../db/queries/dossier-counts.ts';
import { type DemoResponse, demoDossierCounts, demoForm, demoResponses, ensureDemoDesks, type ResponseTally, tallyKey } from '../../db/seed/demo.ts';
import type { Ready } from '../start/bootstrap.ts';
import { prepareSubmission, recordSubmissions, type SubmissionMeta, submissionInput } from '../survey/record.ts';
import { type Progress, progress } from './output.ts';

/**
 * Responses per transaction at most. A batch never spans two months, so each monthly rollup row is
 * written once per month rather than once per batch; a large batch makes the commits (and their
 * fsync) few, and 50,000 responses still take only tens of megabytes while they wait.
 */
const BATCH = 50_000;
/** One response in this many is also checked against the survey's validation of its raw form. */
const CHECK_EVERY = 50;

export interface DemoSeedResult {
  desks: number;
  responses: number;
  comments: number;
  /** Local months that received responses, oldest first ('YYYY-MM'). */
  months: string[];
  /** Rows of dossier counts made to match the responses (issue 20), and the dossiers they resolve. */
  dossierRows: number;
  dossiersResolved: number;
}

function metaOf(r: DemoResponse): SubmissionMeta {
  return {
    channel: r.channel,
    nonce: r.nonce,
    submittedAt: r.submittedAt,
    localDay: localDay(r.submittedAt),
    lang: r.lang,
    status: r.status,
    flags: r.flags === '' ? [] : [r.flags],
    secondsTaken: r.secondsTaken,
  };
}

/** The response to store, checked against the survey's validation of its raw form now and then. */
function inputOf(r: DemoResponse, check: boolean): ResponseInput {
  const meta = metaOf(r);
  const input = submissionInput(r.desk.survey, r, meta);
  if (check) {
    const prepared = prepareSubmission(r.desk.survey, demoForm(r), meta);
    // The generator and the survey must agree on what a valid form is; a difference is a bug to fix in db/seed/demo.ts.
    if (prepared.kind !== 'ready' || !isDeepStrictEqual(prepared.input, input)) {
      throw new Error(`A demo response for desk ${r.desk.survey.desk.id} is not what the survey makes of its form (${prepared.kind}): ${JSON.stringify(demoForm(r))}`);
    }
  }
  return input;
}

export async function runDemoSeed(
  ready: Ready,
  responses: number,
  opts: { months?: number; now?: Date; bar?: Progress; /** Responses per transaction at most (tests split months with a small one). */ batch?: number } = {},
): Promise<DemoSeedResult> {
  const db = ready.db.kysely;
  const now = opts.now ?? new Date();
  const desks = await ensureDemoDesks(db, now.toISOString());
  const bar = opts.bar ?? progress('Phiếu mẫu / demo responses', responses);
  const started = Date.now();
  let batch: ResponseInput[] = [];
  let done = 0;
  let comments = 0;
  const months: string[] = [];
  const flush = async () => {
    await recordSubmissions(db, batch);
    done += batch.length;
    batch = [];
    bar.tick(done);
  };
  let made = 0;
  const tally: ResponseTally = new Map();
  for (const r of demoResponses(desks, { responses, now, months: opts.months })) {
    const input = inputOf(r, made++ % CHECK_EVERY === 0);
    const month = monthOf(input.localDay);
    const key = tallyKey(input.deskId, input.fieldId, month);
    const counted = tally.get(key);
    if (counted) counted.responses++;
    else tally.set(key, { deskId: input.deskId, fieldId: input.fieldId, month, responses: 1 });
    if (months[months.length - 1] !== month) {
      if (batch.length > 0) await flush();
      months.push(month);
    } else if (batch.length >= (opts.batch ?? BATCH)) await flush();
    batch.push(input);
    comments += input.comments.length;
  }
  if (batch.length > 0) await flush();
  const importedAt = now.toISOString();
  const counts = demoDossierCounts(tally, localDay(now)).map((row) => ({ ...row, imported_at: importedAt }));
  await countsTransaction(db, (trx) => replaceDossierCounts(trx, counts));
  const dossiersResolved = counts.reduce((sum, row) => sum + row.resolved, 0);
  const rate = Math.round(done / Math.max((Date.now() - started) / 1000, 0.001));
  bar.finish(
    `Đã tạo / created ${done} phiếu mẫu / demo responses at ${desks.length} desks, ${months.length} tháng / months ` +
      `(${months[0] ?? '-'} → ${months[months.length - 1] ?? '-'}), ${comments} góp ý / comments, ` +
      `${dossiersResolved} hồ sơ / dossiers in ${counts.length} dòng / rows; ${rate}/s`,
  );
  return { desks: desks.length, responses: done, comments, months, dossierRows: counts.length, dossiersResolved };
}
