/**
 * Signs that a submission may be stuffing rather than a citizen's opinion. A flagged response is
 * kept, with its reasons, and left out of the indicators until a person decides in the review
 * queue: nothing is dropped silently, and a real citizen who trips a signal loses nothing. The
 * thresholds are sized so that an ordinary busy day flags well under 1% of real citizens
 * (test/counted-once.test.ts simulates one) while a script or one person sending many forms is
 * caught within a handful of responses.
 *
 * On a citizen's own phone (doors /q and /d without a link):
 *   honeypot    a field people never see was filled in: a script (spam)
 *   too-fast    sent sooner than SURVEY_MIN_SECONDS after the form was opened
 *   many-forms  one phone (address and browser) opened, or sent, more forms than one person does, at
 *               this desk or across the center; or one address more than a whole hall on one Wi-Fi
 *               does. Opening is judged when the form is issued (its token carries the verdict), so
 *               forms hoarded and sent later are judged as they were opened; sending is judged when
 *               they are sent, so forms opened slowly and sent together are caught too
 *   burst       the desk receives far more than it usually does
 *   repeat      the same phone sent the same answers again at this desk
 * On a registered counter tablet (door /k), where many citizens share one device and one address:
 *   tablet-pace     sent less than TABLET_MIN_GAP_MS after the tablet's previous response
 *   tablet-burst    more responses from the tablet in 10 minutes than one desk serves
 *   tablet-same     the same answers as the tablet's two previous responses, all three within minutes
 *   tablet-hours    several responses outside opening hours
 *   tablet-devices  the tablet's address used from several devices: it has left the counter
 * Personal dossier links: link-rate (the token that made the link made too many too fast).
 * Paper forms typed in by staff: paper-many, paper-old, paper-closed, paper-same (paper-signals.ts).
 */
import type { ResponseStatus } from '../../db/schema.ts';
import { PAPER_SIGNALS } from './paper-signals.ts';

export const SIGNALS = [
  'honeypot', 'too-fast', 'many-forms', 'burst', 'repeat',
  'tablet-pace', 'tablet-burst', 'tablet-same', 'tablet-hours', 'tablet-devices',
  'link-rate',
  ...PAPER_SIGNALS,
] as const;
export type Signal = (typeof SIGNALS)[number];

/** Every count of forms and responses below is over this sliding window (rate-counter.ts). */
export const FORMS_WINDOW_MS = 10 * 60_000;
/** New forms one phone opens at one desk (a second visit, a slip of the thumb, a family's phone). */
export const FORMS_PER_PERSON = 3;
/** New forms one phone opens across every desk: a citizen visits two or three desks, not seven. */
export const FORMS_PER_PERSON_ANYWHERE = 6;
/**
 * New forms opened at one desk from one address. A busy desk sees 200 citizens a day and peaks of 20
 * in 10 minutes; if every one of them were on the center's Wi-Fi that is 20, so 30 leaves a margin.
 */
export const FORMS_PER_ADDRESS = 30;
/** New forms from one address across every desk: a large center's hall at its peak, on one Wi-Fi or one carrier address. */
export const FORMS_PER_ADDRESS_ANYWHERE = 150;
/** A desk's responses per window beyond which they are a burst: BURST_FACTOR times usual, at least BURST_MIN. */
export const BURST_WINDOW_MS = FORMS_WINDOW_MS;
export const BURST_FACTOR = 5;
export const BURST_MIN = 30;
/** The same phone, the same answers, the same desk, within this time: sent twice. */
export const REPEAT_WINDOW_MS = 30 * 60_000;

/** Between two citizens at a tablet: the thank-you page (8 s) and a form filled in (15 s at least). */
export const TABLET_MIN_GAP_MS = 20_000;
/** A tablet's responses in one window: more than a desk serves (its peak is 20 in 10 minutes). */
export const TABLET_PER_WINDOW = 24;
/** Three identical answers in a row on one tablet within this time. */
export const TABLET_SAME_WITHIN_MS = 3 * 60_000;
/** Local hours a tablet is expected to be used: from 06:00 to before 20:00 (hospitals start early). */
export const TABLET_OPEN_HOURS = { from: 6, to: 20 } as const;
/** Responses outside those hours in one window before they are flagged (a cleaner's tap is not a burst). */
export const TABLET_AFTER_HOURS = 2;
/** Different devices (address and browser) sending through one tablet's address in one window. */
export const TABLET_DEVICES = 2;

export interface PhoneSignalInput {
  kind: 'phone';
  honeypot: boolean;
  secondsTaken: number;
  minSeconds: number;
  /** When the form was issued, the phone or its address had already opened more new forms than the thresholds (its token says so). */
  formOver: boolean;
  /** Forms sent by this phone or its address in the window, this one included, are beyond the same thresholds. */
  sentBeyond: boolean;
  /** Responses at this desk in the window, this one included. */
  deskSubmissions: number;
  /** The desk's usual responses per window (its last seven days). */
  deskUsual: number;
  /** This phone sent these same answers at this desk shortly before. */
  repeated: boolean;
}

export interface TabletSignalInput {
  kind: 'tablet';
  honeypot: boolean;
  secondsTaken: number;
  minSeconds: number;
  /** The tablet's responses in the TABLET_MIN_GAP_MS before this one. */
  justBefore: number;
  /** The tablet's responses in the window, this one included. */
  tabletSubmissions: number;
  /** This one and the two before it carry the same answers, within TABLET_SAME_WITHIN_MS. */
  sameThrice: boolean;
  /** The tablet's responses outside opening hours in the window, this one included (0 within hours). */
  afterHours: number;
  /** Different devices that sent through the tablet's address in the window. */
  devices: number;
  deskSubmissions: number;
  deskUsual: number;
}

/** Counts of one phone and its address in the window (forms opened, or forms sent), this one included. */
export interface PersonCounts {
  here: number;
  anywhere: number;
  addressHere: number;
  addressAnywhere: number;
}

/** More than one person (the phone) or one crowded hall (the address) does in the window. */
export function beyondOnePerson(c: PersonCounts): boolean {
  return c.here > FORMS_PER_PERSON || c.anywhere > FORMS_PER_PERSON_ANYWHERE || c.addressHere > FORMS_PER_ADDRESS || c.addressAnywhere > FORMS_PER_ADDRESS_ANYWHERE;
}

export function signalsOf(s: PhoneSignalInput | TabletSignalInput): Signal[] {
  const found: Signal[] = [];
  if (s.honeypot) found.push('honeypot');
  if (s.minSeconds > 0 && s.secondsTaken < s.minSeconds) found.push('too-fast');
  if (s.kind === 'phone') {
    if (s.formOver || s.sentBeyond) found.push('many-forms');
  }
  if (s.deskSubmissions > Math.max(BURST_MIN, BURST_FACTOR * s.deskUsual)) found.push('burst');
  if (s.kind === 'phone') {
    if (s.repeated) found.push('repeat');
    return found;
  }
  if (s.justBefore > 0) found.push('tablet-pace');
  if (s.tabletSubmissions > TABLET_PER_WINDOW) found.push('tablet-burst');
  if (s.sameThrice) found.push('tablet-same');
  if (s.afterHours > TABLET_AFTER_HOURS) found.push('tablet-hours');
  if (s.devices > TABLET_DEVICES) found.push('tablet-devices');
  return found;
}

/** A script is spam; anything else that looks odd waits for a person to decide. */
export function statusOf(signals: readonly Signal[]): ResponseStatus {
  if (signals.includes('honeypot')) return 'spam';
  return signals.length > 0 ? 'suspect' : 'ok';
}
