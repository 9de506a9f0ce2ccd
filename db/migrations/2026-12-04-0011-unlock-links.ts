/**
 * Sign-in unlock links (issue 17): anyone who knows a user name can make that account wait on every
 * browser where it never signed in, so an official with a new phone could be kept out. An
 * administrator hands the owner a one-time link; opened on the new phone, it marks that browser as
 * one where the account signs in (server/auth/known-browser.ts), which is then counted on its own.
 * A table of its own, not password_links: an unlock link must never set a password, and making one
 * must not cancel a set-password link still waiting to be used. Only the token's hash is stored.
 * Frozen once shipped.
 */
import { type ColumnDefinitionBuilder, type Kysely, PostgresAdapter } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- Kysely's documented migration signature
type AnyDb = Kysely<any>;

function idColumn(db: AnyDb): ['integer' | 'serial', (col: ColumnDefinitionBuilder) => ColumnDefinitionBuilder] {
  if (db.getExecutor().adapter instanceof PostgresAdapter) return ['serial', (col) => col.primaryKey()];
  return ['integer', (col) => col.primaryKey().autoIncrement()];
}

export async function up(db: AnyDb): Promise<void> {
  const [idType, idDef] = idColumn(db);
  await db.schema
    .createTable('unlock_links')
    .addColumn('id', idType, idDef)
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
    // SHA-256 of the link's token; the token is shown once, to the administrator who made it.
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('used_at', 'text')
    .addColumn('created_by', 'integer', (c) => c.references('users.id'))
    .execute();
  await db.schema.createIndex('unlock_links_user').on('unlock_links').column('user_id').execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.dropTable('unlock_links').execute();
}
