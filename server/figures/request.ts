/**
 * One way from a request to a scoped report: the filters of the query string parsed, and the units
 * the audience may see applied (server/auth/scope.ts). The dashboard, the printable report, the API,
 * the exports, the command line and the public page all start here; each turns a refusal into its
 * own kind of answer (a page, JSON, an exit code).
 */
import { rollupSpans } from '../../analytics/periods.ts';
import type { RollupFilter } from '../../db/queries/analytics.ts';
import type { Database } from '../../db/schema.ts';
import type { Kysely } from 'kysely';
import { type Audience, scopeUnits, seesHiddenComments } from '../auth/scope.ts';
import { loadReportContext, type ReportContext } from './context.ts';
import { type DayFormat, type FilterProblem, type Filters, parseFilters } from './filters.ts';

export interface ReportRequest {
  ctx: ReportContext;
  filters: Filters;
  /** The filters as rollup and response conditions, restricted to the audience's units. */
  filter: RollupFilter;
  /** The units the audience may choose from (null = every unit). */
  allowedUnits: number[] | null;
  /** The unit the report is about: the one asked for, else the user's own; null for every unit. */
  scopeUnitId: number | null;
  includeHiddenComments: boolean;
  /** Local day the request was resolved on. */
  today: string;
}

/**
 * Bad filters (400) name the field and the message, and carry what the dashboard needs to show its
 * form again around them (the reference rows, the units the audience may choose); the API and the
 * exports answer with the message alone. A unit outside the audience's scope is a 403.
 */
export type BadFilters = { ok: false; status: 400; ctx: ReportContext; allowedUnits: number[] | null } & FilterProblem;
export type ReportRefusal = BadFilters | { ok: false; status: 403 };

export type ReportRequestResult = { ok: true; request: ReportRequest } | ReportRefusal;

/**
 * The rollup filter of parsed filters over the given units. `today` (local) lets the rollup queries
 * keep the sums of past days in memory (db/queries/history.ts), so the dashboard, the API, the
 * exports and the public page all read the past through the same cache.
 */
export function rollupFilter(filters: Filters, unitIds: number[] | null, today: string): RollupFilter {
  const period = filters.period;
  return {
    from: period.from,
    to: period.to,
    spans: rollupSpans(period),
    unitIds,
    fieldIds: filters.fieldId === null ? null : [filters.fieldId],
    deskId: filters.deskId,
    channel: filters.channel,
    statuses: filters.includeSuspect ? ['ok', 'suspect'] : ['ok'],
    today,
  };
}

export async function resolveReportRequest(
  db: Kysely<Database>,
  query: Record<string, unknown>,
  audience: Audience,
  today: string,
  dayFormat: DayFormat = 'iso',
): Promise<ReportRequestResult> {
  const ctx = await loadReportContext(db);
  const parsed = parseFilters(query, today, ctx, dayFormat);
  if (!parsed.ok) {
    // Asking for no unit is always within scope: this only lists what the audience may choose from.
    const open = scopeUnits(audience, ctx.units, { unitId: null, deskUnitId: null });
    const allowedUnits = open.ok ? open.allowed : [];
    return { ok: false, status: 400, field: parsed.field, message: parsed.message, params: parsed.params, ctx, allowedUnits };
  }
  const { filters } = parsed;
  const deskUnitId = filters.deskId === null ? null : (ctx.desks.find((d) => d.id === filters.deskId)?.unitId ?? null);
  const scope = scopeUnits(audience, ctx.units, { unitId: filters.unitId, deskUnitId });
  if (!scope.ok) return { ok: false, status: 403 };
  return {
    ok: true,
    request: {
      ctx,
      filters,
      filter: rollupFilter(filters, scope.unitIds, today),
      allowedUnits: scope.allowed,
      scopeUnitId: filters.unitId ?? (audience.kind === 'staff' && audience.staff.role !== 'admin' ? audience.staff.unitId : null),
      includeHiddenComments: seesHiddenComments(audience),
      today,
    },
  };
}
