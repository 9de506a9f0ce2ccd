/**
 * The survey's defence against stuffing, per client (client.ts) and desk: limits on how many forms
 * are opened and sent (429 with Retry-After beyond them, counted in the database through
 * rate-counter.ts so every app server shares them and a restart forgets nothing) and the signals of
 * signals.ts for each submission that gets through.
 */
import type { Kysely } from 'kysely';
import { addDays, localDay } from '../../analytics/time.ts';
import { responsesSince } from '../../db/queries/desks.ts';
import type { Database } from '../../db/schema.ts';
import type { RateCounter } from '../rate-counter.ts';
import type { Client } from './client.ts';
import { BURST_WINDOW_MS, FORMS_WINDOW_MS, type Signal, signalsOf } from './signals.ts';

const MINUTE = 60_000;
/** Office hours a week, in burst windows: 5.5 days of 9 hours. */
const WINDOWS_PER_WEEK = (5.5 * 9 * 60 * 60_000) / BURST_WINDOW_MS;
const USUAL_KEPT_MS = 10 * 60_000;
const REPEAT_WINDOW_MS = 30 * 60_000;
const REPEATS_KEPT = 20_000;

export interface Limits {
  /** Forms a client may open at one desk per minute. */
  formsPerMinute: number;
  /** Forms a client may send to one desk per minute. */
  submissionsPerMinute: number;
  minSeconds: number;
}

export type Admission = { allowed: true } | { allowed: false; retryAfter: number };

export interface StuffingGuard {
  openForm(client: Client, deskId: number): Admission;
  submit(client: Client, deskId: number): Admission;
  signals(s: { client: Client; deskId: number; secondsTaken: number; honeypot: boolean; answers: string }): Promise<Signal[]>;
}

export function createStuffingGuard(db: Kysely<Database>, counter: RateCounter, limits: Limits, now: () => Date): StuffingGuard {
  counter.watch([MINUTE, FORMS_WINDOW_MS, BURST_WINDOW_MS]);
  const usual = new Map<number, { at: number; perWindow: number }>();
  const recentAnswers = new Map<string, number>();

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

  return {
    openForm(client, deskId) {
      counter.hit(`opened|${client.device}|${deskId}`, FORMS_WINDOW_MS);
      counter.hit(`opened|${client.address}|${deskId}`, FORMS_WINDOW_MS);
      return admit(`form|${client.address}|${deskId}`, limits.formsPerMinute);
    },
    submit(client, deskId) {
      return admit(`post|${client.address}|${deskId}`, limits.submissionsPerMinute);
    },
    async signals(s) {
      const at = now().getTime();
      const answersKey = `${s.client.device}|${s.deskId}|${s.answers}`;
      const before = recentAnswers.get(answersKey);
      recentAnswers.delete(answersKey);
      recentAnswers.set(answersKey, at);
      if (recentAnswers.size > REPEATS_KEPT) recentAnswers.delete(recentAnswers.keys().next().value as string);
      return signalsOf({
        honeypot: s.honeypot,
        secondsTaken: s.secondsTaken,
        minSeconds: limits.minSeconds,
        formsOpened: counter.count(`opened|${s.client.device}|${s.deskId}`, FORMS_WINDOW_MS),
        addressFormsOpened: counter.count(`opened|${s.client.address}|${s.deskId}`, FORMS_WINDOW_MS),
        deskSubmissions: counter.hit(`desk|${s.deskId}`, BURST_WINDOW_MS),
        deskUsual: await usualPerWindow(s.deskId),
        repeated: before !== undefined && at - before < REPEAT_WINDOW_MS,
      });
    },
  };
}
