/**
 * Dossier counts from the one-stop software (issue 20): per local day, desk, field and channel of
 * submission, how many dossiers (hồ sơ TTHC) were received, resolved, resolved on time or late, late
 * with an apology letter, past due and unresolved at the end of the day (the backlog), and how many
 * drew a complaint or feedback. They are the plan's other targets (2228/QĐ-UBND items 3 and 7) and the
 * denominators of response rates. One row per key; a re-import of the same days and desks replaces
 * them (db/queries/dossier-counts.ts). Counts are whole dossiers, never samples. Frozen once shipped.
 */
import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- Kysely's documented migration signature
type AnyDb = Kysely<any>;

export async function up(db: AnyDb): Promise<void> {
  await db.schema
    .createTable('dossier_counts')
    // The local day (Asia/Ho_Chi_Minh), YYYY-MM-DD.
    .addColumn('day', 'text', (c) => c.notNull())
    .addColumn('desk_id', 'integer', (c) => c.notNull().references('desks.id'))
    .addColumn('field_id', 'integer', (c) => c.notNull().references('fields.id'))
    // 'in_person' (trực tiếp), 'online' (trực tuyến), 'post' (bưu chính): QĐ 766's channels 1, 2, 3.
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('received', 'integer', (c) => c.notNull())
    .addColumn('resolved', 'integer', (c) => c.notNull())
    .addColumn('on_time', 'integer', (c) => c.notNull())
    .addColumn('late', 'integer', (c) => c.notNull())
    .addColumn('apologised', 'integer', (c) => c.notNull())
    .addColumn('backlog', 'integer', (c) => c.notNull())
    .addColumn('complaints', 'integer', (c) => c.notNull())
    .addColumn('imported_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('dossier_counts_pk', ['day', 'desk_id', 'field_id', 'channel'])
    .execute();
  await db.schema.createIndex('dossier_counts_desk_day').on('dossier_counts').columns(['desk_id', 'day']).execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.dropTable('dossier_counts').execute();
}
