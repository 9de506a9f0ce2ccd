/**
 * Why: the forms the desk pages read, beside their route (issue 19): the desk form (new desks on
 * their unit's page, changes on the desk's own page), the activate/deactivate button, a counter
 * tablet's name and the ids in the paths. Unknown fields are ignored, as they always were; a desk's
 * rules are its commands' (server/desks/), not these.
 */
import { z } from 'zod';
import { formText, idParam } from '../form-schema.ts';

/** Every value of a field that may repeat (checkboxes, a multiple select), as staff forms always read them. */
export const formValues = z
  .unknown()
  .optional()
  .transform((value) => (typeof value === 'string' ? [value] : Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : []));

/** A "1" that turns something on; anything else turns it off. */
export const formOne = formText.transform((s) => s === '1');

/** The desk form; `code` is read only when a desk is created (it stays once printed). */
export const DeskFormSchema = z.object({
  code: formText,
  name: formText,
  fields: formValues,
  questionnaire: formText,
  requires_dossier: formOne,
});

export const ActiveFormSchema = z.object({ active: formOne });

export const KioskFormSchema = z.object({ kiosk_name: formText });

export const DeskParamsSchema = z.object({ id: idParam });
export const KioskParamsSchema = z.object({ id: idParam, kioskId: idParam });
