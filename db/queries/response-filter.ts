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
 * `daysChecked`: the period's days as a check on each row rather than a range an index can search
 * (`local_day || ''` is the same text, but no index holds it), for a query that should walk another
 * index (comments.ts).
 */
export function responsesMatching(filter: RollupFilter, table: 'responses' | 'comments' = 'responses', daysChecked = false): RawBuilder<boolean> {
  const column = (name: string) => sql.ref(`${table}.${name}`);
  const day = daysChecked ? sql`${column('local_day')} || ''` : column('local_day');
  const conditions = [
    sql`${day} >= ${filter.from}`,
    sql`${day} <= ${filter.to}`,
    filter.statuses.length > 0 ? sql`${column('status')} in (${sql.join(filter.statuses)})` : sql`1 = 0`,
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
