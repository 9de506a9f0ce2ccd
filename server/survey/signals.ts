/**
 * Signs that a submission may be stuffing rather than a citizen's opinion. A flagged response is
 * kept, with its reasons, and left out of the indicators until an administrator decides in the
 * review queue: nothing is dropped silently, and a real citizen who trips a signal loses nothing.
 *   honeypot    a field people never see was filled in: a script (spam)
 *   too-fast    sent sooner than SURVEY_MIN_SECONDS after the form was opened
 *   many-forms  the same phone, or the same address, opened more forms at this desk than one
 *               person (or one center's Wi-Fi) fills in
 *   burst       the desk receives far more than it usually does
 *   repeat      the same phone sent the same answers again
 */
import type { ResponseStatus } from '../../db/schema.ts';

export const SIGNALS = ['honeypot', 'too-fast', 'many-forms', 'burst', 'repeat'] as const;
export type Signal = (typeof SIGNALS)[number];

/** Forms one person opens at one desk within FORMS_WINDOW_MS (a second visit, a slip of the thumb). */
export const FORMS_PER_PERSON = 3;
/** Forms opened at one desk from one address within FORMS_WINDOW_MS: a shared Wi-Fi's share of a queue. */
export const FORMS_PER_ADDRESS = 8;
export const FORMS_WINDOW_MS = 10 * 60_000;
/** A desk's submissions per BURST_WINDOW_MS beyond which they are a burst: BURST_FACTOR times usual, at least BURST_MIN. */
export const BURST_WINDOW_MS = 10 * 60_000;
export const BURST_FACTOR = 5;
export const BURST_MIN = 30;

export interface SignalInput {
  honeypot: boolean;
  secondsTaken: number;
  minSeconds: number;
  /** Forms this client opened at this desk in the current forms window. */
  formsOpened: number;
  /** Forms opened at this desk from this client's address (any browser) in the same window. */
  addressFormsOpened: number;
  /** Submissions at this desk in the current burst window, this one included. */
  deskSubmissions: number;
  /** The desk's usual submissions per burst window (its last seven days). */
  deskUsual: number;
  /** This client sent these same answers at this desk shortly before. */
  repeated: boolean;
}

export function signalsOf(s: SignalInput): Signal[] {
  const found: Signal[] = [];
  if (s.honeypot) found.push('honeypot');
  if (s.minSeconds > 0 && s.secondsTaken < s.minSeconds) found.push('too-fast');
  if (s.formsOpened > FORMS_PER_PERSON || s.addressFormsOpened > FORMS_PER_ADDRESS) found.push('many-forms');
  if (s.deskSubmissions > Math.max(BURST_MIN, BURST_FACTOR * s.deskUsual)) found.push('burst');
  if (s.repeated) found.push('repeat');
  return found;
}

/** A script is spam; anything else that looks odd waits for a person to decide. */
export function statusOf(signals: Signal[]): ResponseStatus {
  if (signals.includes('honeypot')) return 'spam';
  return signals.length > 0 ? 'suspect' : 'ok';
}
