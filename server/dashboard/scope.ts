/** Turns parsed filters and the signed-in user into the rollup filter, or a refusal (403). */
import { rollupSpans } from '../../analytics/periods.ts';
import type { RollupFilter } from '../../db/queries/analytics.ts';
import { allowedUnitIds, type Staff, unitWithDescendants } from '../auth/scope.ts';
import type { ReportContext } from '../reports/context.ts';
import type { Filters } from './filters.ts';

export type ScopeResult = { ok: true; filter: RollupFilter; allowed: number[] | null } | { ok: false };

/** `today` (local) lets the rollup queries keep the sums of past days in memory. */
export function scopedFilter(filters: Filters, staff: Staff, ctx: ReportContext, today?: string): ScopeResult {
  const period = filters.period;
  const allowed = allowedUnitIds(staff, ctx.units);
  const visible = (unitId: number) => allowed === null || allowed.includes(unitId);
  let unitIds: number[] | null = allowed;
  if (filters.unitId !== null) {
    if (!visible(filters.unitId)) return { ok: false };
    const subtree = unitWithDescendants(filters.unitId, ctx.units);
    unitIds = allowed === null ? subtree : subtree.filter(visible);
  }
  if (filters.deskId !== null) {
    const desk = ctx.desks.find((d) => d.id === filters.deskId);
    if (!desk || !visible(desk.unitId)) return { ok: false };
  }
  return {
    ok: true,
    allowed,
    filter: {
      from: period.from,
      to: period.to,
      spans: rollupSpans(period),
      unitIds,
      fieldIds: filters.fieldId === null ? null : [filters.fieldId],
      deskId: filters.deskId,
      channel: filters.channel,
      statuses: filters.includeSuspect ? ['ok', 'suspect'] : ['ok'],
      today,
    },
  };
}
