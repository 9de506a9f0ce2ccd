/**
 * Why: the forms /admin/units reads, beside its route (issue 19): the unit form (creating and
 * changing; the code is read only for a new unit), the activate/deactivate button and the ids in the
 * paths. The desk form of a unit's page is the desk pages' (desks.schema.ts); the CSV import is a
 * file, read by its command (server/units/import-units.ts). Unknown fields are ignored, as always.
 */
import { z } from 'zod';
import { formText, idParam } from '../form-schema.ts';

export const UnitFormSchema = z.object({
  code: formText,
  name: formText,
  kind: formText,
  /** A unit id, or '' for none. */
  parent: formText,
});

export { ActiveFormSchema, DeskFormSchema } from './desks.schema.ts';

export const UnitParamsSchema = z.object({ id: idParam });
