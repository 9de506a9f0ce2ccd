/**
 * Citizens' comments as staff read and moderate them: newest first by submission time, picked by the
 * same filters as the numbers beside them (response-filter.ts), with the overall rating each gave.
 */
import { type Kysely, sql } from 'kysely';
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
  /** The response's answer to the overall question (1..5); null for "Không ý kiến" or none. */
  overall: number | null;
}

export interface CommentQuery {
  includeHidden: boolean;
  /** Only comments whose response gave this overall rating (1..5). */
  overall: number | null;
  offset: number;
  limit: number;
}

/** The answer to the response's overall rating question: one per response (questionnaires have one). */
const overallAnswer = sql<number | null>`(select max(answers.value) from answers inner join questions on questions.id = answers.question_id
  where answers.response_id = responses.id and questions.role = 'overall' and questions.type = 'rating5')`;

function commentsMatching(db: Kysely<Database>, filter: RollupFilter, opts: Pick<CommentQuery, 'includeHidden' | 'overall'>) {
  let q = db
    .selectFrom('comments')
    .innerJoin('responses', 'responses.id', 'comments.response_id')
    .where(responsesMatching(filter));
  if (!opts.includeHidden) q = q.where('comments.hidden', '=', 0);
  if (opts.overall !== null) q = q.where(overallAnswer, '=', opts.overall);
  return q;
}

/** One page of comments, newest submission first, and how many match in all. */
export async function commentPage(db: Kysely<Database>, filter: RollupFilter, opts: CommentQuery): Promise<{ total: number; rows: CommentRow[] }> {
  const [count, rows] = await Promise.all([
    commentsMatching(db, filter, opts).select((eb) => eb.fn.countAll<number | string>().as('n')).executeTakeFirstOrThrow(),
    commentsMatching(db, filter, opts)
      .innerJoin('units', 'units.id', 'responses.unit_id')
      .innerJoin('desks', 'desks.id', 'responses.desk_id')
      .select([
        'comments.id', 'comments.text', 'comments.hidden', 'responses.local_day', 'responses.unit_id',
        'units.name as unit_name', 'desks.name as desk_name', 'responses.field_id', overallAnswer.as('overall'),
      ])
      .orderBy('responses.submitted_at', 'desc')
      .orderBy('comments.id', 'desc')
      .offset(opts.offset)
      .limit(opts.limit)
      .execute(),
  ]);
  return {
    total: Number(count.n),
    rows: rows.map((r) => ({
      id: r.id,
      text: r.text,
      hidden: r.hidden === 1,
      day: r.local_day,
      unitId: r.unit_id,
      unitName: r.unit_name,
      deskName: r.desk_name,
      fieldId: r.field_id,
      overall: r.overall === null ? null : Number(r.overall),
    })),
  };
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
