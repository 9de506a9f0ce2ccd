/** Accounts and API tokens from the command line. Passwords come from stdin, never from arguments. */
import type { Kysely } from 'kysely';
import { createApiToken } from '../../db/queries/api-tokens.ts';
import { findUnitByCode } from '../../db/queries/units.ts';
import { audit } from '../../db/queries/audit.ts';
import { createUser, findUserByUsername } from '../../db/queries/users.ts';
import type { Database, Role } from '../../db/schema.ts';
import { newApiToken } from '../auth/api-tokens.ts';
import { hashPassword, passwordProblem, USERNAME_PATTERN } from '../auth/passwords.ts';
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

export async function addUser(db: Kysely<Database>, values: OptionValues, password: string): Promise<{ username: string; role: Role; unit: string | null }> {
  const username = typeof values.username === 'string' ? values.username.trim().toLowerCase() : '';
  if (!USERNAME_PATTERN.test(username)) throw new AccountError('--username: 3-40 characters, lower-case letters, digits, . _ -');
  const role = values.role as Role;
  if (!ROLES.includes(role)) throw new AccountError(`--role must be one of ${ROLES.join(', ')}`);
  const unitCode = typeof values.unit === 'string' ? values.unit : null;
  if (role !== 'admin' && unitCode === null) throw new AccountError(`a ${role} needs --unit CODE (see db/seed/units.csv)`);
  const unit = unitCode === null ? null : await findUnitByCode(db, unitCode);
  if (unit === undefined) throw new AccountError(`--unit ${unitCode}: no unit has that code`);
  const problem = passwordProblem(password);
  if (problem) throw new AccountError(`${problem} (read from stdin, e.g. printf '%s' "$PASSWORD" | npm run sipas -- user add ...)`);
  if (await findUserByUsername(db, username)) throw new AccountError(`--username ${username} already exists`);
  const at = new Date().toISOString();
  await createUser(
    db,
    { username, displayName: typeof values.name === 'string' ? values.name : username, passwordHash: await hashPassword(password), role, unitId: unit?.id ?? null },
    at,
  );
  await audit(db, { at, userId: null, action: 'user.create', subject: username, detail: `cli ${role}${unitCode ? ` ${unitCode}` : ''}` });
  return { username, role, unit: unit?.name ?? null };
}

export async function createTokenFor(db: Kysely<Database>, values: OptionValues): Promise<string> {
  const username = typeof values.username === 'string' ? values.username.trim().toLowerCase() : '';
  const user = await findUserByUsername(db, username);
  if (!user || user.active !== 1) throw new AccountError(`--username ${username}: no active account with that name`);
  const { token, hash } = newApiToken();
  const at = new Date().toISOString();
  await createApiToken(db, user.id, hash, typeof values.label === 'string' ? values.label : 'cli', at);
  await audit(db, { at, userId: user.id, action: 'token.create', subject: username });
  return token;
}
