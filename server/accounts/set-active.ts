/**
 * Why: disabling and enabling an account, the same from /admin/users and from `sipas user disable`
 * and `enable`, is one command: disabling signs the person out everywhere, revokes their API tokens
 * and drops their unused unlock links at once, the last active administrator is never disabled, and
 * the audit entry ('user.disable' / 'user.enable') is written in the same transaction.
 */
import type { Kysely } from 'kysely';
import { revokeTokensOfUser } from '../../db/queries/api-tokens.ts';
import { audit } from '../../db/queries/audit.ts';
import { deleteSessionsOfUser } from '../../db/queries/sessions.ts';
import { listUnits } from '../../db/queries/units.ts';
import { deleteUnusedUnlockLinks } from '../../db/queries/unlock-links.ts';
import { setUserActive } from '../../db/queries/users.ts';
import type { Database, User } from '../../db/schema.ts';
import { authorize } from '../auth/permissions.ts';
import { type Actor, actorUserId } from './actor.ts';
import { isLastActiveAdmin } from './rules.ts';

/** What disabling ended: sessions signed out, API tokens revoked. */
export interface Ended {
  sessions: number;
  tokens: number;
}

export type SetActiveResult =
  | { ok: true; ended: Ended }
  | { ok: false; status: 403 }
  /** last-admin: the last active administrator; unchanged: the account is already so (nothing written). */
  | { ok: false; status: 409; reason: 'last-admin' | 'unchanged' };

export async function setAccountActive(db: Kysely<Database>, actor: Actor, user: User, active: boolean, at: string): Promise<SetActiveResult> {
  if (actor.kind === 'staff' && !authorize(actor.staff, 'manageUser', { user: { role: user.role, unitId: user.unit_id }, units: await listUnits(db) })) {
    return { ok: false, status: 403 };
  }
  if ((user.active === 1) === active) return { ok: false, status: 409, reason: 'unchanged' };

  return db.transaction().execute(async (trx) => {
    if (!active && (await isLastActiveAdmin(trx, user))) return { ok: false, status: 409, reason: 'last-admin' } as const;
    let ended: Ended = { sessions: 0, tokens: 0 };
    await setUserActive(trx, user.id, active);
    if (!active) {
      await deleteUnusedUnlockLinks(trx, user.id);
      ended = { sessions: await deleteSessionsOfUser(trx, user.id), tokens: await revokeTokensOfUser(trx, user.id, at) };
    }
    await audit(trx, {
      at,
      userId: actorUserId(actor),
      action: active ? 'user.enable' : 'user.disable',
      subject: user.username,
      ...(actor.kind === 'operator' ? { detail: 'cli' } : {}),
      before: { active: !active },
      after: { active, ...(active ? {} : ended) },
    });
    return { ok: true, ended } as const;
  });
}
