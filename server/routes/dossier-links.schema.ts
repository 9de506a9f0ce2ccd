/**
 * What the one-stop software sends to POST /api/v1/dossier-links, beside its route (dossier-links.ts;
 * issue 19: a zod schema beside each route): the desk's id, a whole number, and the dossier's code
 * as printed (its form is checked by survey/dossier.ts `normalizeDossier`). Any other shape is 400.
 */
import { z } from 'zod';

export const dossierLinkSchema = z.object({
  desk_id: z.number().refine(Number.isInteger),
  dossier: z.string(),
});
