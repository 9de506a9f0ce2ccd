/** Builders for the rows a test needs, through the same queries the application uses. */
import type { Express } from 'express';
import type { Kysely } from 'kysely';
import request from 'supertest';
import { createDesk } from '../../db/queries/desks.ts';
import { latestQuestionnaire } from '../../db/queries/questionnaires.ts';
import type { Database } from '../../db/schema.ts';
import { signDeskToken } from '../../server/tokens.ts';

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

/** A complete valid tthc-short answer set. */
export function shortAnswers(overrides: Record<string, string | string[]> = {}): Record<string, string | string[]> {
  return { a: '5', b: '4', c: '5', d: '3', e: '0', overall: '4', expectations: ['minh-bach', 'thai-do'], comment: 'Cán bộ nhiệt tình.', ...overrides };
}

/** A citizen's whole visit: open the desk's form, send the answers; returns the POST's response. */
export async function submitSurvey(app: Express, url: string, answers: Record<string, string | string[]>): Promise<request.Response> {
  const page = await request(app).get(url).expect(200);
  return request(app).post(url).type('form').send({ ft: formTokenOf(page.text), ...answers });
}
