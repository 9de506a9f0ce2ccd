/**
 * Why: changing an account's name, role, unit, paper entry and email settings (issue 22) on /admin/users/:id is a write with its
 * permission (whoever manages the account), the account rules (rules.ts), the last active
 * administrator kept, and the audit entry 'user.update', written in one transaction.
 */
import type { Kysely } from 'kysely';
import { audit } from '../../db/queries/audit.ts';
import { listUnits } from '../../db/queries/units.ts';
import { updateUser } from '../../db/queries/users.ts';
import type { Database, Role, User } from '../../db/schema.ts';
import { authorize } from '../auth/permissions.ts';
import type { Staff } from '../auth/scope.ts';
import { staffActor } from './actor.ts';
import { type AccountInput, type AccountProblems, accountProblems, emailSettingsOf, hasProblems, isLastActiveAdmin } from './rules.ts';

export type UpdateAccountResult =
  | { ok: true }
  | { ok: false; status: 403 }
  | { ok: false; status: 422; problems: AccountProblems }
  /** The last active administrator cannot be made anything else. */
  | { ok: false; status: 409; reason: 'last-admin' };

export async function updateAccount(db: Kysely<Database>, staff: Staff, user: User, input: Omit<AccountInput, 'username'>, at: string): Promise<UpdateAccountResult> {
  const units = await listUnits(db);
  if (!authorize(staff, 'manageUser', { user: { role: user.role, unitId: user.unit_id }, units })) return { ok: false, status: 403 };
  // Email settings not given (a caller that does not show them) stay as they are.
  input = { ...input, email: input.email ?? user.email ?? '', lang: input.lang ?? user.lang, alertEmails: input.alertEmails ?? user.alert_emails === 1 };
  const problems = accountProblems(staffActor(staff), input, units);
  if (hasProblems(problems)) return { ok: false, status: 422, problems };
  const after = { displayName: input.displayName, role: input.role as Role, unitId: input.unitId, paperEntry: input.paperEntry, ...emailSettingsOf(input) };

  return db.transaction().execute(async (trx) => {
    if (after.role !== 'admin' && (await isLastActiveAdmin(trx, user))) return { ok: false, status: 409, reason: 'last-admin' } as const;
    await updateUser(trx, user.id, after);
    await audit(trx, {
      at,
      userId: staff.id,
      action: 'user.update',
      subject: user.username,
      before: {
        displayName: user.display_name,
        role: user.role,
        unitId: user.unit_id,
        paperEntry: user.paper_entry === 1,
        email: user.email,
        lang: user.lang,
        alertEmails: user.alert_emails === 1,
      },
      after,
    });
    return { ok: true } as const;
  });
}
