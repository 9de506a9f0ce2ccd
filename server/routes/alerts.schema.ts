/**
 * What the alerts page's forms and addresses accept, beside its route (alerts.ts): the alert's
 * number in the path, the list's tab and page in the query, and the follow-up form's fields read as
 * every staff form reads text (form-schema.ts); their rules and messages are the command's
 * (alerts/commands.ts), so nothing here refuses a typed value.
 */
import { z } from 'zod';
import type { AlertStatus } from '../../db/schema.ts';
import { formText, idParam, positiveId } from './form-schema.ts';

export const AlertParamsSchema = z.object({ id: idParam });

/** ?tab=open|acknowledged|closed (open by default) and ?page=N (1 by default): never refused. */
export const AlertListQuerySchema = z.object({
  tab: z.unknown().optional().transform((v): AlertStatus => (v === 'acknowledged' || v === 'closed' ? v : 'open')),
  page: z.unknown().optional().transform((v) => Math.min(positiveId(v) ?? 1, 10_000)),
});

/** POST /canh-bao/:id/theo-doi: who took it, what was done, by when; and the list page it came from. */
export const FollowUpFormSchema = z.object({
  owner: formText,
  action: formText,
  due: formText,
  page: z.unknown().optional().transform((v) => Math.min(positiveId(v) ?? 1, 10_000)),
});
