/**
 * The audit log: every administrative change and every sign-in event, who, when, what, and for
 * changes the state before and after. Written by the action itself, read by /admin/audit.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../schema.ts';

export interface AuditEntry {
  at: string;
  userId: number | null;
  /** A dotted verb: 'unit.update', 'desk.rotate', 'login.failed', ... */
  action: string;
  /** What it acted on, readable: a username, a unit code, a desk "unit/code". */
  subject: string;
  detail?: string;
  before?: unknown;
  after?: unknown;
}

export async function audit(db: Kysely<Database>, entry: AuditEntry): Promise<void> {
  await db
    .insertInto('audit_log')
    .values({
      at: entry.at,
      user_id: entry.userId,
      action: entry.action,
      subject: entry.subject,
      detail: entry.detail ?? '',
      before_json: entry.before === undefined ? null : JSON.stringify(entry.before),
      after_json: entry.after === undefined ? null : JSON.stringify(entry.after),
    })
    .execute();
}

export interface AuditFilter {
  userId: number | null;
  /** Inclusive ISO instants (UTC), from local days turned into times by the caller. */
  fromAt: string | null;
  toAt: string | null;
  /** 'login' matches 'login' and 'login.failed'. */
  actionPrefix: string | null;
}

export interface AuditRow {
  id: number;
  at: string;
  username: string | null;
  displayName: string | null;
  action: string;
  subject: string;
  detail: string;
  before: string | null;
  after: string | null;
}

export async function listAudit(db: Kysely<Database>, filter: AuditFilter, page: { offset: number; limit: number }): Promise<{ rows: AuditRow[]; total: number }> {
  let q = db.selectFrom('audit_log').leftJoin('users', 'users.id', 'audit_log.user_id');
  if (filter.userId !== null) q = q.where('audit_log.user_id', '=', filter.userId);
  if (filter.fromAt !== null) q = q.where('audit_log.at', '>=', filter.fromAt);
  if (filter.toAt !== null) q = q.where('audit_log.at', '<=', filter.toAt);
  if (filter.actionPrefix !== null) {
    const prefix = filter.actionPrefix;
    q = q.where((eb) => eb.or([eb('audit_log.action', '=', prefix), eb('audit_log.action', 'like', `${prefix}.%`)]));
  }
  const [rows, count] = await Promise.all([
    q
      .select([
        'audit_log.id', 'audit_log.at', 'users.username', 'users.display_name', 'audit_log.action', 'audit_log.subject',
        'audit_log.detail', 'audit_log.before_json', 'audit_log.after_json',
      ])
      .orderBy('audit_log.id', 'desc')
      .offset(page.offset)
      .limit(page.limit)
      .execute(),
    q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return {
    total: Number(count.n),
    rows: rows.map((r) => ({
      id: r.id,
      at: r.at,
      username: r.username,
      displayName: r.display_name,
      action: r.action,
      subject: r.subject,
      detail: r.detail,
      before: r.before_json,
      after: r.after_json,
    })),
  };
}
