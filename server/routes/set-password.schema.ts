/** Why: the set-password form beside its route (issue 19): the new password, typed twice. */
import { z } from 'zod';
import { formRaw } from './form-schema.ts';

export const SetPasswordFormSchema = z.object({
  password: formRaw,
  password_again: formRaw,
});
