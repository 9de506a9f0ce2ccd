/**
 * Comments carry what the dashboard filters them by: the response's local day, unit, desk, field,
 * channel and status, and the overall rating the citizen gave (null for "Không ý kiến" or none), so
 * the comment lists and their counts read one table through its own indexes instead of joining every
 * response of the period (a scan that grew with the responses: seconds at a million). created_at was
 * always the response's submission time; the backfill makes that certain, since the lists sort by it.
 * One set-based UPDATE fills the rows written before. Frozen once shipped.
 */
import { type Kysely, sql } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- Kysely's documented migration signature
type AnyDb = Kysely<any>;

export async function up(db: AnyDb): Promise<void> {
  // SQLite adds a NOT NULL column only with a default; the backfill below replaces it at once.
  await db.schema.alterTable('comments').addColumn('local_day', 'text', (c) => c.notNull().defaultTo('')).execute();
  await db.schema.alterTable('comments').addColumn('unit_id', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  await db.schema.alterTable('comments').addColumn('desk_id', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  await db.schema.alterTable('comments').addColumn('field_id', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  await db.schema.alterTable('comments').addColumn('channel', 'text', (c) => c.notNull().defaultTo('')).execute();
  await db.schema.alterTable('comments').addColumn('status', 'text', (c) => c.notNull().defaultTo('ok')).execute();
  await db.schema.alterTable('comments').addColumn('overall', 'integer').execute();

  // UPDATE … FROM: PostgreSQL and SQLite (3.33+) both take this form.
  await sql`update comments set
      created_at = r.submitted_at, local_day = r.local_day, unit_id = r.unit_id, desk_id = r.desk_id,
      field_id = r.field_id, channel = r.channel, status = r.status,
      overall = (select max(a.value) from answers a inner join questions q on q.id = a.question_id
                 where a.response_id = r.id and q.role = 'overall' and q.type = 'rating5')
    from responses r where r.id = comments.response_id`.execute(db);

  // Both indexes hold every filter column, so a comment is matched from the index alone.
  // The count of a period, and the page of a period long past: its days.
  await db.schema.createIndex('comments_day').on('comments').columns(['local_day', ...FILTERS]).execute();
  // The page of a period that is still running: walked from the newest backwards until it is full.
  // It replaces comments_created (created_at alone), which left the filters to the table's rows.
  await db.schema.dropIndex('comments_created').execute();
  await db.schema.createIndex('comments_newest').on('comments').columns(['created_at', 'id', 'local_day', ...FILTERS]).execute();
}

const FILTERS = ['status', 'hidden', 'unit_id', 'field_id', 'desk_id', 'channel', 'overall'];

export async function down(db: AnyDb): Promise<void> {
  await db.schema.dropIndex('comments_newest').execute();
  await db.schema.createIndex('comments_created').on('comments').column('created_at').execute();
  await db.schema.dropIndex('comments_day').execute();
  for (const column of ['overall', 'status', 'channel', 'field_id', 'desk_id', 'unit_id', 'local_day']) {
    await db.schema.alterTable('comments').dropColumn(column).execute();
  }
}
