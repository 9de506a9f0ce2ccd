/**
 * What a comment copies of its response (migration 0009: day, unit, desk, field, channel, status,
 * submission time and overall rating), checked against the response itself and its answers, read
 * independently of the writers: every path that writes comments or moves responses keeps them equal.
 */
import { type Kysely, sql } from 'kysely';
import type { Database } from '../../db/schema.ts';

/** Comments whose copies differ from their response's columns: [] when all agree. */
export async function commentsOutOfStep(db: Kysely<Database>): Promise<Record<string, unknown>[]> {
  const rows = await db
    .selectFrom('comments')
    .innerJoin('responses as r', 'r.id', 'comments.response_id')
    .select([
      'comments.id', 'comments.created_at', 'comments.local_day', 'comments.unit_id', 'comments.desk_id', 'comments.field_id',
      'comments.channel', 'comments.status', 'comments.overall',
      'r.submitted_at', 'r.local_day as r_local_day', 'r.unit_id as r_unit_id', 'r.desk_id as r_desk_id', 'r.field_id as r_field_id',
      'r.channel as r_channel', 'r.status as r_status',
      sql<number | null>`(select max(a.value) from answers a inner join questions q on q.id = a.question_id
        where a.response_id = r.id and q.role = 'overall' and q.type = 'rating5')`.as('r_overall'),
    ])
    .execute();
  return rows.filter(
    (c) =>
      c.created_at !== c.submitted_at || c.local_day !== c.r_local_day || c.unit_id !== c.r_unit_id || c.desk_id !== c.r_desk_id ||
      c.field_id !== c.r_field_id || c.channel !== c.r_channel || c.status !== c.r_status ||
      (c.overall === null ? null : Number(c.overall)) !== (c.r_overall === null ? null : Number(c.r_overall)),
  );
}
