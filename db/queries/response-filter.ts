/**
 * The dashboard's filters as conditions on raw responses, for the few queries that read responses
 * rather than rollups (the latest comments, the responses export). One place, so a comment shown on
 * the dashboard and a row of the export are picked by the same rule as the rollups behind the numbers.
 */
import { type RawBuilder, sql } from 'kysely';
import type { RollupFilter } from './analytics.ts';

/**
 * `byDay`: the caller reads the responses in the order of their (local_day, unit_id) index on SQLite
 * (the responses export). The status test is then an expression, so that SQLite, which has no
 * statistics and takes `status = 'ok'` for a narrow test, walks that index instead of the status index
 * and a sort of every row. Not for PostgreSQL: its statistics already choose that walk, and the
 * expression would only blind its estimates (it then sorted every row on disk before the first).
 */
export function responsesMatching(filter: RollupFilter, opts: { byDay?: boolean } = {}): RawBuilder<boolean> {
  const status = opts.byDay ? sql`(responses.status || '')` : sql`responses.status`;
  const conditions = [
    sql`responses.local_day >= ${filter.from}`,
    sql`responses.local_day <= ${filter.to}`,
    filter.statuses.length > 0 ? sql`${status} in (${sql.join(filter.statuses)})` : sql`1 = 0`,
  ];
  if (filter.unitIds !== null) {
    conditions.push(filter.unitIds.length > 0 ? sql`responses.unit_id in (${sql.join(filter.unitIds)})` : sql`1 = 0`);
  }
  if (filter.fieldIds !== null) {
    conditions.push(filter.fieldIds.length > 0 ? sql`responses.field_id in (${sql.join(filter.fieldIds)})` : sql`1 = 0`);
  }
  if (filter.deskId !== null) conditions.push(sql`responses.desk_id = ${filter.deskId}`);
  if (filter.channel !== null) conditions.push(sql`responses.channel = ${filter.channel}`);
  return sql<boolean>`(${sql.join(conditions, sql` and `)})`;
}
