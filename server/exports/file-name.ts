/** File names that say what an export holds: sipas-responses-<unit>-<from>-<to>.csv. */
import type { ReportRequest } from '../figures/request.ts';

/** The whole province, when no unit narrows the report. */
const EVERY_UNIT = 'toan-tinh';

export function exportFileName(kind: string, request: ReportRequest): string {
  const unit = request.scopeUnitId === null ? undefined : request.ctx.unitById.get(request.scopeUnitId);
  const slug = (unit?.code ?? EVERY_UNIT).toLowerCase().replace(/[^a-z0-9-]+/g, '-');
  return `sipas-${kind}-${slug}-${request.filter.from}-${request.filter.to}.csv`;
}
