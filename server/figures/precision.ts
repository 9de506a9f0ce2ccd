/**
 * The pool every interval of a report borrows its precision from (analytics/precision.ts): the
 * whole province over the 12 whole months (twelveMonthsEnding) that end on the last day of the report (or the whole report
 * when it is longer), without the view's own respondents, whatever the view's
 * unit, field, desk or channel, with the view's statuses. A past period's pool is fixed, so its
 * intervals do not change later; a running period's pool grows with it.
 */
import type { Kysely } from 'kysely';
import { rollupSpans, twelveMonthsEnding } from '../../analytics/periods.ts';
import { type Precision, precisionFromPool } from '../../analytics/precision.ts';
import { momentTotals, type RollupFilter } from '../../db/queries/analytics.ts';
import type { Database } from '../../db/schema.ts';
import type { ReportContext } from './context.ts';
import { toCells } from './indicator-results.ts';

export async function loadPrecision(db: Kysely<Database>, ctx: ReportContext, filter: RollupFilter): Promise<Precision> {
  // The view must lie inside its pool (each view's own respondents are taken out of it, precision.ts):
  // a view longer than 12 months widens the pool to the view.
  const twelve = twelveMonthsEnding(filter.to);
  const pool = { ...twelve, from: filter.from < twelve.from ? filter.from : twelve.from };
  const rows = await momentTotals(
    db,
    { ...pool, spans: rollupSpans(pool), unitIds: null, fieldIds: null, deskId: null, channel: null, statuses: filter.statuses, today: filter.today },
    'none',
  );
  return precisionFromPool(toCells(rows), (q) => ctx.criteriaCount.get(q) ?? 1);
}
