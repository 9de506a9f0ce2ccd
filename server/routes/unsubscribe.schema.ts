/**
 * Why: the unsubscribe link's query (issue 22): the account's id and the signature, as the email
 * carries them. The form on the page and a mail client's one-click POST send the same query; their
 * body ("List-Unsubscribe=One-Click") is not needed.
 */
import { z } from 'zod';
import { idParam } from './form-schema.ts';

export const UnsubscribeQuerySchema = z.object({
  u: idParam,
  sig: z.string().regex(/^[A-Za-z0-9_-]{1,100}$/),
});
