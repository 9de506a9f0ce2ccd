/**
 * What the administration pages need: one-time links to set a password, sessions that know their
 * user (so disabling an account ends them), targets marked as confirmed or still a copied default,
 * audit entries with the state before and after, a data-entry grant for paper forms, and short
 * question labels for charts. Frozen once shipped, like every migration.
 */
import { type ColumnDefinitionBuilder, type Kysely, PostgresAdapter, sql } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- Kysely's documented migration signature
type AnyDb = Kysely<any>;

function idColumn(db: AnyDb): ['integer' | 'serial', (col: ColumnDefinitionBuilder) => ColumnDefinitionBuilder] {
  if (db.getExecutor().adapter instanceof PostgresAdapter) return ['serial', (col) => col.primaryKey()];
  return ['integer', (col) => col.primaryKey().autoIncrement()];
}

export async function up(db: AnyDb): Promise<void> {
  const [idType, idDef] = idColumn(db);

  await db.schema
    .createTable('password_links')
    .addColumn('id', idType, idDef)
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('purpose', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('used_at', 'text')
    .addColumn('created_by', 'integer', (c) => c.references('users.id'))
    .execute();

  await db.schema.alterTable('sessions').addColumn('user_id', 'integer').execute();
  await db.schema.createIndex('sessions_user').on('sessions').column('user_id').execute();

  await db.schema.alterTable('targets').addColumn('confirmed', 'integer', (c) => c.notNull().defaultTo(1)).execute();
  await db.schema.alterTable('targets').addColumn('updated_at', 'text').execute();
  // No foreign key: SQLite cannot drop a column that has one, and `down` must work on both.
  await db.schema.alterTable('targets').addColumn('updated_by', 'integer').execute();
  // The defaults seeded for later years say so in their source: they wait for someone to confirm them.
  await sql`update targets set confirmed = 0 where source like '%copied from%'`.execute(db);

  await db.schema.alterTable('audit_log').addColumn('before_json', 'text').execute();
  await db.schema.alterTable('audit_log').addColumn('after_json', 'text').execute();
  await db.schema.createIndex('audit_log_user_at').on('audit_log').columns(['user_id', 'at']).execute();

  await db.schema.alterTable('users').addColumn('paper_entry', 'integer', (c) => c.notNull().defaultTo(0)).execute();

  await db.schema.alterTable('questions').addColumn('short_vi', 'text').execute();
  await db.schema.alterTable('questions').addColumn('short_en', 'text').execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.alterTable('questions').dropColumn('short_en').execute();
  await db.schema.alterTable('questions').dropColumn('short_vi').execute();
  await db.schema.alterTable('users').dropColumn('paper_entry').execute();
  await db.schema.dropIndex('audit_log_user_at').execute();
  await db.schema.alterTable('audit_log').dropColumn('after_json').execute();
  await db.schema.alterTable('audit_log').dropColumn('before_json').execute();
  await db.schema.alterTable('targets').dropColumn('updated_by').execute();
  await db.schema.alterTable('targets').dropColumn('updated_at').execute();
  await db.schema.alterTable('targets').dropColumn('confirmed').execute();
  await db.schema.dropIndex('sessions_user').execute();
  await db.schema.alterTable('sessions').dropColumn('user_id').execute();
  await db.schema.dropTable('password_links').execute();
}
