/**
 * Why: the forms /admin/targets reads, beside its route (issue 19): one row's target (indicator,
 * year, threshold, source) and the year to add. A year or indicator that is not a number is left
 * for the command to refuse (400), as before; unknown fields are ignored.
 */
import { z } from 'zod';
import { formText } from '../form-schema.ts';
import { positiveId } from '../form-schema.ts';

/** A whole number as typed, or NaN (refused by the command). */
const formYear = formText.transform((s) => Number(s));

export const TargetFormSchema = z.object({
  indicator: formText.transform((s) => positiveId(s)),
  year: formYear,
  /** A comma is the decimal point people in Việt Nam type. */
  threshold: formText.transform((s) => s.replace(',', '.')),
  source: formText,
});

export const TargetYearFormSchema = z.object({ year: formYear });
