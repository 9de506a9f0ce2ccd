/**
 * Signs that typed-in paper forms may not be citizens' forms. Paper forms are typed by a unit's own
 * staff, and the unit's results are what that staff is judged on: without a check, one account could
 * type a box of invented forms, dated into a quarter that is already closed, and move the unit from
 * "inconclusive" to "met" in minutes. So a paper form, like a phone's, is never refused: one that
 * trips a signal is stored with its reasons as 'suspect', left out of every indicator, and counted
 * only once someone other than its typist keeps it (auth/permissions.ts, reviewRight).
 *   paper-many  this account typed more than PAPER_PER_HOUR paper forms within PAPER_WINDOW_MS
 *   paper-old     the day written on the form is more than PAPER_MAX_AGE_DAYS before today
 *   paper-closed  the day written on the form is in a quarter that has already ended (its results may
 *                 be published already)
 *   paper-same  the same ratings and choices as each of this account's PAPER_SAME_RUN previous
 *               forms at this desk: a stamp, not several citizens
 * Pure: the route reads the account's recent forms (db/queries/paper.ts) and passes them in.
 */
import { addDays, quarterOf } from '../../analytics/time.ts';

export const PAPER_SIGNALS = ['paper-many', 'paper-old', 'paper-closed', 'paper-same'] as const;
export type PaperSignal = (typeof PAPER_SIGNALS)[number];

/**
 * Paper forms one account may type within PAPER_WINDOW_MS unflagged. A clerk reads and types a
 * form in 20 to 40 seconds, so 30 an hour is a steady, honest pace that a day's box of forms never
 * needs to exceed (it is typed over the day); 60 in a few minutes is not reading forms.
 */
export const PAPER_PER_HOUR = 30;
export const PAPER_WINDOW_MS = 60 * 60_000;
/**
 * Days between the day written on a form and the day it is typed in beyond which it is late: paper
 * forms are collected from the box and typed in within the week; two weeks leaves room for a
 * holiday, not for refilling a month that has been reported.
 */
export const PAPER_MAX_AGE_DAYS = 14;
/**
 * Previous forms of the same account at the same desk whose answers, all identical to this one,
 * make it a stamp. Four citizens in a row with exactly the same ratings and the same choices
 * happen, but rarely enough for a second person to look at them.
 */
export const PAPER_SAME_RUN = 3;

/** The answers a form is compared on: its ratings (null for "no opinion") and its choices, not its comments. */
export interface PaperAnswers {
  ratings: { questionId: number; value: number | null }[];
  choices: { questionId: number; optionKeys: string[] }[];
}

export interface PaperSignalInput {
  /** Paper forms this account typed within PAPER_WINDOW_MS before this one. */
  typedInWindow: number;
  /** The day written on the form and today, local 'YYYY-MM-DD' (Asia/Ho_Chi_Minh). */
  day: string;
  today: string;
  answers: PaperAnswers;
  /** This account's previous forms at this desk within the window, newest first. */
  previous: PaperAnswers[];
}

/** A form's answers as one comparable string, in question order whatever order they were read in. */
export function answerPattern(a: PaperAnswers): string {
  const ratings = [...a.ratings].sort((x, y) => x.questionId - y.questionId).map((r) => `${r.questionId}=${r.value ?? '-'}`);
  const choices = [...a.choices]
    .filter((c) => c.optionKeys.length > 0)
    .sort((x, y) => x.questionId - y.questionId)
    .map((c) => `${c.questionId}:${[...c.optionKeys].sort().join('+')}`);
  return `${ratings.join(',')}|${choices.join(',')}`;
}

/** Typed in long after the day written on it. */
export function isLateDay(day: string, today: string): boolean {
  return day < addDays(today, -PAPER_MAX_AGE_DAYS);
}

/** Written in a quarter that has ended, whose results may already be published. */
export function isClosedDay(day: string, today: string): boolean {
  return quarterOf(day) < quarterOf(today);
}

export function paperSignalsOf(s: PaperSignalInput): PaperSignal[] {
  const found: PaperSignal[] = [];
  // This form is the (typedInWindow + 1)th of the window.
  if (s.typedInWindow + 1 > PAPER_PER_HOUR) found.push('paper-many');
  if (isLateDay(s.day, s.today)) found.push('paper-old');
  if (isClosedDay(s.day, s.today)) found.push('paper-closed');
  const run = s.previous.slice(0, PAPER_SAME_RUN);
  const pattern = answerPattern(s.answers);
  if (run.length === PAPER_SAME_RUN && run.every((p) => answerPattern(p) === pattern)) found.push('paper-same');
  return found;
}
