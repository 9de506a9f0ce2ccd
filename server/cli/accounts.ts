/**
 * Accounts and API tokens from the command line, with the same rules as /admin/users: passwords
 * come from stdin (never from arguments, which other users of the machine can see) and pass the
 * same strength check; disabling signs the person out and revokes their tokens; the last active
 * administrator stays; tokens expire. Every change is in the audit log.
 */
import type { Kysely } from 'kysely';
import { createApiToken, listTokens, revokeToken, revokeTokensOfUser, type TokenListing } from '../../db/queries/api-tokens.ts';
import { findUnitByCode } from '../../db/queries/units.ts';
import { audit } from '../../db/queries/audit.ts';
import { createUser, findUserByUsername } from '../../db/queries/users.ts';
import type { Database, Role, User } from '../../db/schema.ts';
import { disableAccount, type Ended, enableAccount, isLastActiveAdmin } from '../auth/accounts.ts';
import { API_TOKEN_DAYS, API_TOKEN_DAYS_MAX, apiTokenExpiry, newApiToken } from '../auth/api-tokens.ts';
import { newPasswordProblems } from '../auth/password-strength.ts';
import { hashPassword, USERNAME_PATTERN } from '../auth/passwords.ts';
import { translator } from '../i18n/index.ts';
import type { OptionValues } from './commands.ts';

const ROLES: readonly Role[] = ['admin', 'manager', 'viewer'];

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

export async function addUser(db: Kysely<Database>, values: OptionValues, password: string): Promise<{ username: string; role: Role; unit: string | null }> {
  const username = usernameOf(values);
  if (!USERNAME_PATTERN.test(username)) throw new AccountError('--username: 3-40 characters, lower-case letters, digits, . _ -');
  const role = values.role as Role;
  if (!ROLES.includes(role)) throw new AccountError(`--role must be one of ${ROLES.join(', ')}`);
  const unitCode = typeof values.unit === 'string' ? values.unit : null;
  if (role !== 'admin' && unitCode === null) throw new AccountError(`a ${role} needs --unit CODE (see db/seed/units.csv)`);
  const unit = unitCode === null ? null : await findUnitByCode(db, unitCode);
  if (unit === undefined) throw new AccountError(`--unit ${unitCode}: no unit has that code`);
  const displayName = typeof values.name === 'string' ? values.name.normalize('NFC') : username;
  const problems = newPasswordProblems(password, { username, displayName });
  if (problems.length > 0) {
    const say = (t: typeof vi) => problems.map((p) => t(p.key, p.params)).join(' ');
    throw new AccountError(`${say(vi)}\n${say(en)}\n(the password is read from stdin, e.g. printf '%s' "$PASSWORD" | npm run sipas -- user add ...)`);
  }
  if (await findUserByUsername(db, username)) throw new AccountError(`--username ${username} already exists`);
  const at = new Date().toISOString();
  await createUser(db, { username, displayName, passwordHash: await hashPassword(password), role, unitId: unit?.id ?? null }, at);
  await audit(db, { at, userId: null, action: 'user.create', subject: username, detail: `cli ${role}${unitCode ? ` ${unitCode}` : ''}` });
  return { username, role, unit: unit?.name ?? null };
}

/** Disables an account: its sessions end and its API tokens are revoked at once. */
export async function disableUser(db: Kysely<Database>, values: OptionValues): Promise<{ username: string; ended: Ended }> {
  const user = await existingUser(db, values);
  if (user.active !== 1) throw new AccountError(`${user.username} is already disabled`);
  if (await isLastActiveAdmin(db, user)) throw new AccountError(`${user.username} is the last active administrator; add or enable another administrator first`);
  const at = new Date().toISOString();
  const ended = await disableAccount(db, user.id, at);
  await audit(db, { at, userId: null, action: 'user.disable', subject: user.username, detail: 'cli', before: { active: true }, after: { active: false, ...ended } });
  return { username: user.username, ended };
}

export async function enableUser(db: Kysely<Database>, values: OptionValues): Promise<string> {
  const user = await existingUser(db, values);
  if (user.active === 1) throw new AccountError(`${user.username} is already enabled`);
  await enableAccount(db, user.id);
  await audit(db, { at: new Date().toISOString(), userId: null, action: 'user.enable', subject: user.username, detail: 'cli', before: { active: false }, after: { active: true } });
  return user.username;
}

function expiryDays(values: OptionValues): number {
  if (values['expires-days'] === undefined) return API_TOKEN_DAYS;
  const days = Number(values['expires-days']);
  if (!Number.isInteger(days) || days < 1 || days > API_TOKEN_DAYS_MAX) {
    throw new AccountError(`--expires-days ${String(values['expires-days'])}: expected a whole number of days from 1 to ${API_TOKEN_DAYS_MAX}`);
  }
  return days;
}

/** `--permission links` lets the token also create per-dossier survey links (POST /api/v1/dossier-links). */
function permissionsOf(values: OptionValues): string {
  if (values.permission === undefined) return 'read';
  if (values.permission !== 'links') throw new AccountError(`--permission ${String(values.permission)}: the only extra permission is "links" (per-dossier survey links for the one-stop software)`);
  return 'read,links';
}

export async function createTokenFor(db: Kysely<Database>, values: OptionValues): Promise<{ token: string; id: number; expiresAt: string }> {
  const username = usernameOf(values);
  const user = await findUserByUsername(db, username);
  if (!user || user.active !== 1) throw new AccountError(`--username ${username}: no active account with that name`);
  const days = expiryDays(values);
  const { token, hash } = newApiToken();
  const created = new Date();
  const at = created.toISOString();
  const expiresAt = apiTokenExpiry(created, days);
  const label = typeof values.label === 'string' ? values.label : 'cli';
  const permissions = permissionsOf(values);
  const id = await createApiToken(db, { userId: user.id, tokenHash: hash, label, createdAt: at, expiresAt, permissions });
  await audit(db, { at, userId: user.id, action: 'token.create', subject: username, detail: `token ${id} (${permissions}), expires ${expiresAt}` });
  return { token, id, expiresAt };
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
    if (!(await revokeToken(db, null, id, at))) throw new AccountError(`--id ${id}: no token with that number that is not already revoked (see \`token list\`)`);
    const token = (await listTokens(db, null)).find((tk) => tk.id === id);
    await audit(db, { at, userId: null, action: 'token.revoke', subject: token?.username ?? '', detail: `token ${id} (cli)` });
    return 1;
  }
  if (values.username !== undefined && values.all === true) {
    const user = await existingUser(db, values);
    const n = await revokeTokensOfUser(db, user.id, at);
    await audit(db, { at, userId: null, action: 'token.revoke', subject: user.username, detail: `all ${n} tokens (cli)` });
    return n;
  }
  throw new AccountError('token revoke needs --id N (see `token list`) or --username U --all');
}
