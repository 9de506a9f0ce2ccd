/**
 * Typing in one paper form, as one command (issue 19: routes/paper.ts wrote the form's audit entry
 * after the form, as a second statement). `enterPaperForm` owns the rules: who may type forms in for
 * the desk (authorize 'enterPaper'), the day written on the form (a real day, not after today, not
 * before OLDEST_DAY), the form's number (entered once per desk), the answers (the citizen's form's
 * validation, record.ts), the paper signals that hold a form for review (paper-signals.ts), and the
 * write: the response and its 'paper.enter' audit entry in the same transaction, through the
 * submission queue like every other channel, so neither is ever written without the other.
 * `paperBatch` is the first half (the desk and day of a batch), which the entry page's GET asks too.
 *
 * A blank answer (issue 21): on paper a citizen may leave any question blank, so every rating box
 * takes a digit or PAPER_BLANK ("-"), and a question typed as blank is stored as the citizen's form
 * stores an unanswered optional question: no answer at all, so the rollups count it as not answered,
 * never as a rating or as "no opinion". A rating box left empty is the typist's slip, not the
 * citizen's: it is refused with a message to the typist ("Chưa nhập câu 3 …"). Choice and comment
 * questions left empty are unanswered, as on the citizen's form.
 */
import type { Kysely } from 'kysely';
import { localDay } from '../../analytics/time.ts';
import { type DeskSurvey, findDeskSurvey } from '../../db/queries/desks.ts';
import { paperHistory } from '../../db/queries/paper.ts';
import { listUnits } from '../../db/queries/units.ts';
import type { Database, Question } from '../../db/schema.ts';
import { authorize } from '../auth/permissions.ts';
import type { Staff } from '../auth/scope.ts';
import { parsePersonDay } from '../presenters/format.ts';
import { PAPER_SAME_RUN, PAPER_WINDOW_MS, paperSignalsOf } from './paper-signals.ts';
import { prepareSubmission, recordSubmission } from './record.ts';
import type { StuffingGuard } from './stuffing-guard.ts';
import type { SubmissionQueue } from './submission-queue.ts';
import { FIELD_CHOICE_FIELD, type FieldError, keptAnswers, type RawForm } from './validate.ts';

/** The number printed or written on a paper form: letters, digits and the usual separators. */
export const PAPER_NUMBER_PATTERN = /^[A-Za-z0-9][A-Za-z0-9/._-]{0,29}$/;
/** Forms older than this are not typed in any more (the reporting year is long closed). */
export const OLDEST_DAY = '2020-01-01';
/** Typed in a rating box for a question the citizen left blank on the paper form. */
export const PAPER_BLANK = '-';

/** Each question list with no question required (a citizen may leave any blank on paper), made once per list so the validation schema is cached too. */
const paperQuestions = new WeakMap<Question[], Question[]>();
function optionalOnPaper(questions: Question[]): Question[] {
  let copy = paperQuestions.get(questions);
  if (!copy) paperQuestions.set(questions, (copy = questions.map((q) => ({ ...q, required: 0 }))));
  return copy;
}

/**
 * The answers as the citizen's form would send them (a blank left out), and what the typist has
 * still to type: every rating box needs a digit or PAPER_BLANK. Messages name the question's number
 * on the form, as the entry page does, and speak to the typist.
 */
function paperAnswers(questions: Question[], typed: RawForm): { answers: RawForm; errors: Map<string, FieldError> } {
  const answers: RawForm = { ...typed };
  const errors = new Map<string, FieldError>();
  questions.forEach((q, i) => {
    if (q.type !== 'rating5') return;
    const value = typed[q.key];
    if (value === PAPER_BLANK) delete answers[q.key];
    else if (value === undefined) errors.set(q.key, { message: 'paper.error.required', params: { n: i + 1 } });
  });
  return { answers, errors };
}

/** The validation's messages are the citizen's ("Vui lòng chọn…"); the typist reads their own. */
function toTypist(questions: Question[], errors: Map<string, FieldError>): Map<string, FieldError> {
  const out = new Map<string, FieldError>();
  for (const [key, error] of errors) {
    const i = questions.findIndex((q) => q.key === key);
    const q = questions[i];
    if (q?.type === 'rating5') out.set(key, { message: q.allow_no_opinion ? 'paper.error.digit.none' : 'paper.error.digit', params: { n: i + 1 } });
    else if (key === FIELD_CHOICE_FIELD && error.message === 'error.required.field') out.set(key, { message: 'paper.error.field' });
    else out.set(key, error);
  }
  return out;
}

/** What the command needs (routes/paper.ts hands its RouteDeps). */
export interface PaperWrites {
  db: Kysely<Database>;
  now: () => Date;
  submissions: SubmissionQueue;
  guard: StuffingGuard;
}

/** A batch's desk and day as typed: the desk's id (null: none or not a number) and the day as the person wrote it (dd/mm/yyyy). */
export interface BatchAsked {
  deskId: number | null;
  day: string;
}

export type BatchOutcome =
  | { kind: 'batch'; survey: DeskSurvey; day: string }
  /** No such desk (404). */
  | { kind: 'notFound' }
  /** A desk the person may not type forms in for (403). */
  | { kind: 'forbidden' }
  /** Not a day, a day to come, or older than OLDEST_DAY (422, on the start page). */
  | { kind: 'badDay'; deskId: number };

/** The desk and day of an entry batch, checked: the person may enter for the desk, the day is a real past day. */
export async function paperBatch(w: Pick<PaperWrites, 'db' | 'now'>, staff: Staff, asked: BatchAsked): Promise<BatchOutcome> {
  const survey = asked.deskId === null ? undefined : await findDeskSurvey(w.db, asked.deskId);
  if (!survey) return { kind: 'notFound' };
  if (!authorize(staff, 'enterPaper', { unitId: survey.unit.id, units: await listUnits(w.db) })) return { kind: 'forbidden' };
  const day = parsePersonDay(asked.day);
  if (day === null || day > localDay(w.now()) || day < OLDEST_DAY) return { kind: 'badDay', deskId: survey.desk.id };
  return { kind: 'batch', survey, day };
}

/** One paper form as typed: its batch, its number, and its answers named by question keys (empty boxes left out). */
export interface PaperForm extends BatchAsked {
  paperNumber: string;
  answers: RawForm;
}

export type PaperOutcome =
  | Exclude<BatchOutcome, { kind: 'batch' }>
  /** Stored; `flagged`: a paper signal holds it for someone else's review. */
  | { kind: 'saved'; survey: DeskSurvey; day: string; flagged: boolean }
  /** Fields no form of ours sends (400). */
  | { kind: 'malformed' }
  /** What to correct, next to each question and the number (422); every typed value kept. */
  | { kind: 'invalid'; survey: DeskSurvey; day: string; kept: Map<string, string[]>; errors: Map<string, FieldError>; numberInvalid: boolean }
  /** The desk's form of this number was typed in before: nothing stored (409). */
  | { kind: 'duplicate'; survey: DeskSurvey; day: string; kept: Map<string, string[]> };

/** The answers as typed, to show them again. */
function typed(answers: RawForm): Map<string, string[]> {
  return new Map(Object.entries(answers).map(([k, v]) => [k, [v ?? ''].flat()]));
}

/** Stores one typed-in paper form with its audit entry: see the file's comment. */
export async function enterPaperForm(w: PaperWrites, staff: Staff, form: PaperForm): Promise<PaperOutcome> {
  const batch = await paperBatch(w, staff, form);
  if (batch.kind !== 'batch') return batch;
  const { survey, day } = batch;
  const numberInvalid = !PAPER_NUMBER_PATTERN.test(form.paperNumber);
  const at = w.now();
  const { answers, errors: untyped } = paperAnswers(survey.questions, form.answers);
  const prepared = prepareSubmission({ ...survey, questions: optionalOnPaper(survey.questions) }, answers, {
    channel: 'paper',
    nonce: `paper:${survey.desk.id}:${form.paperNumber.toUpperCase()}`,
    submittedAt: at,
    localDay: day,
    lang: 'vi',
    status: 'ok',
    secondsTaken: null,
    enteredBy: staff.id,
  });
  if (prepared.kind === 'malformed') return { kind: 'malformed' };
  if (prepared.kind === 'invalid' || numberInvalid || untyped.size > 0) {
    // What was typed, blanks ("-") included, to show again.
    const kept = keptAnswers(form.answers, survey.questions);
    const errors = new Map([...untyped, ...(prepared.kind === 'invalid' ? toTypist(survey.questions, prepared.errors) : [])]);
    return { kind: 'invalid', survey, day, kept, errors, numberInvalid };
  }
  const history = await paperHistory(w.db, {
    userId: staff.id,
    deskId: survey.desk.id,
    since: new Date(at.getTime() - PAPER_WINDOW_MS).toISOString(),
    previous: PAPER_SAME_RUN,
  });
  // Counted in the database before the form is stored, so that forms posted all at once, to any app server, count one by one.
  const typedInWindow = await w.guard.paperTyped(staff.id, PAPER_WINDOW_MS);
  const signals = paperSignalsOf({ typedInWindow, day, today: localDay(at), answers: prepared.input, previous: history.previous });
  const input = {
    ...prepared.input,
    ...(signals.length === 0 ? {} : { status: 'suspect' as const, flags: signals.join(',') }),
    // Written with the response, in its transaction (db/queries/responses.ts); its subject is the response's public id.
    audit: {
      at: at.toISOString(),
      userId: staff.id,
      action: 'paper.enter',
      detail: `desk ${survey.desk.id} form ${form.paperNumber} day ${day}${signals.length > 0 ? ` flagged ${signals.join(',')}` : ''}`,
    },
  };
  const result = await recordSubmission(w.submissions, input);
  // The same paper form number was typed in before: nothing is stored a second time.
  if (result.kind !== 'stored') return { kind: 'duplicate', survey, day, kept: typed(form.answers) };
  return { kind: 'saved', survey, day, flagged: signals.length > 0 };
}
