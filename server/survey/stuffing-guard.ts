/**
 * The survey's defence against stuffing, per client (client.ts), tablet and desk: limits on how many
 * forms are opened and sent (429 with Retry-After beyond them) and the signals of signals.ts for each
 * submission that gets through. Everything is counted on sliding windows in the database through
 * rate-counter.ts, so every app server shares the counts, a restart forgets nothing and no window
 * boundary lets a client send twice its limit.
 *
 * What counts as opening a form is decided by the survey route: a new form from the QR code, or an
 * expired form renewed. Reloading a form, going Back, switching language or correcting a mistake
 * hand over the same form and count nothing; a registered tablet's forms count for the tablet, never
 * for the phone or the address (a center's tablet shares the center's Wi-Fi).
 */
import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import { addDays, localDay, localTimestamp } from '../../analytics/time.ts';
import { responsesSince } from '../../db/queries/desks.ts';
import type { Database } from '../../db/schema.ts';
import type { RateCounter } from './rate-counter.ts';
import type { Client } from './client.ts';
import { PAPER_WINDOW_MS } from './paper-signals.ts';
import {
  beyondOnePerson,
  BURST_WINDOW_MS,
  FORMS_WINDOW_MS,
  REPEAT_WINDOW_MS,
  type Signal,
  signalsOf,
  TABLET_MIN_GAP_MS,
  TABLET_OPEN_HOURS,
  TABLET_SAME_WITHIN_MS,
} from './signals.ts';

const MINUTE = 60_000;
/** Office hours a week, in burst windows: 5.5 days of 9 hours. */
const WINDOWS_PER_WEEK = (5.5 * 9 * 60 * 60_000) / BURST_WINDOW_MS;
const USUAL_KEPT_MS = 10 * 60_000;

export interface Limits {
  /** New forms a client address may open at one desk per minute. */
  formsPerMinute: number;
  /** Forms a client address may send to one desk per minute. */
  submissionsPerMinute: number;
  minSeconds: number;
}

export type Admission = { allowed: true } | { allowed: false; retryAfter: number };
/** A new form, and whether the phone or its address had already opened more than a person or a hall does (carried in its token). */
export type Opening = { allowed: true; over: boolean } | { allowed: false; retryAfter: number };

/** Where a submission came from: a citizen's phone, or a counter tablet (registered, or a desk's older tablet address). */
export type Sender = { kind: 'phone'; client: Client } | { kind: 'tablet'; tablet: string; client: Client };

export interface SubmissionFacts {
  sender: Sender;
  deskId: number;
  /** What the guard saw when the form was issued (its token's `over`). */
  formOver: boolean;
  secondsTaken: number;
  honeypot: boolean;
  /** The answers in a canonical form: equal strings for equal answers. */
  answers: string;
}

export interface StuffingGuard {
  /** A new form for a citizen's phone (from the QR code, or an expired one renewed): counted and limited. */
  openForm(client: Client, deskId: number): Opening;
  /** A form sent to be stored. */
  submit(client: Client, deskId: number): Admission;
  /** A form sent back to be shown again (another language, a correction): limited, never counted as a form. */
  keepDraft(client: Client, deskId: number): Admission;
  signals(s: SubmissionFacts): Promise<Signal[]>;
  /**
   * Counts one paper form typed in by an account and returns how many it typed in the window before
   * this one: counted in the database before the form is stored, so forms posted all at once, to one
   * app server or several, count one by one.
   */
  paperTyped(userId: number, windowMs: number): Promise<number>;
  /** Counts one dossier link a token asks for at a desk; returns how many it asked for there in each window, this one included (in the database, like paperTyped). */
  linksAsked(tokenId: number, deskId: number, windowsMs: readonly number[]): Promise<number[]>;
}

const digest = (text: string) => createHash('sha256').update(text).digest().subarray(0, 12).toString('base64url');

export function createStuffingGuard(db: Kysely<Database>, counter: RateCounter, limits: Limits, now: () => Date): StuffingGuard {
  counter.watch([MINUTE, FORMS_WINDOW_MS, REPEAT_WINDOW_MS, TABLET_MIN_GAP_MS, TABLET_SAME_WITHIN_MS, PAPER_WINDOW_MS]);
  const usual = new Map<number, { at: number; perWindow: number }>();

  async function usualPerWindow(deskId: number): Promise<number> {
    const at = now().getTime();
    const cached = usual.get(deskId);
    if (cached && at - cached.at < USUAL_KEPT_MS) return cached.perWindow;
    const week = await responsesSince(db, deskId, addDays(localDay(now()), -7));
    const perWindow = week / WINDOWS_PER_WEEK;
    usual.set(deskId, { at, perWindow });
    return perWindow;
  }

  function admit(key: string, limit: number): Admission {
    const count = counter.hit(key, MINUTE);
    return count <= limit ? { allowed: true } : { allowed: false, retryAfter: counter.secondsLeft(MINUTE) };
  }

  function tabletFacts(tablet: string, client: Client, answers: string) {
    const hour = Number(localTimestamp(now()).slice(11, 13));
    const open = hour >= TABLET_OPEN_HOURS.from && hour < TABLET_OPEN_HOURS.to;
    // A device's first response through this tablet's address in the window adds one to the devices seen.
    const firstOfDevice = counter.hit(`tdevice|${tablet}|${client.device}`, FORMS_WINDOW_MS) === 1;
    const inWindow = counter.hit(`tablet|${tablet}`, FORMS_WINDOW_MS);
    // Counted before this one is added: how many responses the tablet sent in the last TABLET_MIN_GAP_MS.
    const justBefore = counter.hit(`tpace|${tablet}`, TABLET_MIN_GAP_MS) - 1;
    return {
      justBefore,
      tabletSubmissions: inWindow,
      sameThrice: counter.hit(`tsame|${tablet}|${digest(answers)}`, TABLET_SAME_WITHIN_MS) >= 3,
      afterHours: open ? 0 : counter.hit(`tnight|${tablet}`, FORMS_WINDOW_MS),
      devices: firstOfDevice ? counter.hit(`tdevices|${tablet}`, FORMS_WINDOW_MS) : counter.count(`tdevices|${tablet}`, FORMS_WINDOW_MS),
    };
  }

  return {
    openForm(client, deskId) {
      const over = beyondOnePerson({
        here: counter.hit(`opened|${client.device}|${deskId}`, FORMS_WINDOW_MS),
        anywhere: counter.hit(`opened|${client.device}`, FORMS_WINDOW_MS),
        addressHere: counter.hit(`opened|${client.address}|${deskId}`, FORMS_WINDOW_MS),
        addressAnywhere: counter.hit(`opened|${client.address}`, FORMS_WINDOW_MS),
      });
      const admitted = admit(`form|${client.address}|${deskId}`, limits.formsPerMinute);
      return admitted.allowed ? { allowed: true, over } : admitted;
    },
    submit(client, deskId) {
      return admit(`post|${client.address}|${deskId}`, limits.submissionsPerMinute);
    },
    async linksAsked(tokenId, deskId, windowsMs) {
      const counts: number[] = [];
      for (const ms of windowsMs) counts.push(await counter.hitShared(`link|${tokenId}|${deskId}`, ms));
      return counts;
    },
    async paperTyped(userId, windowMs) {
      return (await counter.hitShared(`paper|${userId}`, windowMs)) - 1;
    },
    keepDraft(client, deskId) {
      return admit(`draft|${client.address}|${deskId}`, limits.formsPerMinute);
    },
    async signals(s) {
      const deskUsual = await usualPerWindow(s.deskId);
      const common = { honeypot: s.honeypot, secondsTaken: s.secondsTaken, minSeconds: limits.minSeconds, deskUsual };
      const { sender } = s;
      // Judged first without the desk's burst; only a response nothing else flagged adds to it, so that
      // a flood of flagged forms cannot push the real citizens after it into review.
      const burst = { key: `desk|${s.deskId}`, deskSubmissions: counter.count(`desk|${s.deskId}`, BURST_WINDOW_MS) + 1 };
      let found: Signal[];
      if (sender.kind === 'tablet') {
        found = signalsOf({ kind: 'tablet', ...common, deskSubmissions: burst.deskSubmissions, ...tabletFacts(sender.tablet, sender.client, s.answers) });
      } else {
        const { device, address } = sender.client;
        found = signalsOf({
          kind: 'phone',
          ...common,
          deskSubmissions: burst.deskSubmissions,
          formOver: s.formOver,
          // Forms sent, whenever they were opened: forms hoarded and sent together are one person's too.
          sentBeyond: beyondOnePerson({
            here: counter.hit(`sent|${device}|${s.deskId}`, FORMS_WINDOW_MS),
            anywhere: counter.hit(`sent|${device}`, FORMS_WINDOW_MS),
            addressHere: counter.hit(`sent|${address}|${s.deskId}`, FORMS_WINDOW_MS),
            addressAnywhere: counter.hit(`sent|${address}`, FORMS_WINDOW_MS),
          }),
          repeated: counter.hit(`same|${device}|${s.deskId}|${digest(s.answers)}`, REPEAT_WINDOW_MS) > 1,
        });
      }
      if (found.length === 0 || (found.length === 1 && found[0] === 'burst')) counter.hit(burst.key, BURST_WINDOW_MS);
      return found;
    },
  };
}
