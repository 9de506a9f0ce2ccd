/**
 * Citizens' comments as staff read and moderate them: newest first by submission time, picked by the
 * same filters as the numbers beside them (response-filter.ts), with the overall rating each gave.
 * Each comment carries the columns of its response that those filters and that order need (copied
 * by `commentRow`, the one way a comment row is built), so the lists read the comments table alone.
 */
import { type Kysely, type Transaction } from 'kysely';
import type { Value } from '../bulk.ts';
import type { Channel, Database, ResponseStatus } from '../schema.ts';
import type { RollupFilter } from './analytics.ts';
import { historyVersion, openVersion, touchHistory } from './history.ts';
import { responsesMatching } from './response-filter.ts';
import { within } from './within.ts';

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

/** What a comment copies of its response. */
export interface CommentResponse {
  submittedAt: string;
  localDay: string;
  unitId: number;
  deskId: number;
  fieldId: number;
  channel: Channel;
  status: ResponseStatus;
  /** The answer to the overall question (`overallRating`). */
  overall: number | null;
}

export const COMMENT_COLUMNS = ['response_id', 'question_id', 'text', 'created_at', 'local_day', 'unit_id', 'desk_id', 'field_id', 'channel', 'status', 'overall'] as const;

/** One comment as a row of COMMENT_COLUMNS: every writer of comments goes through here. */
export function commentRow(responseId: number, questionId: number, text: string, r: CommentResponse): Value[] {
  return [responseId, questionId, text, r.submittedAt, r.localDay, r.unitId, r.deskId, r.fieldId, r.channel, r.status, r.overall];
}

type Db = Kysely<Database> | Transaction<Database>;

/** The questions that hold a response's overall rating (role 'overall', type 'rating5'), of these questionnaires. */
export async function overallQuestions(db: Db, questionnaireIds: number[]): Promise<Set<number>> {
  if (questionnaireIds.length === 0) return new Set();
  const rows = await db
    .selectFrom('questions')
    .select('id')
    .where('questionnaire_id', 'in', questionnaireIds)
    .where('role', '=', 'overall')
    .where('type', '=', 'rating5')
    .execute();
  return new Set(rows.map((r) => r.id));
}

/** A response's overall rating from its ratings: the highest given to an overall question (there is one), null for none. */
export function overallRating(ratings: { questionId: number; value: number | null }[], overallIds: Set<number>): number | null {
  let overall: number | null = null;
  for (const r of ratings) if (r.value !== null && overallIds.has(r.questionId) && (overall === null || r.value > overall)) overall = r.value;
  return overall;
}

/** A response's comments follow it between statuses (review queue), in the caller's transaction. */
export async function moveCommentStatus(trx: Transaction<Database>, responseIds: number[], status: ResponseStatus): Promise<void> {
  const CHUNK = 500;
  for (let i = 0; i < responseIds.length; i += CHUNK) {
    await trx.updateTable('comments').set({ status }).where('response_id', 'in', responseIds.slice(i, i + CHUNK)).execute();
  }
}

/**
 * `walk`: the page is found by walking comments_newest from the newest comment backwards until the
 * page is full, the period's days only checked on each index entry, not searched (response-filter.ts
 * `daysChecked` keeps the planner of either database from reading every comment of the period
 * through comments_day and sorting them). For a period still running that is a few hundred entries
 * whatever its size; for one that ended, every comment since it ended as well (`walkFor`).
 */
function commentsMatching(db: Kysely<Database>, filter: RollupFilter, opts: Pick<CommentQuery, 'includeHidden' | 'overall'>, walk = false) {
  let q = db.selectFrom('comments').where(responsesMatching(filter, { table: 'comments', daysChecked: walk }));
  if (!opts.includeHidden) q = q.where('comments.hidden', '=', 0);
  if (opts.overall !== null) q = q.where('comments.overall', '=', opts.overall);
  return q;
}

const DAY_MS = 86_400_000;

/**
 * Whether walking from the newest comment is cheaper than sorting the period's comments: while the
 * time since the period ended is no longer than the period itself (a running period, last year seen
 * in November). A short period long past (one day last year) is sorted.
 */
function walkFor(filter: RollupFilter): boolean {
  if (filter.today === undefined || filter.to >= filter.today) return true;
  return Date.parse(filter.today) - Date.parse(filter.to) <= Date.parse(filter.to) - Date.parse(filter.from) + DAY_MS;
}

/**
 * Counts by filter, with the versions they were counted at (history.ts): a comment comes with a
 * response (openVersion, or touchHistory for an earlier day), hiding one and moving a response touch
 * the history. Until then the dashboard counts nothing again, however many comments the period holds.
 */
const counts = new Map<string, { version: string; n: number }>();
const COUNTS_KEPT = 500;

async function commentCount(db: Kysely<Database>, filter: RollupFilter, opts: CommentQuery): Promise<number> {
  const count = async () =>
    Number((await commentsMatching(db, filter, opts).select((eb) => eb.fn.countAll<number | string>().as('n')).executeTakeFirstOrThrow()).n);
  if (filter.today === undefined) return count();
  const version = `${await historyVersion(db)}|${await openVersion(db, filter.today)}`;
  const key = JSON.stringify([filter.from, filter.to, filter.unitIds, filter.fieldIds, filter.deskId, filter.channel, filter.statuses, opts.includeHidden, opts.overall]);
  const kept = counts.get(key);
  if (kept?.version === version) return kept.n;
  const n = await count();
  counts.delete(key);
  if (counts.size >= COUNTS_KEPT) counts.delete(counts.keys().next().value as string);
  counts.set(key, { version, n });
  return n;
}

/** One page of comments, newest submission first, and how many match in all. */
export async function commentPage(db: Kysely<Database>, filter: RollupFilter, opts: CommentQuery): Promise<{ total: number; rows: CommentRow[] }> {
  const [total, rows] = await Promise.all([
    commentCount(db, filter, opts),
    commentsMatching(db, filter, opts, walkFor(filter))
      .innerJoin('units', 'units.id', 'comments.unit_id')
      .innerJoin('desks', 'desks.id', 'comments.desk_id')
      .select([
        'comments.id', 'comments.text', 'comments.hidden', 'comments.local_day', 'comments.unit_id',
        'units.name as unit_name', 'desks.name as desk_name', 'comments.field_id', 'comments.overall',
      ])
      .orderBy('comments.created_at', 'desc')
      .orderBy('comments.id', 'desc')
      .offset(opts.offset)
      .limit(opts.limit)
      .execute(),
  ]);
  return {
    total,
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
  const row = await db.selectFrom('comments').select('unit_id').where('id', '=', commentId).executeTakeFirst();
  return row?.unit_id;
}

/** Hiding keeps the comment in the database: it only leaves the dashboard and public pages. In the caller's transaction when given one. */
export async function setCommentHidden(db: Kysely<Database>, commentId: number, hidden: boolean): Promise<void> {
  await within(db, async (trx) => {
    await trx.updateTable('comments').set({ hidden: hidden ? 1 : 0 }).where('id', '=', commentId).execute();
    // The kept counts of comments (commentCount) are stale.
    await touchHistory(trx);
  });
}
