/**
 * Staff accounts that hold when a backup leaks or someone guesses: sessions are kept under the
 * SHA-256 of their id (a backup's rows cannot be turned back into cookies), API tokens expire,
 * and failed sign-ins are counted in the database (shared by every app server, kept across
 * restarts) under keyed hashes of the account and of the client address. Frozen once shipped,
 * like every migration.
 */
import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- Kysely's documented migration signature
type AnyDb = Kysely<any>;

/** Tokens made before expiry existed get the default lifetime, counted from when they were made. */
const EXISTING_TOKEN_DAYS = 365;

export async function up(db: AnyDb): Promise<void> {
  // Rows keyed by a clear session id cannot be hashed in portable SQL: everyone signs in once more.
  await db.deleteFrom('sessions').execute();
  await db.schema.alterTable('sessions').renameColumn('sid', 'sid_hash').execute();

  // SQLite adds a NOT NULL column only with a default; every row gets a real date just below.
  await db.schema.alterTable('api_tokens').addColumn('expires_at', 'text', (c) => c.notNull().defaultTo('9999-12-31T23:59:59.999Z')).execute();
  const tokens = (await db.selectFrom('api_tokens').select(['id', 'created_at']).execute()) as { id: number; created_at: string }[];
  for (const token of tokens) {
    const expires = new Date(Date.parse(token.created_at) + EXISTING_TOKEN_DAYS * 86_400_000).toISOString();
    await db.updateTable('api_tokens').set({ expires_at: expires }).where('id', '=', token.id).execute();
  }

  await db.schema
    .createTable('sign_in_throttle')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('failures', 'integer', (c) => c.notNull())
    .addColumn('window_start', 'text', (c) => c.notNull())
    .addColumn('last_failure_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('sign_in_throttle_last').on('sign_in_throttle').column('last_failure_at').execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.dropTable('sign_in_throttle').execute();
  await db.schema.alterTable('api_tokens').dropColumn('expires_at').execute();
  await db.deleteFrom('sessions').execute();
  await db.schema.alterTable('sessions').renameColumn('sid_hash', 'sid').execute();
}
