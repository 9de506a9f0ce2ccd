/**
 * Fields named as the departments that handle them since the 2025 reorganisation (Nghệ An's
 * departments from 1/3/2025: labour and people with meritorious services went to Sở Nội vụ, social
 * protection and children to Sở Y tế, transport to Sở Xây dựng).
 *
 * Answers keep the field they were given under: responses and rollups are never rewritten. So:
 *  - a field whose content did not change keeps its code and only gets today's name
 *    (giao-thong-van-tai: "Đường bộ, đường thủy nội địa");
 *  - a field the reorganisation split (lao-dong-xa-hoi, now two departments) is retired: it stays,
 *    with its old answers and a name that says it is the former field, but no desk offers it any
 *    more; two new fields take over, and every desk that served it now serves both, in its place.
 * A name an administrator already changed by hand is left alone. The words are copied here, not
 * read from fields.json, because a migration is frozen once shipped. `down` restores the names and
 * drops the column; the new fields and the desks' links stay (they may already have answers).
 */
import { type Kysely, sql } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- Kysely's documented migration signature
type AnyDb = Kysely<any>;

const RENAMED = [
  { code: 'giao-thong-van-tai', before: ['Giao thông vận tải', 'Transport'], after: ['Đường bộ, đường thủy nội địa', 'Road and inland waterway transport'] },
  {
    code: 'lao-dong-xa-hoi',
    before: ['Lao động, Thương binh và Xã hội', 'Labour and social affairs'],
    after: ['Lao động, Thương binh và Xã hội (lĩnh vực cũ)', 'Labour, invalids and social affairs (former field)'],
  },
];

const RETIRED = 'lao-dong-xa-hoi';
const SUCCESSORS = [
  { code: 'lao-dong-viec-lam', name_vi: 'Lao động, việc làm, người có công', name_en: 'Labour, employment, people with meritorious services' },
  { code: 'bao-tro-xa-hoi', name_vi: 'Bảo trợ xã hội, trẻ em', name_en: 'Social protection and children' },
];

/** The order of db/seed/fields.json at this migration, the retired field last. */
const POSITIONS = [
  'dat-dai', 'xay-dung', 'dau-tu', 'dang-ky-kinh-doanh', 'tu-phap-ho-tich', 'lao-dong-viec-lam', 'bao-tro-xa-hoi',
  'giao-thong-van-tai', 'nong-nghiep-moi-truong', 'hanh-chinh-khac', 'y-te', 'giao-duc', 'lao-dong-xa-hoi',
];

async function rename(db: AnyDb, code: string, from: string[], to: string[]): Promise<void> {
  const [fromVi, fromEn] = from;
  const [toVi, toEn] = to;
  await db.updateTable('fields').set({ name_vi: toVi }).where('code', '=', code).where('name_vi', '=', fromVi).execute();
  await db.updateTable('fields').set({ name_en: toEn }).where('code', '=', code).where('name_en', '=', fromEn).execute();
}

export async function up(db: AnyDb): Promise<void> {
  // 1 = offered for desks; 0 = kept for the answers given under it, offered no more.
  await db.schema.alterTable('fields').addColumn('active', 'integer', (c) => c.notNull().defaultTo(1)).execute();
  for (const r of RENAMED) await rename(db, r.code, r.before, r.after);

  // An empty database (a new installation) has no fields yet: seeding fills them from fields.json.
  const retired = await db.selectFrom('fields').select('id').where('code', '=', RETIRED).executeTakeFirst();
  if (retired) {
    const successorIds: number[] = [];
    for (const s of SUCCESSORS) {
      const found = await db.selectFrom('fields').select('id').where('code', '=', s.code).executeTakeFirst();
      if (found) {
        successorIds.push(Number(found.id));
        continue;
      }
      const inserted = await db
        .insertInto('fields')
        .values({ ...s, field_group: 'tthc', position: POSITIONS.indexOf(s.code) })
        .returning('id')
        .executeTakeFirstOrThrow();
      successorIds.push(Number(inserted.id));
    }
    await db.updateTable('fields').set({ active: 0 }).where('id', '=', retired.id).execute();

    const links = (await db.selectFrom('desk_fields').select(['desk_id', 'position']).where('field_id', '=', retired.id).execute()) as {
      desk_id: number;
      position: number;
    }[];
    for (const link of links) {
      const served = new Set(
        ((await db.selectFrom('desk_fields').select('field_id').where('desk_id', '=', link.desk_id).execute()) as { field_id: number }[]).map((r) => r.field_id),
      );
      const added = successorIds.filter((id) => !served.has(id));
      // Room right after the retired field's place, so the citizen's list keeps its order.
      await db
        .updateTable('desk_fields')
        .set({ position: sql`${sql.ref('position')} + ${added.length}` })
        .where('desk_id', '=', link.desk_id)
        .where('position', '>', link.position)
        .execute();
      await db.deleteFrom('desk_fields').where('desk_id', '=', link.desk_id).where('field_id', '=', retired.id).execute();
      if (added.length > 0) {
        await db
          .insertInto('desk_fields')
          .values(added.map((field_id, i) => ({ desk_id: link.desk_id, field_id, position: link.position + i })))
          .execute();
      }
    }
  }

  for (const [position, code] of POSITIONS.entries()) {
    await db.updateTable('fields').set({ position }).where('code', '=', code).execute();
  }
}

export async function down(db: AnyDb): Promise<void> {
  for (const r of RENAMED) await rename(db, r.code, r.after, r.before);
  await db.schema.alterTable('fields').dropColumn('active').execute();
}
