/**
 * Why: the account commands are called from the administration pages (a signed-in member of staff)
 * and from `sipas user …` / `sipas token …` (whoever runs the command line on the server, who holds
 * the whole database already: the operator of auth/scope.ts's Audience). One type says which, so a
 * command checks the permission of the one and records who did it, the same way for both.
 */
import type { Audience, Staff } from '../auth/scope.ts';

/** Who does a write: a member of staff, or the operator at the command line. */
export type Actor = Exclude<Audience, { kind: 'public' }>;

export const OPERATOR: Actor = { kind: 'operator' };

export function staffActor(staff: Staff): Actor {
  return { kind: 'staff', staff };
}

/** The audit log's user for this actor: the staff member, or none (the command line). */
export function actorUserId(actor: Actor): number | null {
  return actor.kind === 'staff' ? actor.staff.id : null;
}
