/**
 * What the paper-form signals (server/survey/paper-signals.ts) need to know about the forms one
 * account typed in recently: the answers of its last ones at a desk (how many it typed is counted
 * by the stuffing guard before each form is stored, so forms posted at once count one by one). Found through the
 * audit log, where every typed form has its 'paper.enter' entry (written with the form, in its transaction: server/survey/enter-paper-form.ts) under the
 * (user_id, at) index: `responses` has no index on who typed a form, and counting there would read
 * the whole table (a million rows at the bench's size) for every form typed.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../schema.ts';

/** Entries read at most: far above any threshold, so one account's long day stays one small read. */
const ENTRIES_MAX = 500;

export interface TypedAnswers {
  ratings: { questionId: number; value: number | null }[];
  choices: { questionId: number; optionKeys: string[] }[];
}

export interface PaperHistory {
  /** The answers of its last `previous` forms at the desk typed in since `since`, newest first. */
  previous: TypedAnswers[];
}

export async function paperHistory(db: Kysely<Database>, q: { userId: number; deskId: number; since: string; previous: number }): Promise<PaperHistory> {
  const entries = await db
    .selectFrom('audit_log')
    .select('subject')
    .where('user_id', '=', q.userId)
    .where('action', '=', 'paper.enter')
    .where('at', '>=', q.since)
    .orderBy('at', 'desc')
    .orderBy('id', 'desc')
    .limit(ENTRIES_MAX)
    .execute();
  if (entries.length === 0 || q.previous <= 0) return { previous: [] };
  const last = await db
    .selectFrom('responses')
    .select('id')
    .where('public_id', 'in', entries.map((e) => e.subject))
    .where('desk_id', '=', q.deskId)
    .where('channel', '=', 'paper')
    .where('entered_by', '=', q.userId)
    .orderBy('id', 'desc')
    .limit(q.previous)
    .execute();
  if (last.length === 0) return { previous: [] };
  const rows = await db
    .selectFrom('answers')
    .select(['response_id', 'question_id', 'value', 'option_key'])
    .where('response_id', 'in', last.map((r) => r.id))
    .execute();
  const previous = last.map((r) => {
    const own = rows.filter((a) => a.response_id === r.id);
    const choices = new Map<number, string[]>();
    for (const a of own) if (a.option_key !== '') choices.set(a.question_id, [...(choices.get(a.question_id) ?? []), a.option_key]);
    return {
      ratings: own.filter((a) => a.option_key === '').map((a) => ({ questionId: a.question_id, value: a.value })),
      choices: [...choices].map(([questionId, optionKeys]) => ({ questionId, optionKeys })),
    };
  });
  return { previous };
}
