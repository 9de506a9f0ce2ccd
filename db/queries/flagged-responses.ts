/**
 * The review queue's reads and its one write. Flagged responses (status 'suspect', or 'spam' once
 * removed) are grouped by desk, channel, the signals that flagged them and, for paper forms, who
 * typed them (so a group is either someone's own forms or not, and never mixes channels); moving a response between
 * statuses takes its counts out of one status row of every rollup table and adds them to the other,
 * in the same transaction as the status itself and the audit entry, so the rollups always equal a
 * recount and the log always says who moved what.
 */
import { type Kysely, sql } from 'kysely';
import { RollupDeltas, type RollupSource } from '../rollups.ts';
import type { Channel, Database, ResponseStatus } from '../schema.ts';
import { type AuditEntry, audit } from './audit.ts';
import { moveCommentStatus } from './comments.ts';
import { touchHistory } from './history.ts';

/** Who typed a paper form in: the account's names, null if the account no longer exists. */
export interface Typist {
  id: number;
  displayName: string | null;
  username: string | null;
}

export interface FlaggedGroup {
  deskId: number;
  deskName: string;
  deskCode: string;
  unitId: number;
  unitName: string;
  unitCode: string;
  channel: Channel;
  /** Sent through a per-dossier link. */
  verified: boolean;
  flags: string;
  /** The account that typed the group's paper forms; null for every other channel. */
  enteredBy: Typist | null;
  count: number;
  firstDay: string;
  lastDay: string;
  /** The newest response of the group when it was read: an action on the group goes no further. */
  upTo: number;
}

/** Every group of responses with this status, newest activity first (the caller keeps those the reader may see). */
export async function flaggedGroups(db: Kysely<Database>, status: ResponseStatus): Promise<FlaggedGroup[]> {
  const rows = await db
    .selectFrom('responses as r')
    .innerJoin('desks as d', 'd.id', 'r.desk_id')
    .innerJoin('units as u', 'u.id', 'r.unit_id')
    .leftJoin('users as typist', 'typist.id', 'r.entered_by')
    .select((eb) => [
      'r.desk_id as deskId',
      'd.name as deskName',
      'd.code as deskCode',
      'r.unit_id as unitId',
      'u.name as unitName',
      'u.code as unitCode',
      'r.channel as channel',
      'r.verified as verified',
      'r.flags as flags',
      'r.entered_by as enteredBy',
      'typist.display_name as typistName',
      'typist.username as typistUsername',
      eb.fn.countAll<number>().as('count'),
      eb.fn.min('r.local_day').as('firstDay'),
      eb.fn.max('r.local_day').as('lastDay'),
      eb.fn.max('r.id').as('upTo'),
    ])
    .where('r.status', '=', status)
    .groupBy(['r.desk_id', 'd.name', 'd.code', 'r.unit_id', 'u.name', 'u.code', 'r.channel', 'r.verified', 'r.flags', 'r.entered_by', 'typist.display_name', 'typist.username'])
    .orderBy('upTo', 'desc')
    .execute();
  return rows.map(({ typistName, typistUsername, enteredBy, ...r }) => ({
    ...r,
    verified: Number(r.verified) === 1,
    enteredBy: enteredBy === null ? null : { id: enteredBy, displayName: typistName, username: typistUsername },
    count: Number(r.count),
    upTo: Number(r.upTo),
  }));
}

/** A response as stored, with its answers: what the review shows and what its rollup counts were. */
export interface StoredResponse extends Omit<RollupSource, 'summary'> {
  id: number;
  publicId: string;
  submittedAt: string;
  flags: string;
  secondsTaken: number | null;
  verified: boolean;
  enteredBy: Typist | null;
}

/**
 * A group as it was shown (its channel, link or not, and typist narrow it when given; a page from
 * before they were shown names a group by desk and signals alone), or ticked responses of a desk.
 */
export type ResponseSelection =
  | { status: ResponseStatus; deskId: number; flags: string; upTo: number; channel?: Channel; verified?: boolean; enteredBy?: number | null }
  | { status: ResponseStatus; deskId: number; ids: number[] };

/** SQLite's and PostgreSQL's parameter limits are far above this. */
const ID_CHUNK = 500;

/** The responses a selection names, oldest first, with their answers; `limit` caps how many. */
export async function selectedResponses(db: Kysely<Database>, selection: ResponseSelection, limit?: number): Promise<StoredResponse[]> {
  let q = db
    .selectFrom('responses')
    .leftJoin('users as typist', 'typist.id', 'responses.entered_by')
    .select([
      'responses.id', 'public_id', 'submitted_at', 'local_day', 'responses.unit_id', 'desk_id', 'field_id', 'questionnaire_id', 'channel', 'status', 'flags', 'seconds_taken',
      'verified', 'entered_by', 'typist.display_name as typistName', 'typist.username as typistUsername',
    ])
    .where('status', '=', selection.status)
    .where('desk_id', '=', selection.deskId);
  if ('ids' in selection) {
    if (selection.ids.length === 0) return [];
    q = q.where('responses.id', 'in', selection.ids);
  } else {
    q = q.where('flags', '=', selection.flags).where('responses.id', '<=', selection.upTo);
    if (selection.channel !== undefined) q = q.where('channel', '=', selection.channel);
    if (selection.verified !== undefined) q = q.where('verified', '=', selection.verified ? 1 : 0);
    if (selection.enteredBy !== undefined) q = q.where('entered_by', selection.enteredBy === null ? 'is' : '=', selection.enteredBy);
  }
  q = q.orderBy('responses.id');
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
      verified: Number(r.verified) === 1,
      enteredBy: r.entered_by === null ? null : { id: r.entered_by, displayName: r.typistName, username: r.typistUsername },
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

export interface FlaggedCount {
  status: 'suspect' | 'spam';
  unitId: number;
  channel: Channel;
  enteredBy: number | null;
  n: number;
}

/** How many responses wait for review ('suspect') and how many were removed ('spam'), by what decides who sees them. */
export async function flaggedCounts(db: Kysely<Database>): Promise<FlaggedCount[]> {
  const rows = await db
    .selectFrom('responses')
    .select((eb) => ['status', 'unit_id', 'channel', 'entered_by', eb.fn.countAll<number>().as('n')])
    .where('status', 'in', ['suspect', 'spam'])
    .groupBy(['status', 'unit_id', 'channel', 'entered_by'])
    .execute();
  return rows.map((r) => ({ status: r.status === 'spam' ? 'spam' : 'suspect', unitId: r.unit_id, channel: r.channel, enteredBy: r.entered_by, n: Number(r.n) }));
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

/** Responses still waiting for review ('suspect') per desk, received on the given local days. */
export async function suspectByDesk(db: Kysely<Database>, from: string, to: string): Promise<{ deskId: number; unitId: number; n: number }[]> {
  const rows = await db
    .selectFrom('responses')
    .select((eb) => ['desk_id', 'unit_id', eb.fn.countAll<number>().as('n')])
    .where('status', '=', 'suspect')
    .where('local_day', '>=', from)
    .where('local_day', '<=', to)
    .groupBy(['desk_id', 'unit_id'])
    .execute();
  return rows.map((r) => ({ deskId: r.desk_id, unitId: r.unit_id, n: Number(r.n) }));
}
