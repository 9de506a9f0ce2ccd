/**
 * Reviewing flagged responses: what a group would do to its desk's index, and moving responses
 * between statuses ("keep" makes them 'ok', "remove" makes them 'spam') with their rollup counts.
 * The rollup contribution of a stored response is rebuilt from its answers exactly as it was when
 * it was stored (the same respondent summary, survey/summary.ts), so taking it out of one status
 * row and into another leaves every table equal to a recount.
 *
 * `decide` is the reviewer's command: who may decide on each response (auth/permissions.ts,
 * reviewRight: the same rule that lists it), the move, its rollups and its audit entry in one
 * transaction (db/queries/flagged-responses.ts `moveResponses`); the route only parses and maps the outcome.
 */
import type { Kysely } from 'kysely';
import { localDay } from '../../analytics/time.ts';
import type { RollupSource } from '../../db/rollups.ts';
import { findQuestionnaireDetail } from '../../db/queries/questionnaires.ts';
import { deskScoreSums, deskSubject, moveResponses, type ResponseSelection, selectedResponses, type StoredResponse } from '../../db/queries/flagged-responses.ts';
import { listUnits } from '../../db/queries/units.ts';
import type { Database, Question, ResponseStatus } from '../../db/schema.ts';
import { reviewRight } from '../auth/permissions.ts';
import type { Staff } from '../auth/scope.ts';
import { summarizeRatings } from '../survey/summary.ts';

export type Decision = 'keep' | 'remove';

export const STATUS_AFTER: Record<Decision, ResponseStatus> = { keep: 'ok', remove: 'spam' };

/** The questions of a response's version, even when its desk has since been closed. */
async function questionsOf(db: Kysely<Database>, r: StoredResponse, memo: Map<number, Question[]>): Promise<Question[]> {
  let questions = memo.get(r.questionnaireId);
  if (!questions) {
    questions = (await findQuestionnaireDetail(db, r.questionnaireId))?.questions ?? [];
    memo.set(r.questionnaireId, questions);
  }
  return questions;
}

export function rollupSourceOf(r: StoredResponse, questions: Question[]): RollupSource {
  return {
    localDay: r.localDay,
    unitId: r.unitId,
    deskId: r.deskId,
    fieldId: r.fieldId,
    questionnaireId: r.questionnaireId,
    channel: r.channel,
    status: r.status,
    ratings: r.ratings,
    choices: r.choices,
    summary: summarizeRatings(questions, r.ratings),
  };
}

export interface IndexEffect {
  /** 'YYYY-MM' months the group's responses fall in. */
  months: string[];
  without: { index: number | null; n: number };
  with: { index: number | null; n: number };
}

/** The desk's SIPAS index (mean respondent score) over the group's months, without and with the group. */
export async function effectOfGroup(db: Kysely<Database>, responses: StoredResponse[], deskId: number): Promise<IndexEffect> {
  const months = [...new Set(responses.map((r) => r.localDay.slice(0, 7)))].sort();
  const base = await deskScoreSums(db, deskId, months, 'ok');
  const memo = new Map<number, Question[]>();
  let scored = 0;
  let scoreSum = 0;
  for (const r of responses) {
    const { score } = summarizeRatings(await questionsOf(db, r, memo), r.ratings);
    if (score === null) continue;
    scored++;
    scoreSum += score;
  }
  const index = (n: number, sum: number) => (n === 0 ? null : sum / n);
  return {
    months,
    without: { index: index(base.scored, base.scoreSum), n: base.scored },
    with: { index: index(base.scored + scored, base.scoreSum + scoreSum), n: base.scored + scored },
  };
}

export type DecideOutcome =
  /** `moved` responses moved; `leftOwn` of the selection were typed in by the reviewer and stay for someone else. */
  | { kind: 'done'; decision: Decision; moved: number; leftOwn: number }
  /** Ticked responses, none ticked: nothing to do. */
  | { kind: 'noneSelected' }
  /** No such desk (404). */
  | { kind: 'notFound' }
  /** A response outside the reviewer's reach: the whole request is refused (403). */
  | { kind: 'forbidden' }
  /** Only forms the reviewer typed in themselves: someone else decides on them (403, saying so). */
  | { kind: 'ownOnly'; own: number };

/**
 * Keeps or removes the responses a selection names (a group as shown, or ticked ones). Each by the
 * same rule as the list: one outside the reviewer's reach refuses the whole request; their own
 * typed-in forms stay for someone else, and the rest move (STATUS_AFTER) with their rollups and the
 * audit entry 'review.keep' / 'review.remove', in one transaction.
 */
export async function decide(db: Kysely<Database>, staff: Staff, asked: { decision: Decision; selection: ResponseSelection }, at: Date): Promise<DecideOutcome> {
  const { decision, selection } = asked;
  if ('ids' in selection && selection.ids.length === 0) return { kind: 'noneSelected' };
  const subject = await deskSubject(db, selection.deskId);
  if (subject === undefined) return { kind: 'notFound' };
  const units = await listUnits(db);
  const responses = await selectedResponses(db, selection);
  const rights = responses.map((r) => reviewRight(staff, { unitId: r.unitId, channel: r.channel, enteredBy: r.enteredBy?.id ?? null }, units));
  if (rights.includes('none')) return { kind: 'forbidden' };
  const own = rights.filter((r) => r === 'typed').length;
  const theirs = responses.filter((_r, i) => rights[i] === 'decide');
  if (theirs.length === 0 && own > 0) return { kind: 'ownOnly', own };
  const moved = await move(db, selection.status, theirs, decision, { userId: staff.id, at: at.toISOString(), today: localDay(at), subject });
  return { kind: 'done', decision, moved, leftOwn: own };
}

/** Moves responses read with status `from` (those the reviewer may decide on) to the decision's status; returns how many moved. */
async function move(
  db: Kysely<Database>,
  from: ResponseStatus,
  responses: StoredResponse[],
  decision: Decision,
  who: { userId: number; at: string; today: string; subject: string },
): Promise<number> {
  const to = STATUS_AFTER[decision];
  if (from === to) return 0;
  const memo = new Map<number, Question[]>();
  const withSources = [];
  for (const r of responses) withSources.push({ id: r.id, source: rollupSourceOf(r, await questionsOf(db, r, memo)) });
  return moveResponses(db, {
    from,
    to,
    responses: withSources,
    today: who.today,
    audit: {
      at: who.at,
      userId: who.userId,
      action: decision === 'keep' ? 'review.keep' : 'review.remove',
      subject: who.subject,
      detail: `responses (${[...new Set(responses.map((r) => r.flags || 'confirmed'))].join('; ')})`,
      before: { status: from },
      after: { status: to },
    },
  });
}
