/**
 * The survey's tables: reference data, desks, responses and their rollups.
 * Frozen once shipped: a change of schema is a new dated migration, never an edit here.
 * Dialect-neutral: the only difference is how an id is generated.
 */
import { type ColumnDefinitionBuilder, type Kysely, PostgresAdapter, sql } from 'kysely';

// Migrations must not import app code, so they see the database untyped.
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- Kysely's documented migration signature
type AnyDb = Kysely<any>;

const isPostgres = (db: AnyDb) => db.getExecutor().adapter instanceof PostgresAdapter;

/**
 * SQLite stores the rollups clustered by their primary key (day first), so a period's sums read
 * consecutive pages instead of an index and then the table. PostgreSQL has no such option.
 */
const clusteredByKey = (db: AnyDb) => (isPostgres(db) ? sql`` : sql`without rowid`);

function idColumn(db: AnyDb): ['integer' | 'serial', (col: ColumnDefinitionBuilder) => ColumnDefinitionBuilder] {
  if (isPostgres(db)) return ['serial', (col) => col.primaryKey()];
  return ['integer', (col) => col.primaryKey().autoIncrement()];
}

export async function up(db: AnyDb): Promise<void> {
  const [idType, idDef] = idColumn(db);

  await db.schema
    .createTable('settings')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('units')
    .addColumn('id', idType, idDef)
    .addColumn('code', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('parent_id', 'integer', (c) => c.references('units.id'))
    .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('units_parent').on('units').column('parent_id').execute();

  await db.schema
    .createTable('fields')
    .addColumn('id', idType, idDef)
    .addColumn('code', 'text', (c) => c.notNull().unique())
    .addColumn('name_vi', 'text', (c) => c.notNull())
    .addColumn('name_en', 'text', (c) => c.notNull())
    .addColumn('field_group', 'text', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('questionnaires')
    .addColumn('id', idType, idDef)
    .addColumn('code', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('title_vi', 'text', (c) => c.notNull())
    .addColumn('title_en', 'text', (c) => c.notNull())
    .addColumn('intro_vi', 'text', (c) => c.notNull())
    .addColumn('intro_en', 'text', (c) => c.notNull())
    .addColumn('locked', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('questionnaires_code_version', ['code', 'version'])
    .execute();

  await db.schema
    .createTable('elements')
    .addColumn('id', idType, idDef)
    .addColumn('questionnaire_id', 'integer', (c) => c.notNull().references('questionnaires.id').onDelete('cascade'))
    .addColumn('code', 'text', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('name_vi', 'text', (c) => c.notNull())
    .addColumn('name_en', 'text', (c) => c.notNull())
    .addUniqueConstraint('elements_questionnaire_code', ['questionnaire_id', 'code'])
    .execute();

  await db.schema
    .createTable('questions')
    .addColumn('id', idType, idDef)
    .addColumn('questionnaire_id', 'integer', (c) => c.notNull().references('questionnaires.id').onDelete('cascade'))
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('element_code', 'text')
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('text_vi', 'text', (c) => c.notNull())
    .addColumn('text_en', 'text', (c) => c.notNull())
    .addColumn('required', 'integer', (c) => c.notNull())
    .addColumn('allow_no_opinion', 'integer', (c) => c.notNull())
    .addColumn('max_choices', 'integer')
    .addColumn('options_json', 'text')
    .addUniqueConstraint('questions_questionnaire_key', ['questionnaire_id', 'key'])
    .execute();

  await db.schema
    .createTable('desks')
    .addColumn('id', idType, idDef)
    .addColumn('unit_id', 'integer', (c) => c.notNull().references('units.id'))
    .addColumn('code', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('questionnaire_id', 'integer', (c) => c.notNull().references('questionnaires.id'))
    .addColumn('token_version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('desks_unit_code', ['unit_id', 'code'])
    .execute();

  await db.schema
    .createTable('desk_fields')
    .addColumn('desk_id', 'integer', (c) => c.notNull().references('desks.id').onDelete('cascade'))
    .addColumn('field_id', 'integer', (c) => c.notNull().references('fields.id'))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('desk_fields_pk', ['desk_id', 'field_id'])
    .execute();

  await db.schema
    .createTable('responses')
    .addColumn('id', idType, idDef)
    .addColumn('public_id', 'text', (c) => c.notNull().unique())
    .addColumn('questionnaire_id', 'integer', (c) => c.notNull().references('questionnaires.id'))
    .addColumn('unit_id', 'integer', (c) => c.notNull().references('units.id'))
    .addColumn('desk_id', 'integer', (c) => c.notNull().references('desks.id'))
    .addColumn('field_id', 'integer', (c) => c.notNull().references('fields.id'))
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('submitted_at', 'text', (c) => c.notNull())
    .addColumn('local_day', 'text', (c) => c.notNull())
    .addColumn('lang', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('dossier_hash', 'text')
    .addColumn('seconds_taken', 'integer')
    .execute();
  // Respondent-level figures filter by period first, then by unit or desk.
  await db.schema.createIndex('responses_day').on('responses').columns(['local_day', 'unit_id']).execute();
  await db.schema.createIndex('responses_desk_day').on('responses').columns(['desk_id', 'local_day']).execute();

  await db.schema
    .createTable('answers')
    .addColumn('id', idType, idDef)
    .addColumn('response_id', 'integer', (c) => c.notNull().references('responses.id').onDelete('cascade'))
    .addColumn('question_id', 'integer', (c) => c.notNull().references('questions.id'))
    .addColumn('value', 'integer')
    .addColumn('option_key', 'text', (c) => c.notNull().defaultTo(''))
    .execute();
  await db.schema.createIndex('answers_response').on('answers').columns(['response_id', 'question_id']).execute();

  await db.schema
    .createTable('comments')
    .addColumn('id', idType, idDef)
    .addColumn('response_id', 'integer', (c) => c.notNull().references('responses.id').onDelete('cascade'))
    .addColumn('question_id', 'integer', (c) => c.notNull().references('questions.id'))
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('hidden', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('comments_response').on('comments').column('response_id').execute();

  await db.schema
    .createTable('daily_rollups')
    .addColumn('day', 'text', (c) => c.notNull())
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
    .addPrimaryKeyConstraint('daily_rollups_pk', [
      'day', 'unit_id', 'desk_id', 'field_id', 'question_id', 'channel', 'status', 'option_key',
    ])
    .modifyEnd(clusteredByKey(db))
    .execute();
  await db.schema.createIndex('daily_rollups_question_day').on('daily_rollups').columns(['question_id', 'day']).execute();

  await db.schema
    .createTable('daily_responses')
    .addColumn('day', 'text', (c) => c.notNull())
    .addColumn('unit_id', 'integer', (c) => c.notNull().references('units.id'))
    .addColumn('desk_id', 'integer', (c) => c.notNull().references('desks.id'))
    .addColumn('field_id', 'integer', (c) => c.notNull().references('fields.id'))
    .addColumn('questionnaire_id', 'integer', (c) => c.notNull().references('questionnaires.id'))
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('n', 'integer', (c) => c.notNull().defaultTo(0))
    // Respondent-level moments, so composite intervals never need the raw answers (see schema.ts).
    .addColumn('scored', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('score_sum', 'double precision', (c) => c.notNull().defaultTo(0))
    .addColumn('score_sq', 'double precision', (c) => c.notNull().defaultTo(0))
    .addColumn('all_satisfied', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('item_x', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('item_y', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('item_xx', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('item_yy', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('item_xy', 'integer', (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint('daily_responses_pk', [
      'day', 'unit_id', 'desk_id', 'field_id', 'questionnaire_id', 'channel', 'status',
    ])
    .modifyEnd(clusteredByKey(db))
    .execute();

  await db.schema
    .createTable('used_nonces')
    .addColumn('nonce', 'text', (c) => c.primaryKey())
    .addColumn('response_id', 'integer', (c) => c.notNull().references('responses.id').onDelete('cascade'))
    .addColumn('used_at', 'text', (c) => c.notNull())
    .execute();
}

export async function down(db: AnyDb): Promise<void> {
  for (const table of [
    'used_nonces', 'daily_responses', 'daily_rollups', 'comments', 'answers', 'responses',
    'desk_fields', 'desks', 'questions', 'elements', 'questionnaires', 'fields', 'units', 'settings',
  ]) {
    await db.schema.dropTable(table).execute();
  }
}
