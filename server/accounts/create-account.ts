/**
 * Why: an account was created by two copies of its rules, /admin/users (with a one-time link for its
 * owner to set the password) and `sipas user add` (with a password read from stdin). Both call
 * createAccount: the rules (rules.ts), the permission, the account, its link when it has no
 * password, and the audit entry 'user.create' (with the email settings, issue 22), written in one transaction.
 */
import type { Kysely } from 'kysely';
import { audit } from '../../db/queries/audit.ts';
import { listUnits } from '../../db/queries/units.ts';
import { createUser, findUserByUsername } from '../../db/queries/users.ts';
import type { Database, Role } from '../../db/schema.ts';
import { newPasswordProblems } from '../auth/password-strength.ts';
import { hashPassword } from '../auth/passwords.ts';
import { authorize } from '../auth/permissions.ts';
import { type Actor, actorUserId } from './actor.ts';
import { writePasswordLink } from './links.ts';
import { type AccountInput, type AccountProblems, accountProblems, emailSettingsOf, hasProblems, takenProblem } from './rules.ts';

export interface NewAccount extends AccountInput {
  /** Given at the command line; otherwise the account gets an invitation link and no password yet. */
  password?: string;
}

export type CreateAccountResult =
  /** token: the invitation link's token, to be shown once (null when a password was given). */
  | { ok: true; id: number; role: Role; unitName: string | null; token: string | null }
  | { ok: false; status: 403 }
  | { ok: false; status: 422; problems: AccountProblems };

export async function createAccount(db: Kysely<Database>, actor: Actor, input: NewAccount, at: string): Promise<CreateAccountResult> {
  const units = await listUnits(db);
  const problems = accountProblems(actor, input, units);
  if (input.password !== undefined) {
    const weak = newPasswordProblems(input.password, { username: input.username, displayName: input.displayName });
    if (weak.length > 0) problems.password = weak;
  }
  if (!problems.username && (await findUserByUsername(db, input.username))) problems.username = takenProblem(input.username);
  if (hasProblems(problems)) return { ok: false, status: 422, problems };
  const role = input.role as Role;
  if (actor.kind === 'staff' && !authorize(actor.staff, 'manageUser', { user: { role, unitId: input.unitId }, units })) return { ok: false, status: 403 };
  const unit = units.find((u) => u.id === input.unitId) ?? null;
  // No password yet: nobody can sign in as this account until its owner opens the link.
  const passwordHash = input.password === undefined ? '' : await hashPassword(input.password);
  const mail = emailSettingsOf(input);

  return db.transaction().execute(async (trx) => {
    const id = await createUser(trx, { username: input.username, displayName: input.displayName, passwordHash, role, unitId: input.unitId, paperEntry: input.paperEntry, ...mail }, at);
    const token = passwordHash === '' ? await writePasswordLink(trx, id, 'invite', actorUserId(actor), at) : null;
    await audit(
      trx,
      actor.kind === 'operator'
        ? { at, userId: null, action: 'user.create', subject: input.username, detail: `cli ${role}${unit ? ` ${unit.code}` : ''}` }
        : { at, userId: actor.staff.id, action: 'user.create', subject: input.username, after: { role, unitId: input.unitId, paperEntry: input.paperEntry, ...mail } },
    );
    return { ok: true, id, role, unitName: unit?.name ?? null, token };
  });
}
