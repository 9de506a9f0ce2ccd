import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import { getOrInitSetting } from '../../db/queries/settings.ts';
import type { Database } from '../../db/schema.ts';

/**
 * The signing key for QR and form tokens. SECRET wins when set; otherwise one is generated on
 * first run and kept in the database, so it survives restarts, travels with backups and is shared
 * by every app server of a PostgreSQL deployment.
 */
export async function resolveSecret(db: Kysely<Database>, fromEnv: string | undefined): Promise<string> {
  if (fromEnv) return fromEnv;
  return getOrInitSetting(db, 'secret', randomBytes(32).toString('hex'));
}
