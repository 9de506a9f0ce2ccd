/**
 * Storing responses: a batch of submissions in one transaction (one commit, one fsync, for every
 * citizen who pressed "Gửi" in the same few milliseconds), each with its answers, comment, used form
 * nonce and rollup counts, so a committed response is always counted and a failed batch leaves
 * nothing behind. A nonce seen before, in the database or earlier in the batch, maps to the response
 * it already created instead of storing a second one.
 */
import { randomBytes } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import { insertRows, type Value } from '../bulk.ts';
import { RollupDeltas, type RollupSource } from '../rollups.ts';
import type { Database } from '../schema.ts';
import { audit, type AuditEntry } from './audit.ts';
import { COMMENT_COLUMNS, commentRow, overallQuestions, overallRating } from './comments.ts';
import { openFrom, touchHistory } from './history.ts';
import { isUniqueViolation } from '../dialect.ts';

export interface ResponseInput extends RollupSource {
  /** The form token's nonce (or a paper form's "paper:<desk>:<number>"): single use. */
  nonce: string;
  submittedAt: string;
  lang: string;
  secondsTaken: number | null;
  comments: { questionId: number; text: string }[];
  /** Stuffing signals that flagged it (survey/signals.ts), comma-separated; '' for none. */
  flags: string;
  /** Sent through a per-dossier link. */
  verified: boolean;
  /** Keyed hash of the dossier code, where the desk asks for it: one response per dossier. */
  dossierHash: string | null;
  /** The account that typed a paper form in (users.id); absent for every other channel. */
  enteredBy?: number | null;
  /** The registered counter tablet (kiosks.id) of a kiosk response. */
  kioskId?: number | null;
  /**
   * The audit entry of a response typed in by staff (a paper form): written in the response's own
   * transaction when it is stored, never for a replay, with the response's public id as its subject.
   */
  audit?: Omit<AuditEntry, 'subject'>;
}

export type RecordResult =
  | { kind: 'stored'; responseId: number; publicId: string }
  | { kind: 'replay'; responseId: number; publicId: string }
  /** The dossier already has a response: nothing stored. */
  | { kind: 'dossier-answered' };

/** The response a form token's nonce already created, if any, and when it was sent. */
export async function findResponseByNonce(db: Kysely<Database>, nonce: string): Promise<{ responseId: number; publicId: string; submittedAt: string } | undefined> {
  const row = await db
    .selectFrom('used_nonces')
    .innerJoin('responses', 'responses.id', 'used_nonces.response_id')
    .select(['responses.id', 'responses.public_id', 'responses.submitted_at'])
    .where('used_nonces.nonce', '=', nonce)
    .executeTakeFirst();
  return row ? { responseId: row.id, publicId: row.public_id, submittedAt: row.submitted_at } : undefined;
}

/** Whether a dossier (by its keyed hash) already has a response. */
export async function isDossierAnswered(db: Kysely<Database>, hash: string): Promise<boolean> {
  return (await db.selectFrom('responses').select('id').where('dossier_hash', '=', hash).executeTakeFirst()) !== undefined;
}


const RESPONSE_COLUMNS = [
  'public_id', 'questionnaire_id', 'unit_id', 'desk_id', 'field_id', 'channel', 'submitted_at', 'local_day', 'lang', 'status', 'dossier_hash', 'seconds_taken', 'flags', 'verified', 'answers_text',
] as const;
/** Written only by a batch that has a paper form or a tablet's response in it (most batches are citizens' phones). */
const SOURCE_COLUMNS = ['entered_by', 'kiosk_id'] as const;

/** SQLite's IN list and PostgreSQL's parameters both stay far from their limits. */
const NONCE_LOOKUP_CHUNK = 500;

async function earlierResponses(trx: Transaction<Database>, nonces: string[]): Promise<Map<string, { responseId: number; publicId: string }>> {
  const found = new Map<string, { responseId: number; publicId: string }>();
  for (let i = 0; i < nonces.length; i += NONCE_LOOKUP_CHUNK) {
    const rows = await trx
      .selectFrom('used_nonces')
      .innerJoin('responses', 'responses.id', 'used_nonces.response_id')
      .select(['used_nonces.nonce', 'responses.id', 'responses.public_id'])
      .where('used_nonces.nonce', 'in', nonces.slice(i, i + NONCE_LOOKUP_CHUNK))
      .execute();
    for (const r of rows) found.set(r.nonce, { responseId: r.id, publicId: r.public_id });
  }
  return found;
}

async function answeredDossiers(trx: Transaction<Database>, hashes: string[]): Promise<Set<string>> {
  if (hashes.length === 0) return new Set();
  const rows = await trx.selectFrom('responses').select('dossier_hash').where('dossier_hash', 'in', hashes).execute();
  return new Set(rows.map((r) => r.dossier_hash ?? ''));
}

/**
 * The response's answers as the export copies them (migration 0019): "questionId=value" joined by ',',
 * the same parts as its `answers` rows, in the order they are written.
 */
export function answersText(input: Pick<ResponseInput, 'ratings' | 'choices'>): string {
  const parts: string[] = [];
  for (const r of input.ratings) parts.push(`${r.questionId}=${r.value ?? ''}`);
  for (const c of input.choices) for (const key of c.optionKeys) parts.push(`${c.questionId}=${key}`);
  return parts.join(',');
}

async function storeBatch(trx: Transaction<Database>, inputs: ResponseInput[]): Promise<RecordResult[]> {
  const earlier = await earlierResponses(trx, [...new Set(inputs.map((i) => i.nonce))]);
  const dossiers = await answeredDossiers(trx, inputs.flatMap((i) => (i.dossierHash ? [i.dossierHash] : [])));
  // The first of several copies of one form in the batch is stored; the others replay it.
  const firstOfNonce = new Map<string, number>();
  const fresh: { input: ResponseInput; index: number; publicId: string }[] = [];
  const refused = new Set<number>();
  // Public ids: 9 random bytes each, drawn for the whole batch at once.
  const entropy = randomBytes(9 * inputs.length);
  inputs.forEach((input, index) => {
    if (earlier.has(input.nonce) || firstOfNonce.has(input.nonce)) return;
    if (input.dossierHash !== null) {
      if (dossiers.has(input.dossierHash)) {
        refused.add(index);
        return;
      }
      dossiers.add(input.dossierHash);
    }
    firstOfNonce.set(input.nonce, index);
    fresh.push({ input, index, publicId: entropy.subarray(9 * index, 9 * index + 9).toString('base64url') });
  });

  const idOf = new Map<string, number>();
  if (fresh.length > 0) {
    const withSource = fresh.some(({ input: r }) => (r.enteredBy ?? null) !== null || (r.kioskId ?? null) !== null);
    const inserted = await insertRows<{ id: number; public_id: string }>(
      trx,
      'responses',
      withSource ? [...RESPONSE_COLUMNS, ...SOURCE_COLUMNS] : RESPONSE_COLUMNS,
      fresh.flatMap(({ input: r, publicId }) => {
        const row: Value[] = [publicId, r.questionnaireId, r.unitId, r.deskId, r.fieldId, r.channel, r.submittedAt, r.localDay, r.lang, r.status, r.dossierHash, r.secondsTaken, r.flags, r.verified ? 1 : 0, answersText(r)];
        if (withSource) row.push(r.enteredBy ?? null, r.kioskId ?? null);
        return row;
      }),
      ['id', 'public_id'],
    );
    for (const row of inserted) idOf.set(row.public_id, Number(row.id));

    // Flat rows, value after value: no array per answer (bulk.ts).
    const answers: Value[] = [];
    const comments: Value[] = [];
    const nonces: Value[] = [];
    const deltas = new RollupDeltas();
    const overallIds = fresh.some((f) => f.input.comments.length > 0) ? await overallQuestions(trx, [...new Set(fresh.map((f) => f.input.questionnaireId))]) : new Set<number>();
    for (const { input, publicId } of fresh) {
      const id = idOf.get(publicId) as number;
      for (const r of input.ratings) answers.push(id, r.questionId, r.value, '');
      for (const c of input.choices) for (const key of c.optionKeys) answers.push(id, c.questionId, null, key);
      if (input.comments.length > 0) {
        const response = { ...input, overall: overallRating(input.ratings, overallIds) };
        for (const c of input.comments) comments.push(...commentRow(id, c.questionId, c.text, response));
      }
      nonces.push(input.nonce, id, input.submittedAt);
      deltas.response(input);
    }
    await insertRows(trx, 'answers', ['response_id', 'question_id', 'value', 'option_key'], answers);
    await insertRows(trx, 'comments', COMMENT_COLUMNS, comments);
    await insertRows(trx, 'used_nonces', ['nonce', 'response_id', 'used_at'], nonces);
    await deltas.write(trx);
    for (const { input, publicId } of fresh) if (input.audit) await audit(trx, { ...input.audit, subject: publicId });
    // A version with answers is locked: later changes of wording need a new version.
    const versions = [...new Set(fresh.map((f) => f.input.questionnaireId))];
    await trx.updateTable('questionnaires').set({ locked: 1 }).where('id', 'in', versions).where('locked', '=', 0).execute();
  }

  // By position in the batch: a search of `fresh` for each input would cost n² in a large batch.
  const freshAt = new Map(fresh.map((f) => [f.index, f]));
  return inputs.map((input, index) => {
    const before = earlier.get(input.nonce);
    if (before) return { kind: 'replay', ...before };
    if (refused.has(index)) return { kind: 'dossier-answered' };
    const first = freshAt.get(firstOfNonce.get(input.nonce) as number) as (typeof fresh)[number];
    const stored = { responseId: idOf.get(first.publicId) as number, publicId: first.publicId };
    return first.index === index ? { kind: 'stored', ...stored } : { kind: 'replay', ...stored };
  });
}

/**
 * Stores a batch in one transaction and says, in the same order, what became of each submission.
 * The whole batch fails together (a foreign key, a nonce taken by another app server meanwhile):
 * the caller retries its submissions one by one (submission-queue.ts).
 */
export async function recordResponses(db: Kysely<Database>, inputs: ResponseInput[], opts: { today?: string } = {}): Promise<RecordResult[]> {
  if (inputs.length === 0) return [];
  return db.transaction().execute(async (trx) => {
    const results = await storeBatch(trx, inputs);
    // Counts of a day before yesterday changed (a paper form typed in late, demo data): the cached past is stale.
    const open = opts.today === undefined ? null : openFrom(opts.today);
    if (open === null || inputs.some((i) => i.localDay < open)) await touchHistory(trx);
    return results;
  });
}

/**
 * Stores one response. Two copies of one form racing on two app servers: the loser's insert of the
 * nonce fails, and it reports the winner's response.
 */
export async function recordResponse(db: Kysely<Database>, input: ResponseInput, opts: { today?: string } = {}): Promise<RecordResult> {
  try {
    const [result] = await recordResponses(db, [input], opts);
    return result as RecordResult;
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    const earlier = await findResponseByNonce(db, input.nonce);
    if (earlier) return { kind: 'replay', ...earlier };
    // Another app server stored a response for the same dossier a moment ago.
    if (input.dossierHash !== null && (await answeredDossiers(db as Transaction<Database>, [input.dossierHash])).size > 0) return { kind: 'dossier-answered' };
    throw error;
  }
}
