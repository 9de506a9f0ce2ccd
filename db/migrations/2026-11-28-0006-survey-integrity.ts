/**
 * What keeps the results from being stuffed: the signals that flagged a response (kept on it, so the
 * review queue can say why), responses verified by a per-dossier link, desks that ask for the dossier
 * code (one response per dossier), API tokens that may create such links, and the counters of the
 * rate limits, shared by every app server and kept across restarts. Frozen once shipped.
 */
import { type Kysely, sql } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- Kysely's documented migration signature
type AnyDb = Kysely<any>;

export async function up(db: AnyDb): Promise<void> {
  await db.schema.alterTable('responses').addColumn('flags', 'text', (c) => c.notNull().defaultTo('')).execute();
  await db.schema.alterTable('responses').addColumn('verified', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  // One response per dossier: the dossier code is stored only as a keyed hash.
  await db.schema.createIndex('responses_dossier').on('responses').column('dossier_hash').unique().where(sql.ref('dossier_hash'), 'is not', null).execute();
  // The review queue lists flagged responses by desk, newest first.
  await db.schema.createIndex('responses_status_desk').on('responses').columns(['status', 'desk_id', 'id']).execute();

  await db.schema.alterTable('desks').addColumn('requires_dossier', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  await db.schema.alterTable('api_tokens').addColumn('permissions', 'text', (c) => c.notNull().defaultTo('read')).execute();

  await db.schema
    .createTable('rate_counters')
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('time_window', 'text', (c) => c.notNull())
    .addColumn('count', 'integer', (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint('rate_counters_pk', ['key', 'time_window'])
    .execute();
  await db.schema.createIndex('rate_counters_window').on('rate_counters').column('time_window').execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.dropTable('rate_counters').execute();
  await db.schema.alterTable('api_tokens').dropColumn('permissions').execute();
  await db.schema.alterTable('desks').dropColumn('requires_dossier').execute();
  await db.schema.dropIndex('responses_status_desk').execute();
  await db.schema.dropIndex('responses_dossier').execute();
  await db.schema.alterTable('responses').dropColumn('verified').execute();
  await db.schema.alterTable('responses').dropColumn('flags').execute();
}
