/** Survey drafts: a form's answers and messages between a POST that needs a correction and the GET that shows them. */
import type { Kysely } from 'kysely';
import type { Database } from '../schema.ts';

export interface SurveyDraft {
  deskId: number;
  formToken: string;
  answers: Record<string, string[]>;
  errors: Record<string, { message: string; params?: Record<string, string | number> }>;
  expired: boolean;
}

/** Deletes drafts older than `before` at most once per this many saves (a cheap indexed delete). */
const PRUNE_EVERY = 50;
let saves = 0;

export async function saveDraft(db: Kysely<Database>, id: string, draft: SurveyDraft, at: string, before: string): Promise<void> {
  await db
    .insertInto('survey_drafts')
    .values({
      id,
      desk_id: draft.deskId,
      form_token: draft.formToken,
      answers_json: JSON.stringify(draft.answers),
      errors_json: JSON.stringify(draft.errors),
      expired: draft.expired ? 1 : 0,
      created_at: at,
    })
    .execute();
  if (++saves % PRUNE_EVERY === 1) await db.deleteFrom('survey_drafts').where('created_at', '<', before).execute();
}

/** A draft of this desk saved at or after `since`, if any. */
export async function findDraft(db: Kysely<Database>, id: string, deskId: number, since: string): Promise<SurveyDraft | undefined> {
  const row = await db.selectFrom('survey_drafts').selectAll().where('id', '=', id).where('desk_id', '=', deskId).where('created_at', '>=', since).executeTakeFirst();
  if (!row) return undefined;
  return {
    deskId: row.desk_id,
    formToken: row.form_token,
    answers: JSON.parse(row.answers_json) as SurveyDraft['answers'],
    errors: JSON.parse(row.errors_json) as SurveyDraft['errors'],
    expired: row.expired === 1,
  };
}
