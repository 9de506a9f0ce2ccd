/**
 * What the survey's POST accepts, beside its route (issue 19: a zod schema beside each route): a
 * form of text fields, some repeated (a question with several answers). The answers themselves are
 * checked against the questionnaire version the citizen saw (survey/validate.ts), which knows the
 * questions; here only the shape. Checked in place, not copied: this is the survey's hot path.
 */
import { z } from 'zod';
import type { RawForm } from '../survey/validate.ts';

function isRawForm(body: unknown): body is RawForm {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return false;
  for (const key in body) {
    const value = (body as Record<string, unknown>)[key];
    if (typeof value === 'string') continue;
    if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) return false;
  }
  return true;
}

/** The survey form's body (express.urlencoded, not extended: text, or lists of text). */
export const surveyPostSchema = z.custom<RawForm>(isRawForm);
