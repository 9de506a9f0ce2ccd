/**
 * What /paper's forms and addresses accept, beside their route (issue 19: a zod schema beside each
 * route). The entry form is a batch's desk, day and running count, the form's number, and the
 * answers named by question keys as on the citizen's form; which answers a questionnaire takes is
 * the command's (survey/enter-paper-form.ts, through survey/validate.ts). Text is read as every staff
 * form reads it (form-schema.ts `formText`): anything else is an empty box, as before.
 */
import { z } from 'zod';
import type { RawForm } from '../survey/validate.ts';
import { positiveId } from './form-schema.ts';
import { formText as field } from './form-schema.ts';

/** Fields of the entry page that are not answers. */
const ENTRY_FIELDS = new Set(['_csrf', 'desk', 'day', 'count', 'paper_number']);

/** The batch's running count: a whole number, 0 for anything else. */
const count = field.transform((value) => Math.max(0, Number(value) || 0));
/** A desk's id, null when it is none. */
const desk = field.transform((value) => positiveId(value));

/** GET /paper and /paper/entry: the batch asked for, and what the last save said. */
export const paperQuerySchema = z.object({ desk, day: field, count, saved: field, review: field });

/** POST /paper/entry. */
export const paperEntrySchema = z
  .record(z.string(), z.union([z.string(), z.array(z.string())]))
  .transform((body) => {
    // The answers; an empty box is left out (a box not typed in, which the command asks for; a blank answer is typed "-").
    const answers: RawForm = {};
    for (const [key, value] of Object.entries(body)) {
      if (ENTRY_FIELDS.has(key)) continue;
      if (typeof value === 'string' && value.trim() === '') continue;
      answers[key] = typeof value === 'string' ? value.trim() : value;
    }
    const fields = z.object({ desk, day: field, count, paper_number: field }).parse(body);
    return { deskId: fields.desk, day: fields.day, count: fields.count, paperNumber: fields.paper_number, answers };
  });
