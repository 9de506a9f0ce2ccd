/**
 * Why: the forms /admin/users reads, beside its route (issue 19): the account form (creating and
 * changing), the enable/disable button and the ids in the paths. Unknown fields are ignored, as they
 * always were; the rules of an account are the command's (server/accounts/rules.ts), not these.
 */
import { z } from 'zod';
import { formCheckbox, formText, idParam } from '../form-schema.ts';

export const UserFormSchema = z.object({
  username: formText.transform((s) => s.toLowerCase()),
  display_name: formText,
  role: formText,
  /** A unit id, or '' for none. */
  unit: formText,
  paper_entry: formCheckbox,
  /** Issue 22: where alert emails go ('' for none), their language, and whether they are sent. */
  email: formText,
  lang: formText,
  alert_emails: formCheckbox,
});
export type UserForm = z.output<typeof UserFormSchema>;

/** "1" enables the account; anything else disables it. */
export const ActiveFormSchema = z.object({ active: formText.transform((s) => s === '1') });

export const UserParamsSchema = z.object({ id: idParam });
export const TokenParamsSchema = z.object({ id: idParam, tokenId: idParam });
