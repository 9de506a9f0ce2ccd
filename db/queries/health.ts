import { type Kysely, sql } from 'kysely';
import type { Database } from '../schema.ts';

export async function pingDatabase(db: Kysely<Database>): Promise<void> {
  await sql`SELECT 1`.execute(db);
}

/**
 * Whether a write could start now: an empty write transaction takes the write lock (SQLite) and
 * lets it go at once, writing nothing. Fails like a write would when another process holds the lock
 * too long.
 */
export async function probeWrite(db: Kysely<Database>): Promise<void> {
  await db.transaction().execute(() => Promise.resolve());
}
