/**
 * Why: the forms /canh-bao/cai-dat reads, beside its route (issue 19's rule): adding a webhook (its
 * URL and unit, '' for the province), the enable/disable button and the webhook's id in the path.
 * The URL's rules are the command's (server/alerts/webhook-settings.ts), so a bad one gets its message.
 */
import { z } from 'zod';
import { formText, idParam } from './form-schema.ts';

export const WebhookFormSchema = z.object({
  url: formText,
  /** A unit id, or '' for the province; anything else names no unit (refused). */
  unit: formText,
});
export type WebhookForm = z.output<typeof WebhookFormSchema>;

/** "1" enables the webhook; anything else disables it. */
export const WebhookActiveSchema = z.object({ active: formText.transform((s) => s === '1') });

export const WebhookParamsSchema = z.object({ id: idParam });
