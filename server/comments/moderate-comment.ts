/**
 * Hiding a citizen's comment, or showing it again, as one command (issue 19: the comments page
 * wrote the change and then its audit entry, as a second statement). `moderateComment` owns who may
 * (authorize 'moderate', and 'seeUnit' for the comment's unit: a unit the person cannot see is
 * refused like any other), and writes the change and its 'comment.hide' / 'comment.unhide' entry
 * in one transaction, so neither is ever written without the other.
 */
import type { Kysely } from 'kysely';
import { audit } from '../../db/queries/audit.ts';
import { commentUnit, setCommentHidden } from '../../db/queries/comments.ts';
import { listUnits } from '../../db/queries/units.ts';
import type { Database } from '../../db/schema.ts';
import { authorize } from '../auth/permissions.ts';
import type { Staff } from '../auth/scope.ts';

/** Hide: leave the dashboard and public pages (kept in the database); unhide: back on them. */
export type Moderation = 'hide' | 'unhide';

export type ModerateOutcome =
  | { kind: 'done'; commentId: number; action: Moderation }
  /** No such comment (404). */
  | { kind: 'notFound' }
  /** Not a moderator, or a comment of a unit the person does not see (403). */
  | { kind: 'forbidden' };

export async function moderateComment(db: Kysely<Database>, staff: Staff, commentId: number, action: Moderation, at: string): Promise<ModerateOutcome> {
  if (!authorize(staff, 'moderate')) return { kind: 'forbidden' };
  const unitId = await commentUnit(db, commentId);
  if (unitId === undefined) return { kind: 'notFound' };
  if (!authorize(staff, 'seeUnit', { unitId, units: await listUnits(db) })) return { kind: 'forbidden' };
  await db.transaction().execute(async (trx) => {
    await setCommentHidden(trx, commentId, action === 'hide');
    await audit(trx, { at, userId: staff.id, action: `comment.${action}`, subject: String(commentId) });
  });
  return { kind: 'done', commentId, action };
}
