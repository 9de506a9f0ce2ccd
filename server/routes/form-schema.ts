/**
 * Why: each route parses its form with a zod schema beside it (issue 19), and staff forms read
 * their fields the same way staff forms always were: text trimmed, NFC-normalised and
 * without control characters, a missing or repeated field read as empty, a box ticked when it sends
 * "1" or "on". These are those readings as zod types, so a schema states its fields and nothing
 * else; none of them fails, so bad input reaches the command's rules and their clear messages.
 */
import { z } from 'zod';

/** A text field: trimmed, NFC-normalised, without control characters; '' when missing or repeated. */
export const formText = z.unknown().optional().transform((value) => (typeof value === 'string' ? value.normalize('NFC').replace(/[^\P{C}\n]/gu, '').trim() : ''));

/** A field taken exactly as sent (a password): a string, or '' for anything else. */
export const formRaw = z.unknown().optional().transform((value) => (typeof value === 'string' ? value : ''));

/** A checkbox (or a hidden "1"). */
export const formCheckbox = z.unknown().optional().transform((value) => value === '1' || value === 'on');

/** A positive whole number (an id) in a route parameter or a field; fails for anything else. */
export const idParam = z.string().regex(/^[1-9][0-9]{0,9}$/).transform(Number);

/** A positive whole number from a route parameter or a field, read without zod (a query string); null for anything else. */
export function positiveId(value: unknown): number | null {
  if (typeof value !== 'string' || !/^[1-9][0-9]{0,9}$/.test(value)) return null;
  return Number(value);
}

/** Errors of a form, field name to a message already in the reader's language. */
export type FormErrors = Record<string, string>;
