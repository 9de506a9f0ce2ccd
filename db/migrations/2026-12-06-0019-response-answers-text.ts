/**
 * Each response keeps its answers as one line of text beside it (issue 23, item 1): "questionId=value"
 * parts joined by ',' (a rating's 1-5, '' for "no opinion"; a choice's option key, one part per option
 * chosen), written in the same statement as the response. The export copies it instead of gathering
 * the `answers` rows of every response (a correlated `string_agg`: two thirds of the export's time on
 * SQLite, 14 µs a row on PostgreSQL). The `answers` rows stay what the figures are counted from;
 * answers are never changed after they are stored, so the two cannot drift apart.
 *
 * Responses stored before this migration get the same line from their `answers` rows here, in one
 * statement (5 s for 300,000 responses on SQLite). On PostgreSQL it runs inside the migrations'
 * transaction, without the pool's per-statement limit (30 s by default), which a province's million
 * responses could pass: a server that could never finish its upgrade would never start. Submissions
 * wait for the migration meanwhile (the new column locks the table until it commits).
 *
 * A response written without the line (an app server still on the previous release during an
 * upgrade of several) keeps '': the export then gathers its answers from the rows (db/queries/export.ts).
 */
import { type Kysely, PostgresAdapter, sql } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- Kysely's documented migration signature
type AnyDb = Kysely<any>;

export async function up(db: AnyDb): Promise<void> {
  await db.schema.alterTable('responses').addColumn('answers_text', 'text', (c) => c.notNull().defaultTo('')).execute();
  if (db.getExecutor().adapter instanceof PostgresAdapter) await sql`set local statement_timeout = 0`.execute(db);
  // Both databases have string_agg (SQLite since 3.44). The parts' order does not matter to the export.
  await sql`
    update responses set answers_text = coalesce((
      select string_agg(cast(answers.question_id as text) || '=' || coalesce(cast(answers.value as text), answers.option_key), ',')
      from answers where answers.response_id = responses.id
    ), '')`.execute(db);
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.alterTable('responses').dropColumn('answers_text').execute();
}
