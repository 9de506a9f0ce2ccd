/**
 * `sipas seed --demo` and `npm run demo`: synthetic citizens (db/seed/demo.ts) sent through the path
 * every channel uses (prepareSubmission, then the batch write), in large transactions, with a
 * progress line. A million responses take a minute or two on SQLite.
 */
import { localDay } from '../../analytics/time.ts';
import { type DeskSurvey, findDeskSurvey } from '../../db/queries/desks.ts';
import type { ResponseInput } from '../../db/queries/responses.ts';
import { demoForms, ensureDemoDesks } from '../../db/seed/demo.ts';
import type { Ready } from '../bootstrap.ts';
import { prepareSubmission, recordSubmissions } from '../survey/record.ts';
import { progress } from './output.ts';

/** Responses per transaction: large enough that commits cost nothing, small enough to stay in memory. */
const BATCH = 5_000;

export async function runDemoSeed(ready: Ready, responses: number, opts: { months?: number; now?: Date } = {}): Promise<{ desks: number; responses: number }> {
  const db = ready.db.kysely;
  const now = opts.now ?? new Date();
  const desks = await ensureDemoDesks(db, now.toISOString());
  const surveys = new Map<number, DeskSurvey>();
  for (const d of desks) {
    const survey = await findDeskSurvey(db, d.id);
    if (survey) surveys.set(d.id, survey);
  }
  const bar = progress('Phiếu mẫu / demo responses', responses);
  let batch: ResponseInput[] = [];
  let done = 0;
  const flush = async () => {
    await recordSubmissions(db, batch);
    done += batch.length;
    batch = [];
    bar.tick(done);
  };
  for (const f of demoForms(desks, { responses, now, months: opts.months })) {
    const survey = surveys.get(f.deskId);
    if (!survey) throw new Error(`Demo desk ${f.deskId} has no survey (inactive desk or unit?).`);
    const prepared = prepareSubmission(survey, f.form, {
      channel: f.channel,
      nonce: f.nonce,
      submittedAt: f.submittedAt,
      localDay: localDay(f.submittedAt),
      lang: f.lang,
      status: f.status,
      flags: f.flags === '' ? [] : [f.flags],
      secondsTaken: f.secondsTaken,
    });
    // The generator and the survey must agree on what a valid form is; a refusal is a bug to fix here.
    if (prepared.kind !== 'ready') throw new Error(`A demo form for desk ${f.deskId} was refused (${prepared.kind}): ${JSON.stringify(f.form)}`);
    batch.push(prepared.input);
    if (batch.length >= BATCH) await flush();
  }
  if (batch.length > 0) await flush();
  bar.finish(`Đã tạo / created ${done} phiếu mẫu / demo responses at ${desks.length} desks`);
  return { desks: desks.length, responses: done };
}
