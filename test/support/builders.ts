/** Builders for the rows a test needs, through the same queries the application uses. */
import { randomBytes } from 'node:crypto';
import type { Express } from 'express';
import type { Kysely } from 'kysely';
import request from 'supertest';
import { createDesk, findDeskSurvey } from '../../db/queries/desks.ts';
import { latestQuestionnaire } from '../../db/queries/questionnaires.ts';
import { type ResponseInput, recordResponses } from '../../db/queries/responses.ts';
import type { Database, ResponseStatus } from '../../db/schema.ts';
import { summarizeRatings } from '../../server/survey/summary.ts';
import { signDeskToken } from '../../server/tokens/tokens.ts';
import { phoneAddress } from './respondents.ts';

export interface TestDesk {
  id: number;
  token: string;
  url: string;
}

let deskCounter = 0;

export async function buildDesk(
  db: Kysely<Database>,
  secret: string,
  opts: { questionnaire?: string; version?: number; fields?: string[]; unitCode?: string; code?: string } = {},
): Promise<TestDesk> {
  const code = opts.questionnaire ?? 'tthc-short';
  const questionnaire =
    opts.version === undefined
      ? await latestQuestionnaire(db, code)
      : await db.selectFrom('questionnaires').select(['id', 'code', 'version']).where('code', '=', code).where('version', '=', opts.version).executeTakeFirst();
  if (!questionnaire) throw new Error(`no questionnaire ${opts.questionnaire ?? 'tthc-short'}`);
  const unit = await db.selectFrom('units').select('id').where('code', '=', opts.unitCode ?? '16681').executeTakeFirstOrThrow();
  const codes = opts.fields ?? ['dat-dai'];
  const fields = await db.selectFrom('fields').select(['id', 'code']).where('code', 'in', codes).execute();
  const fieldIds = codes.map((code) => {
    const field = fields.find((f) => f.code === code);
    if (!field) throw new Error(`no field ${code}`);
    return field.id;
  });
  const id = await createDesk(
    db,
    { unitId: unit.id, code: opts.code ?? `Q${++deskCounter}`, name: `Quầy ${deskCounter}`, questionnaireId: questionnaire.id, fieldIds },
    new Date().toISOString(),
  );
  const token = signDeskToken(secret, id, 1);
  return { id, token, url: `/q/${token}` };
}

/** The hidden form token of a rendered survey page. */
export function formTokenOf(html: string): string {
  const match = /name="ft" value="([^"]+)"/.exec(html);
  if (!match?.[1]) throw new Error('no form token in page');
  return match[1];
}

/**
 * A form sent back for a correction: the POST answers 303 to the form's draft (post/redirect/get, so
 * Back never asks to resend); returns the page that shows it.
 */
export async function correctionPage(app: Express, sent: request.Response, who: Record<string, string> = {}): Promise<request.Response> {
  const location = String(sent.headers.location ?? '');
  if (sent.status !== 303 || !/[?&]nhap=[A-Za-z0-9_-]{22}$/.test(location)) throw new Error(`expected a 303 to the form's draft, got ${sent.status} ${location}`);
  return request(app).get(location).set(who).expect(200);
}

/** A complete valid tthc-short answer set. */
export function shortAnswers(overrides: Record<string, string | string[]> = {}): Record<string, string | string[]> {
  return { a: '5', b: '4', c: '5', d: '3', e: '0', overall: '4', expectations: ['minh-bach', 'thai-do'], comment: 'Cán bộ nhiệt tình.', ...overrides };
}

let citizenCounter = 0;

/**
 * Another citizen's phone: its own address (passed on by the test app's trusted proxy, startTestApp
 * sets TRUST_PROXY=loopback) and browser. Many submissions from one test client would otherwise be
 * what they look like to the stuffing signals: one phone sending form after form.
 */
export function citizen(): Record<string, string> {
  const n = ++citizenCounter;
  return {
    'X-Forwarded-For': phoneAddress(n),
    'User-Agent': `Mozilla/5.0 (Linux; Android 12; SM-A${(n % 900) + 100}) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.${n}.0 Mobile Safari/537.36`,
  };
}

/** A citizen's whole visit from their own phone: open the desk's form, send the answers; returns the POST's response. */
export async function submitSurvey(app: Express, url: string, answers: Record<string, string | string[]>, who = citizen()): Promise<request.Response> {
  const page = await request(app).get(url).set(who).expect(200);
  return request(app).post(url).set(who).type('form').send({ ft: formTokenOf(page.text), ...answers });
}

/**
 * Many stored responses at a desk, through the same write path as the demo generator and imports
 * (rollups included), for tests that need hundreds of answers. Ratings by question key; null is
 * "Không ý kiến". `copies` repeats one answer set; `comment` adds the free-text answer; `status` is 'ok' unless given.
 */
export async function storeResponses(
  db: Kysely<Database>,
  deskId: number,
  field: string,
  day: string,
  sets: { copies: number; ratings: Record<string, number | null>; comment?: string; time?: string; status?: ResponseStatus }[],
): Promise<void> {
  const survey = await findDeskSurvey(db, deskId);
  if (!survey) throw new Error(`no desk ${deskId}`);
  const fieldRow = survey.fields.find((f) => f.code === field);
  if (!fieldRow) throw new Error(`desk ${deskId} does not serve ${field}`);
  const commentQuestion = survey.questions.find((q) => q.type === 'text');
  const inputs: ResponseInput[] = sets.flatMap((set) => {
    const ratings = Object.entries(set.ratings).map(([key, value]) => {
      const question = survey.questions.find((q) => q.key === key);
      if (!question) throw new Error(`no question ${key}`);
      return { questionId: question.id, value };
    });
    return Array.from({ length: set.copies }, () => ({
      nonce: randomBytes(12).toString('base64url'),
      questionnaireId: survey.questionnaire.id,
      unitId: survey.unit.id,
      deskId,
      fieldId: fieldRow.id,
      channel: 'qr' as const,
      // `time` (UTC hh:mm, before 17:00 so the local day stays `day`) orders responses within a day.
      submittedAt: `${day}T${set.time ?? '03:00'}:00.000Z`,
      localDay: day,
      lang: 'vi',
      status: set.status ?? 'ok',
      secondsTaken: 30,
      flags: '',
      verified: false,
      dossierHash: null,
      ratings,
      choices: [],
      comments: set.comment !== undefined && commentQuestion ? [{ questionId: commentQuestion.id, text: set.comment }] : [],
      summary: summarizeRatings(survey.questions, ratings),
    }));
  });
  await recordResponses(db, inputs);
}
