/**
 * "Record a submission": one path for every channel. A citizen's phone (qr), the counter tablet
 * (kiosk), a paper form typed in by staff (paper) and the demo generator all hand a raw form, named
 * by question keys as the survey form names them, to `prepareSubmission`, which validates it
 * against the desk's questionnaire version and builds the response; `recordSubmission` stores it,
 * its answers and its rollups, committed together with whatever else arrived at the same moment
 * (submission-queue.ts).
 */
import type { Kysely } from 'kysely';
import type { DeskSurvey } from '../../db/queries/desks.ts';
import { type RecordResult, recordResponses, type ResponseInput } from '../../db/queries/responses.ts';
import type { Channel, Database, ResponseStatus } from '../../db/schema.ts';
import type { SubmissionQueue } from './submission-queue.ts';
import { summarizeRatings } from './summary.ts';
import { type FieldError, keptAnswers, type RawForm, type ValidAnswers, validateSubmission } from './validate.ts';

export interface SubmissionMeta {
  channel: Channel;
  /** Single use: a form token's nonce, or "paper:<desk>:<number>" for a paper form. */
  nonce: string;
  submittedAt: Date;
  /** The local day it counts for: the day of submittedAt, or the day written on a paper form. */
  localDay: string;
  lang: string;
  status: ResponseStatus;
  secondsTaken: number | null;
  /** Stuffing signals that flagged it (signals.ts). */
  flags?: string[];
  /** Sent through a per-dossier link. */
  verified?: boolean;
  /** Keyed hash of the dossier code, where the desk asks for it. */
  dossierHash?: string | null;
  /** The account that typed a paper form in. */
  enteredBy?: number | null;
  /** The registered counter tablet of a kiosk response. */
  kioskId?: number | null;
}

export type PreparedSubmission =
  | { kind: 'malformed'; reason: string }
  | { kind: 'invalid'; errors: Map<string, FieldError>; kept: Map<string, string[]> }
  | { kind: 'ready'; input: ResponseInput };

export function prepareSubmission(survey: DeskSurvey, form: RawForm, meta: SubmissionMeta): PreparedSubmission {
  const result = validateSubmission(form, survey.questions, survey.fields);
  if (result.kind === 'malformed') return result;
  if (result.kind === 'invalid') return { kind: 'invalid', errors: result.errors, kept: keptAnswers(form, survey.questions) };
  return { kind: 'ready', input: submissionInput(survey, result.answers, meta) };
}

/** The response to store for validated answers (the demo generator's are valid as they are made). */
export function submissionInput(survey: DeskSurvey, answers: ValidAnswers, meta: SubmissionMeta): ResponseInput {
  return {
    nonce: meta.nonce,
    questionnaireId: survey.questionnaire.id,
    unitId: survey.unit.id,
    deskId: survey.desk.id,
    fieldId: answers.fieldId,
    channel: meta.channel,
    submittedAt: meta.submittedAt.toISOString(),
    localDay: meta.localDay,
    lang: meta.lang,
    status: meta.status,
    secondsTaken: meta.secondsTaken,
    flags: (meta.flags ?? []).join(','),
    verified: meta.verified ?? false,
    dossierHash: meta.dossierHash ?? null,
    enteredBy: meta.enteredBy ?? null,
    kioskId: meta.kioskId ?? null,
    ratings: answers.ratings,
    choices: answers.choices,
    comments: answers.comments,
    summary: summarizeRatings(survey.questions, answers.ratings),
  };
}

/**
 * Stores one prepared submission through the group-commit queue; a nonce seen before returns the
 * earlier response instead. `arrived` (Date.now() when the request came) starts its allowance to wait.
 */
export function recordSubmission(queue: SubmissionQueue, input: ResponseInput, arrived?: number): Promise<RecordResult> {
  return queue.record(input, arrived);
}

/** Many prepared submissions in one transaction (the demo generator, imports). */
export function recordSubmissions(db: Kysely<Database>, inputs: ResponseInput[]): Promise<RecordResult[]> {
  return recordResponses(db, inputs);
}
