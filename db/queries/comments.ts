import type { Kysely } from 'kysely';
import type { Database } from '../schema.ts';
import type { RollupFilter } from './analytics.ts';
import { responsesMatching } from './response-filter.ts';

export interface CommentRow {
  id: number;
  text: string;
  hidden: boolean;
  day: string;
  unitId: number;
  unitName: string;
  deskName: string;
  fieldId: number;
}

/** The newest comments matching the dashboard's filters; hidden ones only when asked for. */
export async function latestComments(
  db: Kysely<Database>,
  filter: RollupFilter,
  opts: { limit: number; includeHidden: boolean },
): Promise<CommentRow[]> {
  let q = db
    .selectFrom('comments')
    .innerJoin('responses', 'responses.id', 'comments.response_id')
    .innerJoin('units', 'units.id', 'responses.unit_id')
    .innerJoin('desks', 'desks.id', 'responses.desk_id')
    .select([
      'comments.id', 'comments.text', 'comments.hidden', 'responses.local_day', 'responses.unit_id',
      'units.name as unit_name', 'desks.name as desk_name', 'responses.field_id',
    ])
    .where(responsesMatching(filter));
  if (!opts.includeHidden) q = q.where('comments.hidden', '=', 0);
  const rows = await q.orderBy('comments.id', 'desc').limit(opts.limit).execute();
  return rows.map((r) => ({
    id: r.id,
    text: r.text,
    hidden: r.hidden === 1,
    day: r.local_day,
    unitId: r.unit_id,
    unitName: r.unit_name,
    deskName: r.desk_name,
    fieldId: r.field_id,
  }));
}

export async function commentUnit(db: Kysely<Database>, commentId: number): Promise<number | undefined> {
  const row = await db
    .selectFrom('comments')
    .innerJoin('responses', 'responses.id', 'comments.response_id')
    .select('responses.unit_id')
    .where('comments.id', '=', commentId)
    .executeTakeFirst();
  return row?.unit_id;
}

/** Hiding keeps the comment in the database: it only leaves the dashboard and public pages. */
export async function setCommentHidden(db: Kysely<Database>, commentId: number, hidden: boolean): Promise<void> {
  await db.updateTable('comments').set({ hidden: hidden ? 1 : 0 }).where('id', '=', commentId).execute();
}
