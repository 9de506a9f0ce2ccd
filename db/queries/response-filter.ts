/**
 * The dashboard's filters as conditions on raw rows, for the few queries that read responses or
 * comments rather than rollups (the latest comments, the responses export). One place, so a comment
 * shown on the dashboard and a row of the export are picked by the same rule as the rollups behind
 * the numbers. Comments carry their response's day, unit, desk, field, channel and status (migration
 * 0009), so the same conditions apply to either table.
 */
import { type RawBuilder, sql } from 'kysely';
import type { RollupFilter } from './analytics.ts';

/**
 * Two ways to steer a planner to the index the caller walks, both by writing a column as `column || ''`
 * (the same text, but no index holds it):
 * - `daysChecked`: the period's days as a check on each row rather than a range an index can search,
 *   for a query that should walk another index (the newest comments, comments.ts);
 * - `statusChecked`: the status as such a check, for the responses export on SQLite, which reads in
 *   (local_day, unit_id) order: SQLite has no statistics and takes `status = 'ok'` for a narrow test,
 *   so it would walk the status index and sort every row. Not for PostgreSQL: its statistics already
 *   choose the day index, and the expression would only blind its estimates (it then sorted every row
 *   on disk before the first).
 */
export interface MatchOptions {
  table?: 'responses' | 'comments';
  daysChecked?: boolean;
  statusChecked?: boolean;
}

export function responsesMatching(filter: RollupFilter, opts: MatchOptions = {}): RawBuilder<boolean> {
  const table = opts.table ?? 'responses';
  const column = (name: string) => sql.ref(`${table}.${name}`);
  const day = opts.daysChecked ? sql`${column('local_day')} || ''` : column('local_day');
  const status = opts.statusChecked ? sql`(${column('status')} || '')` : column('status');
  const conditions = [
    sql`${day} >= ${filter.from}`,
    sql`${day} <= ${filter.to}`,
    filter.statuses.length > 0 ? sql`${status} in (${sql.join(filter.statuses)})` : sql`1 = 0`,
  ];
  if (filter.unitIds !== null) {
    conditions.push(filter.unitIds.length > 0 ? sql`${column('unit_id')} in (${sql.join(filter.unitIds)})` : sql`1 = 0`);
  }
  if (filter.fieldIds !== null) {
    conditions.push(filter.fieldIds.length > 0 ? sql`${column('field_id')} in (${sql.join(filter.fieldIds)})` : sql`1 = 0`);
  }
  if (filter.deskId !== null) conditions.push(sql`${column('desk_id')} = ${filter.deskId}`);
  if (filter.channel !== null) conditions.push(sql`${column('channel')} = ${filter.channel}`);
  return sql<boolean>`(${sql.join(conditions, sql` and `)})`;
}
