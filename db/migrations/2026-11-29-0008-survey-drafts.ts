/**
 * Drafts of survey forms that came back for a correction (or a change of language): the answers
 * given so far and the messages, kept for a short while under a random id, so the page the citizen
 * sees is the result of a GET (Back and reload never ask to send a form again) and any app server can
 * show it. Deleted once older than the form's lifetime. Frozen once shipped.
 */
import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- Kysely's documented migration signature
type AnyDb = Kysely<any>;

export async function up(db: AnyDb): Promise<void> {
  await db.schema
    .createTable('survey_drafts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('desk_id', 'integer', (c) => c.notNull())
    // The signed form token, as it was: the draft is answered with the same single-use token.
    .addColumn('form_token', 'text', (c) => c.notNull())
    .addColumn('answers_json', 'text', (c) => c.notNull())
    .addColumn('errors_json', 'text', (c) => c.notNull())
    .addColumn('expired', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('survey_drafts_created').on('survey_drafts').column('created_at').execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.dropTable('survey_drafts').execute();
}
