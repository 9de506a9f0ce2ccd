/**
 * Alert rows for the tests of the alerts page, written the way the rules write them (every column
 * filled), so a page can be tested without running an evaluation.
 */
import type { Kysely } from 'kysely';
import type { Alert, AlertRule, AlertStatus, Database } from '../../db/schema.ts';

/** An alert row as the rules would write it (every column filled). */
export async function insertAlert(
  db: Kysely<Database>,
  a: { rule: AlertRule; kind: 'desk' | 'unit' | 'field'; subjectId: number; unitId: number | null; status: AlertStatus; openedAt: string; closedAt?: string },
): Promise<Alert> {
  return db
    .insertInto('alerts')
    .values({
      alert_key: `${a.rule}|${a.kind}:${a.subjectId}`,
      rule: a.rule,
      subject_kind: a.kind,
      subject_id: a.subjectId,
      unit_id: a.unitId,
      window: '30d',
      period_from: '2025-05-10',
      period_to: '2025-06-08',
      value: 0.7,
      target: 0.87,
      bound: 0.851,
      n: 60,
      details_json: JSON.stringify({ yes: 42, before: { from: '2025-04-10', to: '2025-05-09', value: 0.9, yes: 54, n: 60 }, compared: 12 }),
      status: a.status,
      opened_at: a.openedAt,
      evaluated_at: a.openedAt,
      acknowledged_at: null,
      acknowledged_by: null,
      closed_at: a.closedAt ?? null,
      close_reason: a.closedAt ? 'recovered' : null,
      closed_value: a.closedAt ? 0.9 : null,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}
