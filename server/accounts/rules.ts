/**
 * Why: the rules of an account were written three times (the administration form, the first
 * administrator's form, `sipas user add`). They are written here once, as problems with a message
 * key (words in server/i18n/), and every command that creates or changes an account asks them:
 * a user name of 3-40 plain characters not yet taken, a name, a role the actor may give, a unit the
 * actor manages (required but for administrators), an email address that looks like one (or none)
 * and a language of the emails, and the last active administrator stays one.
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
  /**
   * Where alert emails go, as typed ('' or absent: none); the language of those emails ('vi' | 'en',
   * as typed; absent: 'vi'); whether the account gets them (absent: yes). Issue 22.
   */
  email?: string;
  lang?: string;
  alertEmails?: boolean;
}

/** Each refused field with its problem; a new password may have several. */
export interface AccountProblems {
  username?: Problem;
  displayName?: Problem;
  role?: Problem;
  unit?: Problem;
  email?: Problem;
  lang?: Problem;
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

/** An email address one can send to: a local part, @, a domain with a dot; no spaces or brackets; at most 254 characters. */
const EMAIL_PATTERN = /^[^\s@<>()[\]",;:\\]+@[^\s@<>()[\]",;:\\]+\.[^\s@<>()[\]",;:\\.][^\s@<>()[\]",;:\\]*$/u;

export function emailProblem(email: string): Problem | undefined {
  if (email === '') return undefined;
  return email.length <= 254 && EMAIL_PATTERN.test(email) && !email.includes('..') ? undefined : { key: 'account.error.email' };
}

export function langProblem(lang: string): Problem | undefined {
  return lang === 'vi' || lang === 'en' ? undefined : { key: 'account.error.lang' };
}

/** The email settings as stored: the address or null, the language, the switch as 0/1. */
export function emailSettingsOf(input: Pick<AccountInput, 'email' | 'lang' | 'alertEmails'>): { email: string | null; lang: 'vi' | 'en'; alertEmails: boolean } {
  const email = input.email ?? '';
  return { email: email === '' ? null : email, lang: input.lang === 'en' ? 'en' : 'vi', alertEmails: input.alertEmails ?? true };
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
  const email = emailProblem(input.email ?? '');
  if (email) problems.email = email;
  const lang = langProblem(input.lang ?? 'vi');
  if (lang) problems.lang = lang;
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
