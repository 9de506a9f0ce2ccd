/**
 * The first administrator: on a database without accounts, `npm start` prints a one-time link.
 * Only the link's hash is stored; every link stops working once an account exists. Each start adds
 * a link rather than replacing the last one, so when several app servers start together over one
 * PostgreSQL, the link any of them printed works. Using a link is one command, setUpFirstAdministrator:
 * the account rules, then one transaction that creates exactly one administrator, however many
 * requests send the form at once, with its audit entry.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import { audit } from '../../db/queries/audit.ts';
import { createFirstAdministrator } from '../../db/queries/first-admin.ts';
import { deleteSetting, deleteSettingsWithPrefix, getSetting, setSetting, settingsWithPrefix } from '../../db/queries/settings.ts';
import { countUsers, type NewUser } from '../../db/queries/users.ts';
import type { Database } from '../../db/schema.ts';
import { displayNameProblem, usernameProblem } from '../accounts/rules.ts';
import { chosenPasswordProblems, type PasswordProblem } from './password-strength.ts';
import { hashPassword } from './passwords.ts';

const PREFIX = 'setup_token:';
/** Inserted once, by the request that creates the first administrator; kept as the date it happened. */
const CLAIM_KEY = 'first_admin_created_at';
/** Links of earlier starts that stay valid (a restart should not kill the link just copied). */
const KEEP = 10;

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

/** A fresh setup link when there is no account yet; null otherwise. */
export async function issueSetupLink(db: Kysely<Database>, baseUrl: string, now = new Date()): Promise<string | null> {
  if ((await countUsers(db)) > 0) {
    await deleteSettingsWithPrefix(db, PREFIX);
    return null;
  }
  // Releases before 2026-11-26 kept a single link under this key.
  await deleteSetting(db, 'setup_token_hash');
  const token = randomBytes(24).toString('base64url');
  await setSetting(db, `${PREFIX}${sha256(token)}`, now.toISOString());
  for (const old of (await settingsWithPrefix(db, PREFIX)).slice(KEEP)) await deleteSetting(db, old.key);
  return `${baseUrl}/setup/${token}`;
}

export async function setupTokenValid(db: Kysely<Database>, token: string): Promise<boolean> {
  // The key is the token's hash: looking it up compares hashes, never the token itself.
  return (await getSetting(db, `${PREFIX}${sha256(token)}`)) !== undefined && (await countUsers(db)) === 0;
}

export interface FirstAdministrator {
  username: string;
  displayName: string;
  password: string;
  passwordAgain: string;
}

export type SetUpResult =
  | { ok: true; id: number }
  /** The link was used (or another request used one) first: nothing written. */
  | { ok: false; status: 404 }
  | { ok: false; status: 422; problems: PasswordProblem[] };

/**
 * Creates the first administrator with a setup link: the account rules (a user name, a name, a strong
 * password typed twice alike), then the account and its audit entry 'user.create' in one transaction.
 */
export async function setUpFirstAdministrator(db: Kysely<Database>, token: string, input: FirstAdministrator, at: string): Promise<SetUpResult> {
  const problems: PasswordProblem[] = [usernameProblem(input.username), displayNameProblem(input.displayName)].filter((p) => p !== undefined);
  problems.push(...chosenPasswordProblems(input.password, input.passwordAgain, { username: input.username, displayName: input.displayName }));
  if (problems.length > 0) return { ok: false, status: 422, problems };
  const user: NewUser = { username: input.username, displayName: input.displayName, passwordHash: await hashPassword(input.password), role: 'admin', unitId: null };
  return db.transaction().execute(async (trx) => {
    const id = await createFirstAdministrator(trx, { linkKey: `${PREFIX}${sha256(token)}`, linkPrefix: PREFIX, claimKey: CLAIM_KEY }, user, at);
    // Another request with a setup link created the administrator first.
    if (id === null) return { ok: false, status: 404 } as const;
    await audit(trx, { at, userId: id, action: 'user.create', subject: input.username, detail: 'first administrator via setup link' });
    return { ok: true, id } as const;
  });
}
