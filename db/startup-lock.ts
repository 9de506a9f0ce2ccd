/**
 * Several app servers over one PostgreSQL may start at the same moment. Migrating, seeding the
 * reference data and generating the secret must then happen once: the first server does it while
 * holding an advisory lock, the others wait for the lock and find nothing left to do. SQLite serves
 * one app server, so no lock is taken there.
 */
import { type Kysely, sql } from 'kysely';
import type { Db } from './connect.ts';
import type { Database } from './schema.ts';

/** An arbitrary constant shared by every app server: "sipas" in ASCII. */
const STARTUP_LOCK_KEY = 0x7369706173;

export async function withStartupLock<T>(db: Db, work: (kysely: Kysely<Database>) => Promise<T>): Promise<T> {
  if (db.dialect !== 'postgres') return work(db.kysely);
  // One connection holds the lock and does the work, so a pool of one connection cannot deadlock.
  return db.kysely.connection().execute(async (conn) => {
    await sql`select pg_advisory_lock(${STARTUP_LOCK_KEY})`.execute(conn);
    try {
      return await work(conn);
    } finally {
      await sql`select pg_advisory_unlock(${STARTUP_LOCK_KEY})`.execute(conn);
    }
  });
}
