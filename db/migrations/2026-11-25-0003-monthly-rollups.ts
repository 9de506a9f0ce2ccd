/**
 * Monthly rollups beside the daily ones: a year of dashboard reads 12 rows per key instead of up to
 * 365, so periods made of whole months stay fast at millions of responses. Written in the same
 * transaction as each response; filled here from the daily rollups that already exist.
 */
import { type Kysely, PostgresAdapter, sql } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- Kysely's documented migration signature
type AnyDb = Kysely<any>;

const clusteredByKey = (db: AnyDb) => (db.getExecutor().adapter instanceof PostgresAdapter ? sql`` : sql`without rowid`);

export async function up(db: AnyDb): Promise<void> {
  await db.schema
    .createTable('monthly_rollups')
    .addColumn('month', 'text', (c) => c.notNull())
    .addColumn('unit_id', 'integer', (c) => c.notNull().references('units.id'))
    .addColumn('desk_id', 'integer', (c) => c.notNull().references('desks.id'))
    .addColumn('field_id', 'integer', (c) => c.notNull().references('fields.id'))
    .addColumn('question_id', 'integer', (c) => c.notNull().references('questions.id'))
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('option_key', 'text', (c) => c.notNull())
    .addColumn('n0', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('n1', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('n2', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('n3', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('n4', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('n5', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('n_chosen', 'integer', (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint('monthly_rollups_pk', ['month', 'unit_id', 'desk_id', 'field_id', 'question_id', 'channel', 'status', 'option_key'])
    .modifyEnd(clusteredByKey(db))
    .execute();

  await db.schema
    .createTable('monthly_responses')
    .addColumn('month', 'text', (c) => c.notNull())
    .addColumn('unit_id', 'integer', (c) => c.notNull().references('units.id'))
    .addColumn('desk_id', 'integer', (c) => c.notNull().references('desks.id'))
    .addColumn('field_id', 'integer', (c) => c.notNull().references('fields.id'))
    .addColumn('questionnaire_id', 'integer', (c) => c.notNull().references('questionnaires.id'))
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('n', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('scored', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('score_sum', 'double precision', (c) => c.notNull().defaultTo(0))
    .addColumn('score_sq', 'double precision', (c) => c.notNull().defaultTo(0))
    .addColumn('all_satisfied', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('item_x', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('item_y', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('item_xx', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('item_yy', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('item_xy', 'integer', (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint('monthly_responses_pk', ['month', 'unit_id', 'desk_id', 'field_id', 'questionnaire_id', 'channel', 'status'])
    .modifyEnd(clusteredByKey(db))
    .execute();

  await sql`
    INSERT INTO monthly_rollups (month, unit_id, desk_id, field_id, question_id, channel, status, option_key, n0, n1, n2, n3, n4, n5, n_chosen)
    SELECT substr(day, 1, 7), unit_id, desk_id, field_id, question_id, channel, status, option_key,
           sum(n0), sum(n1), sum(n2), sum(n3), sum(n4), sum(n5), sum(n_chosen)
    FROM daily_rollups
    GROUP BY substr(day, 1, 7), unit_id, desk_id, field_id, question_id, channel, status, option_key`.execute(db);
  await sql`
    INSERT INTO monthly_responses (month, unit_id, desk_id, field_id, questionnaire_id, channel, status, n, scored, score_sum, score_sq,
                                   all_satisfied, item_x, item_y, item_xx, item_yy, item_xy)
    SELECT substr(day, 1, 7), unit_id, desk_id, field_id, questionnaire_id, channel, status, sum(n), sum(scored), sum(score_sum),
           sum(score_sq), sum(all_satisfied), sum(item_x), sum(item_y), sum(item_xx), sum(item_yy), sum(item_xy)
    FROM daily_responses
    GROUP BY substr(day, 1, 7), unit_id, desk_id, field_id, questionnaire_id, channel, status`.execute(db);
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.dropTable('monthly_responses').execute();
  await db.schema.dropTable('monthly_rollups').execute();
}
