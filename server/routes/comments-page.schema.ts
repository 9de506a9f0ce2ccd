/**
 * What hiding or showing a comment accepts, beside its route (comments-page.ts; issue 19: a zod
 * schema beside each route): the comment and the action in the address (anything else is a page
 * that does not exist, 404), and the comments page to return to, only ever one of this site.
 */
import { z } from 'zod';

/** POST /dashboard/comments/:id/:action */
export const moderationParamsSchema = z.object({
  id: z.string().transform(Number).refine(Number.isSafeInteger),
  action: z.enum(['hide', 'unhide']),
});

/** Only back to a comments page of this site: never anywhere a crafted form could send a person. */
export const moderationBodySchema = z
  .object({
    return_to: z.unknown().optional().transform((value) => (typeof value === 'string' && /^\/dashboard\/comments(\?[^#\s]*)?$/.test(value) ? value : '/dashboard/comments')),
  })
  .catch({ return_to: '/dashboard/comments' });
