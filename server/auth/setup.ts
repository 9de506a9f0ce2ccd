/**
 * The first administrator: on a database without accounts, `npm start` prints a one-time link.
 * Only the link's hash is stored; every link stops working once an account exists. Each start adds
 * a link rather than replacing the last one, so when several app servers start together over one
 * PostgreSQL, the link any of them printed works. Using a link is one transaction that creates
 * exactly one administrator, however many requests send the form at once.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import { createFirstAdministrator } from '../../db/queries/first-admin.ts';
import { deleteSetting, deleteSettingsWithPrefix, getSetting, setSetting, settingsWithPrefix } from '../../db/queries/settings.ts';
import { countUsers, type NewUser } from '../../db/queries/users.ts';
import type { Database } from '../../db/schema.ts';

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

/** The administrator's id, or null when the link was used (or another request used one) first. */
export function createAdministratorWithLink(db: Kysely<Database>, token: string, user: Omit<NewUser, 'role' | 'unitId'>, at: string): Promise<number | null> {
  return createFirstAdministrator(db, { linkKey: `${PREFIX}${sha256(token)}`, linkPrefix: PREFIX, claimKey: CLAIM_KEY }, { ...user, role: 'admin', unitId: null }, at);
}
