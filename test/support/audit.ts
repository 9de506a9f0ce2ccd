/**
 * Proving a write and its audit entry share one transaction (issue 19): with the audit log gone for
 * a moment, a command must fail and leave nothing of its change behind.
 */
import { type Kysely, sql } from 'kysely';
import type { Database } from '../../db/schema.ts';

/** Runs `work` while the audit log cannot be written, then puts it back. */
export async function withoutAuditLog<T>(db: Kysely<Database>, work: () => Promise<T>): Promise<T> {
  await sql`alter table audit_log rename to audit_log_away`.execute(db);
  try {
    return await work();
  } finally {
    await sql`alter table audit_log_away rename to audit_log`.execute(db);
  }
}
