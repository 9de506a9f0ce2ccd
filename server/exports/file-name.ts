/**
 * File names that say what an export holds and for whom: sipas-responses-<unit>-<from>-<to>.csv (the
 * standard, machine-readable file), …-excel-vn.csv (format=vn: for Excel set to Vietnamese) and
 * ….xlsx (the workbook), so the three never overwrite each other in a Downloads folder.
 */
import type { ReportRequest } from '../figures/request.ts';

/** The whole province, when no unit narrows the report. */
const EVERY_UNIT = 'toan-tinh';

export type ExportFile = 'csv' | 'excel-vn' | 'xlsx';

const ENDING: Record<ExportFile, string> = { csv: '.csv', 'excel-vn': '-excel-vn.csv', xlsx: '.xlsx' };

export function exportFileName(kind: string, request: ReportRequest, file: ExportFile = 'csv'): string {
  const unit = request.scopeUnitId === null ? undefined : request.ctx.unitById.get(request.scopeUnitId);
  const slug = (unit?.code ?? EVERY_UNIT).toLowerCase().replace(/[^a-z0-9-]+/g, '-');
  return `sipas-${kind}-${slug}-${request.filter.from}-${request.filter.to}${ENDING[file]}`;
}
