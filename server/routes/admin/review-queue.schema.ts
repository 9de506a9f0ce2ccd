/**
 * What a reviewer's decision accepts, beside its route (review-queue.ts; issue 19: a zod schema
 * beside each route): keep or remove, the tab it was made on, the desk, and which responses — a
 * whole group as it was shown (its signals, the newest response shown, and the channel, link and
 * typist that narrow it when the page sent them), or the ticked ones (`selection=selected`). A form
 * of any other shape is refused (400), as before.
 */
import { z } from 'zod';
import type { Channel } from '../../../db/schema.ts';
import { CHANNELS } from '../../figures/filters.ts';
import { idParam } from '../form-schema.ts';
import { positiveId } from '../form-schema.ts';

/** Ticked responses acted on at once. */
export const SELECTED_MAX = 500;

/** The ticked responses: every `id` that is one, the first SELECTED_MAX. */
const ticked = z.unknown().optional().transform((value) => {
  const list = Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : typeof value === 'string' ? [value] : [];
  return list.map(positiveId).filter((id): id is number => id !== null).slice(0, SELECTED_MAX);
});

const common = z.object({
  decision: z.enum(['keep', 'remove']),
  /** The tab's status: 'suspect' (waiting) or 'spam' (removed). */
  from: z.enum(['suspect', 'spam']),
  desk: idParam,
});

const selected = z.object({ selection: z.literal('selected'), id: ticked });

const group = z.object({
  flags: z.string(),
  upto: idParam,
  channel: z.enum(CHANNELS as [Channel, ...Channel[]]).optional(),
  verified: z.enum(['0', '1']).optional(),
  typist: z.union([z.literal('').transform(() => null), idParam]).optional(),
});

/** POST /admin/review: the decision, and the responses it is about, as a selection of one desk's responses with the tab's status. */
export const reviewDecisionSchema = z.intersection(common, z.union([selected, group])).transform((body) => {
  const { decision, from, desk: deskId } = body;
  if ('selection' in body && body.selection === 'selected') return { decision, from, selection: { status: from, deskId, ids: body.id } };
  const g = body as z.infer<typeof group>;
  const narrowing: { channel?: Channel; verified?: boolean; enteredBy?: number | null } = {};
  if (g.channel !== undefined) narrowing.channel = g.channel;
  if (g.verified !== undefined) narrowing.verified = g.verified === '1';
  if (g.typist !== undefined) narrowing.enteredBy = g.typist;
  return { decision, from, selection: { status: from, deskId, flags: g.flags, upTo: g.upto, ...narrowing } };
});

export type ReviewDecisionForm = z.infer<typeof reviewDecisionSchema>;
