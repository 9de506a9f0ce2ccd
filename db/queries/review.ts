/**
 * The review queue's reads and its one write. Flagged responses (status 'suspect', or 'spam' once
 * removed) are grouped by desk and by the signals that flagged them; moving a response between
 * statuses takes its counts out of one status row of every rollup table and adds them to the other,
 * in the same transaction as the status itself and the audit entry, so the rollups always equal a
 * recount and the log always says who moved what.
 */
import { type Kysely, sql } from 'kysely';
import { RollupDeltas, type RollupSource } from '../rollups.ts';
import type { Database, ResponseStatus } from '../schema.ts';
import { type AuditEntry, audit } from './audit.ts';
import { moveCommentStatus } from './comments.ts';
import { touchHistory } from './history.ts';

export interface FlaggedGroup {
  deskId: number;
  deskName: string;
  deskCode: string;
  unitName: string;
  unitCode: string;
  flags: string;
  count: number;
  firstDay: string;
  lastDay: string;
  /** The newest response of the group when it was read: an action on the group goes no further. */
  upTo: number;
}

/** Groups of responses with this status, newest activity first. */
export async function flaggedGroups(db: Kysely<Database>, status: ResponseStatus, limit: number): Promise<{ groups: FlaggedGroup[]; total: number }> {
  const rows = await db
    .selectFrom('responses as r')
    .innerJoin('desks as d', 'd.id', 'r.desk_id')
    .innerJoin('units as u', 'u.id', 'r.unit_id')
    .select((eb) => [
      'r.desk_id as deskId',
      'd.name as deskName',
      'd.code as deskCode',
      'u.name as unitName',
      'u.code as unitCode',
      'r.flags as flags',
      eb.fn.countAll<number>().as('count'),
      eb.fn.min('r.local_day').as('firstDay'),
      eb.fn.max('r.local_day').as('lastDay'),
      eb.fn.max('r.id').as('upTo'),
    ])
    .where('r.status', '=', status)
    .groupBy(['r.desk_id', 'd.name', 'd.code', 'u.name', 'u.code', 'r.flags'])
    .orderBy('upTo', 'desc')
    .execute();
  return {
    groups: rows.slice(0, limit).map((r) => ({ ...r, count: Number(r.count), upTo: Number(r.upTo) })),
    total: rows.length,
  };
}

/** A response as stored, with its answers: what the review shows and what its rollup counts were. */
export interface StoredResponse extends Omit<RollupSource, 'summary'> {
  id: number;
  publicId: string;
  submittedAt: string;
  flags: string;
  secondsTaken: number | null;
}

export type ResponseSelection =
  | { status: ResponseStatus; deskId: number; flags: string; upTo: number }
  | { status: ResponseStatus; deskId: number; ids: number[] };

/** SQLite's and PostgreSQL's parameter limits are far above this. */
const ID_CHUNK = 500;

/** The responses a selection names, oldest first, with their answers; `limit` caps how many. */
export async function selectedResponses(db: Kysely<Database>, selection: ResponseSelection, limit?: number): Promise<StoredResponse[]> {
  let q = db
    .selectFrom('responses')
    .select(['id', 'public_id', 'submitted_at', 'local_day', 'unit_id', 'desk_id', 'field_id', 'questionnaire_id', 'channel', 'status', 'flags', 'seconds_taken'])
    .where('status', '=', selection.status)
    .where('desk_id', '=', selection.deskId);
  if ('ids' in selection) {
    if (selection.ids.length === 0) return [];
    q = q.where('id', 'in', selection.ids);
  } else {
    q = q.where('flags', '=', selection.flags).where('id', '<=', selection.upTo);
  }
  q = q.orderBy('id');
  if (limit !== undefined) q = q.limit(limit);
  const rows = await q.execute();

  const answers = new Map<number, { question_id: number; value: number | null; option_key: string }[]>();
  for (let i = 0; i < rows.length; i += ID_CHUNK) {
    const ids = rows.slice(i, i + ID_CHUNK).map((r) => r.id);
    const found = await db.selectFrom('answers').select(['response_id', 'question_id', 'value', 'option_key']).where('response_id', 'in', ids).orderBy('response_id').orderBy('id').execute();
    for (const a of found) {
      const list = answers.get(a.response_id);
      if (list) list.push(a);
      else answers.set(a.response_id, [a]);
    }
  }

  return rows.map((r) => {
    const own = answers.get(r.id) ?? [];
    const choices = new Map<number, string[]>();
    for (const a of own) if (a.option_key !== '') choices.set(a.question_id, [...(choices.get(a.question_id) ?? []), a.option_key]);
    return {
      id: r.id,
      publicId: r.public_id,
      submittedAt: r.submitted_at,
      localDay: r.local_day,
      unitId: r.unit_id,
      deskId: r.desk_id,
      fieldId: r.field_id,
      questionnaireId: r.questionnaire_id,
      channel: r.channel,
      status: r.status,
      flags: r.flags,
      secondsTaken: r.seconds_taken,
      ratings: own.filter((a) => a.option_key === '').map((a) => ({ questionId: a.question_id, value: a.value })),
      choices: [...choices].map(([questionId, optionKeys]) => ({ questionId, optionKeys })),
    };
  });
}

/** A desk's respondent scores with the given status over whole months: what its SIPAS index is made of. */
export async function deskScoreSums(db: Kysely<Database>, deskId: number, months: string[], status: ResponseStatus): Promise<{ scored: number; scoreSum: number }> {
  if (months.length === 0) return { scored: 0, scoreSum: 0 };
  const row = await db
    .selectFrom('monthly_responses')
    .select([sql<number>`coalesce(sum(scored), 0)`.as('scored'), sql<number>`coalesce(sum(score_sum), 0)`.as('scoreSum')])
    .where('desk_id', '=', deskId)
    .where('month', 'in', months)
    .where('status', '=', status)
    .executeTakeFirstOrThrow();
  return { scored: Number(row.scored), scoreSum: Number(row.scoreSum) };
}

export interface StatusMove {
  from: ResponseStatus;
  to: ResponseStatus;
  /** Each response's rollup contribution, under any status (the move sets it). */
  responses: { id: number; source: RollupSource }[];
  /** Written only when at least one response moved, with `detail` completed by the count. */
  audit: AuditEntry;
  today: string;
}

/**
 * Moves responses that still have status `from` to `to`, with their rollup counts, and logs it.
 * A response another reviewer moved meanwhile is left alone. Returns how many moved.
 */
export async function moveResponses(db: Kysely<Database>, move: StatusMove): Promise<number> {
  if (move.responses.length === 0) return 0;
  const sources = new Map(move.responses.map((r) => [r.id, r.source]));
  return db.transaction().execute(async (trx) => {
    const moved: number[] = [];
    const ids = [...sources.keys()];
    for (let i = 0; i < ids.length; i += ID_CHUNK) {
      const rows = await trx
        .updateTable('responses')
        .set({ status: move.to })
        .where('id', 'in', ids.slice(i, i + ID_CHUNK))
        .where('status', '=', move.from)
        .returning('id')
        .execute();
      for (const r of rows) moved.push(r.id);
    }
    if (moved.length === 0) return 0;
    await moveCommentStatus(trx, moved, move.to);
    const deltas = new RollupDeltas();
    for (const id of moved) {
      const source = sources.get(id) as RollupSource;
      deltas.response({ ...source, status: move.from }, -1).response({ ...source, status: move.to }, 1);
    }
    await deltas.write(trx);
    // Past or still moving, the days' kept sums are stale: a move changes no count of responses (history.ts).
    await touchHistory(trx);
    await audit(trx, { ...move.audit, detail: `${moved.length} ${move.audit.detail ?? ''}`.trim() });
    return moved.length;
  });
}

/** How many responses wait for review ('suspect') and how many were removed ('spam'). */
export async function flaggedCounts(db: Kysely<Database>): Promise<Record<'suspect' | 'spam', number>> {
  const rows = await db
    .selectFrom('responses')
    .select((eb) => ['status', eb.fn.countAll<number>().as('n')])
    .where('status', 'in', ['suspect', 'spam'])
    .groupBy('status')
    .execute();
  const of = (s: ResponseStatus) => Number(rows.find((r) => r.status === s)?.n ?? 0);
  return { suspect: of('suspect'), spam: of('spam') };
}

/** 'unit code/desk code', as the audit log names a desk. */
export async function deskSubject(db: Kysely<Database>, deskId: number): Promise<string | undefined> {
  const row = await db
    .selectFrom('desks')
    .innerJoin('units', 'units.id', 'desks.unit_id')
    .select(['desks.code as deskCode', 'units.code as unitCode'])
    .where('desks.id', '=', deskId)
    .executeTakeFirst();
  return row ? `${row.unitCode}/${row.deskCode}` : undefined;
}
