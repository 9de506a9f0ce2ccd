/**
 * Accounts and API tokens from the command line. The rules, the permission and the audit entry of
 * each write are the same commands /admin/users calls (server/accounts/), with the operator as the
 * actor; this file reads the options, finds the account or unit they name, and says what went wrong
 * in the command line's own words (by flag). Passwords come from stdin (never from arguments, which
 * other users of the machine can see) and pass the same strength check.
 */
import type { Kysely } from 'kysely';
import { listTokens, type TokenListing } from '../../db/queries/api-tokens.ts';
import { findUnitByCode } from '../../db/queries/units.ts';
import { findUserByUsername } from '../../db/queries/users.ts';
import type { Database, Role, User } from '../../db/schema.ts';
import { OPERATOR } from '../accounts/actor.ts';
import { createApiTokenFor, revokeAllApiTokens, revokeApiToken } from '../accounts/api-tokens.ts';
import { createAccount } from '../accounts/create-account.ts';
import { type AccountProblems, ROLES } from '../accounts/rules.ts';
import { type Ended, setAccountActive } from '../accounts/set-active.ts';
import { API_TOKEN_DAYS_MAX } from '../auth/api-tokens.ts';
import type { PasswordProblem } from '../auth/password-strength.ts';
import { translator } from '../i18n/index.ts';
import type { OptionValues } from './commands.ts';

export class AccountError extends Error {}

/** The first line of stdin (a pipe or a terminal), without the line break. */
export async function readStdin(): Promise<string> {
  if (process.stdin.isTTY) process.stderr.write('Mật khẩu / password: ');
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8').split(/\r?\n/)[0] ?? '';
}

const vi = translator('vi');
const en = translator('en');

function usernameOf(values: OptionValues): string {
  return typeof values.username === 'string' ? values.username.trim().toLowerCase() : '';
}

async function existingUser(db: Kysely<Database>, values: OptionValues): Promise<User> {
  const username = usernameOf(values);
  if (username === '') throw new AccountError('--username U is missing');
  const user = await findUserByUsername(db, username);
  if (!user) throw new AccountError(`--username ${username}: no account with that name (see /admin/users)`);
  return user;
}

/** A weak password's problems, in Vietnamese then English, and how to give another one. */
function passwordMessage(problems: PasswordProblem[]): string {
  const say = (t: typeof vi) => problems.map((p) => t(p.key, p.params)).join(' ');
  return `${say(vi)}\n${say(en)}\n(the password is read from stdin, e.g. printf '%s' "$PASSWORD" | npm run sipas -- user add ...)`;
}

/** The first refused option, in the order the options are read. */
function accountMessage(problems: AccountProblems, input: { username: string; role: string }): string {
  if (problems.username?.key === 'setup.error.username') return '--username: 3-40 characters, lower-case letters, digits, . _ -';
  if (problems.role) return `--role must be one of ${ROLES.join(', ')}`;
  if (problems.unit) return `a ${input.role} needs --unit CODE (see db/seed/units.csv)`;
  if (problems.displayName) return '--name: 1-100 characters';
  if (problems.password) return passwordMessage(problems.password);
  return `--username ${input.username} already exists`;
}

export async function addUser(db: Kysely<Database>, values: OptionValues, password: string): Promise<{ username: string; role: Role; unit: string | null }> {
  const username = usernameOf(values);
  const role = typeof values.role === 'string' ? values.role : '';
  const unitCode = typeof values.unit === 'string' ? values.unit : null;
  const unit = unitCode === null ? null : await findUnitByCode(db, unitCode);
  if (unit === undefined) throw new AccountError(`--unit ${unitCode}: no unit has that code`);
  const displayName = typeof values.name === 'string' ? values.name.normalize('NFC') : username;
  const input = { username, displayName, role, unitId: unit?.id ?? null, paperEntry: false, password };
  const created = await createAccount(db, OPERATOR, input, new Date().toISOString());
  // The operator may give any role in any unit: only the rules refuse.
  if (!created.ok) throw new AccountError(created.status === 422 ? accountMessage(created.problems, input) : 'refused');
  return { username, role: created.role, unit: created.unitName };
}

/** Disables an account: its sessions end and its API tokens are revoked at once. */
export async function disableUser(db: Kysely<Database>, values: OptionValues): Promise<{ username: string; ended: Ended }> {
  const user = await existingUser(db, values);
  const done = await setAccountActive(db, OPERATOR, user, false, new Date().toISOString());
  if (done.ok) return { username: user.username, ended: done.ended };
  if (done.status === 409 && done.reason === 'last-admin') throw new AccountError(`${user.username} is the last active administrator; add or enable another administrator first`);
  throw new AccountError(`${user.username} is already disabled`);
}

export async function enableUser(db: Kysely<Database>, values: OptionValues): Promise<string> {
  const user = await existingUser(db, values);
  const done = await setAccountActive(db, OPERATOR, user, true, new Date().toISOString());
  if (!done.ok) throw new AccountError(`${user.username} is already enabled`);
  return user.username;
}

export async function createTokenFor(db: Kysely<Database>, values: OptionValues): Promise<{ token: string; id: number; expiresAt: string }> {
  const username = usernameOf(values);
  const created = await createApiTokenFor(
    db,
    OPERATOR,
    {
      user: await findUserByUsername(db, username),
      label: typeof values.label === 'string' ? values.label : 'cli',
      ...(values['expires-days'] === undefined ? {} : { expiresDays: String(values['expires-days']) }),
      ...(values.permission === undefined ? {} : { permission: String(values.permission) }),
    },
    new Date(),
  );
  if (created.ok) return { token: created.token, id: created.id, expiresAt: created.expiresAt };
  if (created.status !== 422) throw new AccountError(`--username ${username}: no active account with that name`);
  if (created.problem === 'expires-days') {
    throw new AccountError(`--expires-days ${String(values['expires-days'])}: expected a whole number of days from 1 to ${API_TOKEN_DAYS_MAX}`);
  }
  throw new AccountError(`--permission ${String(values.permission)}: the extra permissions are "links" (per-dossier survey links) and "counts" (pushing dossier counts), for the one-stop software`);
}

export async function tokensOf(db: Kysely<Database>, values: OptionValues): Promise<TokenListing[]> {
  return listTokens(db, values.username === undefined ? null : (await existingUser(db, values)).id);
}

/** `--id N` revokes one token; `--username U --all` every token of the account. */
export async function revokeTokens(db: Kysely<Database>, values: OptionValues): Promise<number> {
  const at = new Date().toISOString();
  if (values.id !== undefined) {
    const id = Number(values.id);
    if (!Number.isInteger(id) || id < 1) throw new AccountError(`--id ${String(values.id)}: expected a token number from \`token list\``);
    const revoked = await revokeApiToken(db, OPERATOR, { tokenId: id }, at);
    if (!revoked.ok) throw new AccountError(`--id ${id}: no token with that number that is not already revoked (see \`token list\`)`);
    return revoked.revoked;
  }
  if (values.username !== undefined && values.all === true) {
    const revoked = await revokeAllApiTokens(db, OPERATOR, await existingUser(db, values), at);
    return revoked.ok ? revoked.revoked : 0;
  }
  throw new AccountError('token revoke needs --id N (see `token list`) or --username U --all');
}
