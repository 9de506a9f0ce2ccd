/**
 * Why: the rules of an account were written three times (the administration form, the first
 * administrator's form, `sipas user add`). They are written here once, as problems with a message
 * key (words in server/i18n/), and every command that creates or changes an account asks them:
 * a user name of 3-40 plain characters not yet taken, a name, a role the actor may give, a unit the
 * actor manages (required but for administrators), and the last active administrator stays one.
 */
import type { Kysely } from 'kysely';
import { countOtherActiveAdmins } from '../../db/queries/users.ts';
import type { Database, Role, Unit, User } from '../../db/schema.ts';
import { USERNAME_PATTERN } from '../auth/passwords.ts';
import { assignableRoles, managedUnitIds } from '../auth/permissions.ts';
import type { PasswordProblem } from '../auth/password-strength.ts';
import type { MessageKey } from '../i18n/index.ts';
import type { Actor } from './actor.ts';

export const ROLES: readonly Role[] = ['admin', 'manager', 'viewer'];

/** What is wrong with one field, as a message key and its parameters (translated by the caller). */
export type Problem = PasswordProblem;

/** An account as the forms and the command line give it. */
export interface AccountInput {
  username: string;
  displayName: string;
  /** As typed: checked against the roles the actor may give. */
  role: string;
  /** null: no unit (administrators only); an id that names no unit is refused. */
  unitId: number | null;
  paperEntry: boolean;
}

/** Each refused field with its problem; a new password may have several. */
export interface AccountProblems {
  username?: Problem;
  displayName?: Problem;
  role?: Problem;
  unit?: Problem;
  password?: Problem[];
}

export function hasProblems(problems: AccountProblems): boolean {
  return Object.keys(problems).length > 0;
}

export function usernameProblem(username: string): Problem | undefined {
  return USERNAME_PATTERN.test(username) ? undefined : { key: 'setup.error.username' };
}

export function displayNameProblem(displayName: string): Problem | undefined {
  return displayName === '' || displayName.length > 100 ? { key: 'setup.error.name' } : undefined;
}

/** Roles the actor may give: the operator any, a member of staff what permissions.ts allows. */
export function rolesFor(actor: Actor): readonly Role[] {
  return actor.kind === 'operator' ? ROLES : assignableRoles(actor.staff);
}

/** Units the actor may put an account in; null: every unit. */
export function unitsFor(actor: Actor, units: Unit[]): number[] | null {
  return actor.kind === 'operator' ? null : managedUnitIds(actor.staff, units);
}

/** The role, name and unit rules (the user name is checked only when an account is created). */
export function accountProblems(actor: Actor, input: Omit<AccountInput, 'username'> & { username?: string }, units: Unit[]): AccountProblems {
  const problems: AccountProblems = {};
  if (input.username !== undefined) {
    const username = usernameProblem(input.username);
    if (username) problems.username = username;
  }
  const name = displayNameProblem(input.displayName);
  if (name) problems.displayName = name;
  if (!rolesFor(actor).includes(input.role as Role)) problems.role = { key: 'admin.user.error.role' };
  const managed = unitsFor(actor, units);
  if (input.unitId === null) {
    // Only administrators see every unit without being tied to one.
    if (input.role !== 'admin') problems.unit = { key: 'admin.user.error.unit.required' };
  } else if (!units.some((u) => u.id === input.unitId) || (managed !== null && !managed.includes(input.unitId))) {
    problems.unit = { key: 'admin.user.error.unit' };
  }
  return problems;
}

/** A user name already taken. */
export function takenProblem(username: string): Problem {
  return { key: 'admin.user.error.taken' satisfies MessageKey, params: { username } };
}

/** Someone must be able to manage the system: the last active administrator is neither disabled nor demoted. */
export async function isLastActiveAdmin(db: Kysely<Database>, user: Pick<User, 'id' | 'role' | 'active'>): Promise<boolean> {
  return user.role === 'admin' && user.active === 1 && (await countOtherActiveAdmins(db, user.id)) === 0;
}
