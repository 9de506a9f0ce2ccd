/**
 * The first administrator: on a database without accounts, `npm start` prints a one-time link.
 * Only the link's hash is stored; it stops working once an account exists.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Kysely } from 'kysely';
import { deleteSetting, getSetting, setSetting } from '../../db/queries/settings.ts';
import { countUsers } from '../../db/queries/users.ts';
import type { Database } from '../../db/schema.ts';

const KEY = 'setup_token_hash';

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

/** A fresh setup link when there is no account yet; null otherwise. Each call replaces the previous link. */
export async function issueSetupLink(db: Kysely<Database>, baseUrl: string): Promise<string | null> {
  if ((await countUsers(db)) > 0) {
    await deleteSetting(db, KEY);
    return null;
  }
  const token = randomBytes(24).toString('base64url');
  await setSetting(db, KEY, sha256(token));
  return `${baseUrl}/setup/${token}`;
}

export async function setupTokenValid(db: Kysely<Database>, token: string): Promise<boolean> {
  const stored = await getSetting(db, KEY);
  if (!stored || (await countUsers(db)) > 0) return false;
  const a = Buffer.from(sha256(token));
  const b = Buffer.from(stored);
  return a.length === b.length && timingSafeEqual(a, b);
}

export async function consumeSetupToken(db: Kysely<Database>): Promise<void> {
  await deleteSetting(db, KEY);
}
