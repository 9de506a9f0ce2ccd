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
import type { MessageKey } from '../i18n/index.ts';
import { loadReportContext, type ReportContext } from './context.ts';
import { type Filters, parseFilters } from './filters.ts';

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

export type ReportRefusal = { ok: false; status: 400; message: MessageKey; params?: Record<string, string> } | { ok: false; status: 403 };

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
): Promise<ReportRequestResult> {
  const ctx = await loadReportContext(db);
  const parsed = parseFilters(query, today, ctx);
  if (!parsed.ok) return { ok: false, status: 400, message: parsed.message, params: parsed.params };
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
