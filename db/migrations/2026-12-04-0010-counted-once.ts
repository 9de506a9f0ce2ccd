/**
 * Counted once, by a citizen (issue 16): counter tablets registered one by one on their desk's page
 * (so each can be revoked alone, and its responses are known to come from that tablet), who typed a
 * paper form (so the review queue names them and they cannot keep their own forms), which tablet a
 * kiosk response came from, and every per-dossier link the one-stop software asked for (which token,
 * when, and whether it came too fast to be a real receipt). Frozen once shipped.
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
    .createTable('kiosks')
    .addColumn('id', idType, idDef)
    .addColumn('desk_id', 'integer', (c) => c.notNull().references('desks.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('created_by', 'integer')
    .addColumn('revoked_at', 'text')
    .execute();
  await db.schema.createIndex('kiosks_desk').on('kiosks').column('desk_id').execute();

  // The account that typed a paper form in; null for every other channel.
  await db.schema.alterTable('responses').addColumn('entered_by', 'integer').execute();
  // The registered tablet a kiosk response came from; null for every other channel.
  await db.schema.alterTable('responses').addColumn('kiosk_id', 'integer').execute();

  await db.schema
    .createTable('dossier_links')
    // The link's form nonce: one per dossier, however many receipts are printed.
    .addColumn('nonce', 'text', (c) => c.primaryKey())
    .addColumn('desk_id', 'integer', (c) => c.notNull())
    .addColumn('token_id', 'integer', (c) => c.notNull())
    .addColumn('issued_at', 'text', (c) => c.notNull())
    // Signals of the request that made it (comma-separated, '' for none): its response is then not verified.
    .addColumn('flags', 'text', (c) => c.notNull().defaultTo(''))
    .execute();
  await db.schema.createIndex('dossier_links_token_desk').on('dossier_links').columns(['token_id', 'desk_id', 'issued_at']).execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.dropTable('dossier_links').execute();
  await db.schema.alterTable('responses').dropColumn('kiosk_id').execute();
  await db.schema.alterTable('responses').dropColumn('entered_by').execute();
  await db.schema.dropTable('kiosks').execute();
}
