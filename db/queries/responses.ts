import { randomBytes } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import type { Channel, Database, ResponseStatus } from '../schema.ts';

export interface ResponseInput {
  /** The form token's nonce: a second submission of the same form maps to the first response. */
  nonce: string;
  questionnaireId: number;
  unitId: number;
  deskId: number;
  fieldId: number;
  channel: Channel;
  submittedAt: string;
  /** 'YYYY-MM-DD' in Asia/Ho_Chi_Minh, computed by the caller. */
  localDay: string;
  lang: string;
  status: ResponseStatus;
  secondsTaken: number | null;
  /** value null = "Không ý kiến". */
  ratings: { questionId: number; value: number | null }[];
  choices: { questionId: number; optionKeys: string[] }[];
  comments: { questionId: number; text: string }[];
  /** The respondent-level summary (analytics/respondent.ts), added into daily and monthly responses. */
  summary: {
    score: number | null;
    allSatisfied: boolean | null;
    items: number;
    itemsSatisfied: number;
  };
}

export type RecordResult = { kind: 'stored'; responseId: number; publicId: string } | { kind: 'replay'; responseId: number; publicId: string };

const ROLLUP_KEY = ['unit_id', 'desk_id', 'field_id', 'question_id', 'channel', 'status', 'option_key'] as const;
const RESPONSES_KEY = ['unit_id', 'desk_id', 'field_id', 'questionnaire_id', 'channel', 'status'] as const;
const COUNT_COLUMNS = ['n0', 'n1', 'n2', 'n3', 'n4', 'n5', 'n_chosen'] as const;

/** The response a form token's nonce already created, if any. */
export async function findResponseByNonce(db: Kysely<Database>, nonce: string): Promise<{ responseId: number; publicId: string } | undefined> {
  const row = await db
    .selectFrom('used_nonces')
    .innerJoin('responses', 'responses.id', 'used_nonces.response_id')
    .select(['responses.id', 'responses.public_id'])
    .where('used_nonces.nonce', '=', nonce)
    .executeTakeFirst();
  return row ? { responseId: row.id, publicId: row.public_id } : undefined;
}

function isUniqueViolation(error: unknown): boolean {
  const e = error as { code?: string };
  return e.code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || e.code === 'SQLITE_CONSTRAINT_UNIQUE' || e.code === '23505';
}

function rollupRows(input: ResponseInput) {
  const base = {
    unit_id: input.unitId,
    desk_id: input.deskId,
    field_id: input.fieldId,
    channel: input.channel,
    status: input.status,
  };
  const zero = { n0: 0, n1: 0, n2: 0, n3: 0, n4: 0, n5: 0, n_chosen: 0 };
  const rows = [];
  for (const r of input.ratings) {
    const column = r.value === null ? 'n0' : (`n${r.value}` as 'n1' | 'n2' | 'n3' | 'n4' | 'n5');
    rows.push({ ...base, ...zero, question_id: r.questionId, option_key: '', [column]: 1 });
  }
  for (const c of input.choices) {
    if (c.optionKeys.length === 0) continue;
    rows.push({ ...base, ...zero, question_id: c.questionId, option_key: '', n_chosen: 1 });
    for (const key of c.optionKeys) rows.push({ ...base, ...zero, question_id: c.questionId, option_key: key, n_chosen: 1 });
  }
  return rows;
}

const MOMENT_COLUMNS = ['n', 'scored', 'score_sum', 'score_sq', 'all_satisfied', 'item_x', 'item_y', 'item_xx', 'item_yy', 'item_xy'] as const;
type MomentColumn = (typeof MOMENT_COLUMNS)[number];

function momentsOf(s: ResponseInput['summary']): Record<MomentColumn, number> {
  const x = s.items;
  const y = s.itemsSatisfied;
  return {
    n: 1,
    scored: s.score === null ? 0 : 1,
    score_sum: s.score ?? 0,
    score_sq: (s.score ?? 0) ** 2,
    all_satisfied: s.allSatisfied ? 1 : 0,
    item_x: x,
    item_y: y,
    item_xx: x * x,
    item_yy: y * y,
    item_xy: x * y,
  };
}

/**
 * Adds the response to the daily and the monthly rollups (same rows, keyed by local day or month).
 * Kysely cannot type a table chosen at run time, so the two upserts are spelled out.
 */
async function addToRollups(trx: Transaction<Database>, input: ResponseInput): Promise<void> {
  const rows = rollupRows(input);
  const month = input.localDay.slice(0, 7);
  const responses = {
    unit_id: input.unitId,
    desk_id: input.deskId,
    field_id: input.fieldId,
    questionnaire_id: input.questionnaireId,
    channel: input.channel,
    status: input.status,
    ...momentsOf(input.summary),
  };
  if (rows.length > 0) {
    await trx
      .insertInto('daily_rollups')
      .values(rows.map((r) => ({ ...r, day: input.localDay })))
      .onConflict((oc) =>
        oc.columns(['day', ...ROLLUP_KEY]).doUpdateSet((eb) =>
          Object.fromEntries(COUNT_COLUMNS.map((c) => [c, eb(`daily_rollups.${c}`, '+', eb.ref(`excluded.${c}`))])),
        ),
      )
      .execute();
    await trx
      .insertInto('monthly_rollups')
      .values(rows.map((r) => ({ ...r, month })))
      .onConflict((oc) =>
        oc.columns(['month', ...ROLLUP_KEY]).doUpdateSet((eb) =>
          Object.fromEntries(COUNT_COLUMNS.map((c) => [c, eb(`monthly_rollups.${c}`, '+', eb.ref(`excluded.${c}`))])),
        ),
      )
      .execute();
  }
  await trx
    .insertInto('daily_responses')
    .values({ ...responses, day: input.localDay })
    .onConflict((oc) =>
      oc.columns(['day', ...RESPONSES_KEY]).doUpdateSet((eb) =>
        Object.fromEntries(MOMENT_COLUMNS.map((c) => [c, eb(`daily_responses.${c}`, '+', eb.ref(`excluded.${c}`))])),
      ),
    )
    .execute();
  await trx
    .insertInto('monthly_responses')
    .values({ ...responses, month })
    .onConflict((oc) =>
      oc.columns(['month', ...RESPONSES_KEY]).doUpdateSet((eb) =>
        Object.fromEntries(MOMENT_COLUMNS.map((c) => [c, eb(`monthly_responses.${c}`, '+', eb.ref(`excluded.${c}`))])),
      ),
    )
    .execute();
}

async function insertResponse(trx: Transaction<Database>, input: ResponseInput): Promise<{ responseId: number; publicId: string }> {
  const publicId = randomBytes(9).toString('base64url');
  const { id } = await trx
    .insertInto('responses')
    .values({
      public_id: publicId,
      questionnaire_id: input.questionnaireId,
      unit_id: input.unitId,
      desk_id: input.deskId,
      field_id: input.fieldId,
      channel: input.channel,
      submitted_at: input.submittedAt,
      local_day: input.localDay,
      lang: input.lang,
      status: input.status,
      dossier_hash: null,
      seconds_taken: input.secondsTaken,
    })
    .returning('id')
    .executeTakeFirstOrThrow();

  const answers = [
    ...input.ratings.map((r) => ({ response_id: id, question_id: r.questionId, value: r.value, option_key: '' })),
    ...input.choices.flatMap((c) => c.optionKeys.map((key) => ({ response_id: id, question_id: c.questionId, value: null, option_key: key }))),
  ];
  if (answers.length > 0) await trx.insertInto('answers').values(answers).execute();
  if (input.comments.length > 0) {
    await trx
      .insertInto('comments')
      .values(input.comments.map((c) => ({ response_id: id, question_id: c.questionId, text: c.text, created_at: input.submittedAt })))
      .execute();
  }

  await addToRollups(trx, input);

  await trx.insertInto('used_nonces').values({ nonce: input.nonce, response_id: id, used_at: input.submittedAt }).execute();
  await trx.updateTable('questionnaires').set({ locked: 1 }).where('id', '=', input.questionnaireId).where('locked', '=', 0).execute();
  return { responseId: id, publicId };
}

/**
 * Stores a response, its answers, comments and rollup counts in one transaction, so a committed
 * response is always counted and a failed one leaves nothing behind. A nonce seen before returns
 * the earlier response instead of storing a second one.
 */
export async function recordResponse(db: Kysely<Database>, input: ResponseInput): Promise<RecordResult> {
  try {
    return await db.transaction().execute(async (trx) => {
      const earlier = await findResponseByNonce(trx, input.nonce);
      if (earlier) return { kind: 'replay' as const, ...earlier };
      return { kind: 'stored' as const, ...(await insertResponse(trx, input)) };
    });
  } catch (error) {
    // Two copies of one form raced past the check above: the loser reports the winner's response.
    if (!isUniqueViolation(error)) throw error;
    const earlier = await findResponseByNonce(db, input.nonce);
    if (!earlier) throw error;
    return { kind: 'replay', ...earlier };
  }
}

/** Many responses in one transaction, for the demo generator and imports. */
export async function recordResponses(db: Kysely<Database>, inputs: ResponseInput[]): Promise<void> {
  await db.transaction().execute(async (trx) => {
    for (const input of inputs) await insertResponse(trx, input);
  });
}

