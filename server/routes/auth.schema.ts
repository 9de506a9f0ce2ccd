/**
 * Why: the forms of routes/auth.ts beside it (issue 19): the sign-in form and the first
 * administrator's form. Nothing here refuses: a missing field is empty, and the rules (the account's,
 * the password's) answer in the person's language.
 */
import { z } from 'zod';
import { formRaw } from './form-schema.ts';

export const LoginFormSchema = z.object({
  /** As typed, trimmed and lower-cased; a longer one is no user name (the audit keeps 40 characters). */
  username: formRaw.transform((s) => s.trim().toLowerCase().slice(0, 100)),
  password: formRaw,
  /** Where to go after signing in: checked by safeNext, never trusted. */
  next: z.unknown().optional(),
});

export const SetupFormSchema = z.object({
  username: formRaw.transform((s) => s.trim().toLowerCase()),
  display_name: formRaw.transform((s) => s.trim().normalize('NFC')),
  password: formRaw,
  password_again: formRaw,
});
