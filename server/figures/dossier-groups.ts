/**
 * Why: the indicators export gives every field, unit, desk, month or quarter its own rows, and the
 * dossier counts beside them (issue 20): each group's dossier indicators and each satisfaction
 * indicator weighted by the dossiers of the group's desk x field cells. Asking dossierFigures once per
 * group would read the counts once per group (hundreds of units): here the counts (flows, backlog) and
 * the rollups grouped by desk are read once for the whole filter and split by group in memory.
 *
 * Months and quarters: the rollups read by desk carry no month, so a month's desk x field cells cannot
 * be formed from them; those groups get their dossier indicators and response rates, not the weighted
 * figures (weighted is null). Their backlog is each key's count on its latest day within the group
 * (dossierBacklogByMonth), a stock as everywhere else.
 */
import type { Kysely } from 'kysely';
import { addDossiers, type DossierTotals, NO_DOSSIERS } from '../../analytics/dossiers.ts';
import { quarterOf } from '../../analytics/time.ts';
import { type BacklogRow, dossierBacklog, dossierBacklogByMonth, dossierSums, type DossierSumRow, type MonthBacklogRow } from '../../db/queries/dossier-counts.ts';
import type { RollupFilter } from '../../db/queries/analytics.ts';
import type { Database, Indicator } from '../../db/schema.ts';
import type { ReportContext } from './context.ts';
import { type DossierIndicatorResult, dossierFilterOf, flowTotals, dossierIndicators, type WeightedIndicator, weightedOfRows } from './dossiers.ts';
import { type ExportGroup, readRows } from './groups.ts';
import { coversField, type Judging, type RowSet } from './indicator-results.ts';

/** The counts of one group of the export. */
export interface DossierGroup {
  key: string;
  /** Flows and backlog per field: what the dossier indicators and each indicator's dossiers are summed from. */
  byField: Map<number, DossierTotals>;
  totals: DossierTotals;
  indicators: DossierIndicatorResult[];
  /** By satisfaction indicator code; null for months and quarters (see above). */
  weighted: Map<string, WeightedIndicator> | null;
}

const byTime = (by: ExportGroup) => by === 'month' || by === 'quarter';

/** Dossiers resolved in the fields an indicator covers (0 without counts there). */
export function coveredResolved(group: DossierGroup, indicator: Indicator, ctx: ReportContext): number {
  const covered = coversField(indicator, ctx);
  let n = 0;
  for (const [fieldId, t] of group.byField) if (covered(fieldId)) n += t.resolved;
  return n;
}

/**
 * Splits counts and rows read once for a whole filter into the export's groups. `backlog` rows carry
 * a month for months and quarters; `rows` are the rollups grouped by desk (null for months and quarters).
 */
export function splitDossiers(
  by: ExportGroup,
  ctx: ReportContext,
  judging: Judging,
  sums: readonly DossierSumRow[],
  backlog: readonly (BacklogRow | MonthBacklogRow)[],
  rows: RowSet | null,
): Map<string, DossierGroup> {
  const deskUnit = new Map(ctx.desks.map((d) => [d.id, d.unitId]));
  const keyOf = (r: { deskId: number; unitId: number; fieldId: number; month?: string }): string => {
    switch (by) {
      case 'field':
        return String(r.fieldId);
      case 'unit':
        return String(r.unitId);
      case 'desk':
        return String(r.deskId);
      case 'month':
        return r.month ?? '';
      case 'quarter':
        return quarterOf(`${r.month ?? ''}-01`);
    }
  };
  const parts = new Map<string, { sums: DossierSumRow[]; byField: Map<number, DossierTotals>; rows: RowSet }>();
  const part = (key: string) => {
    let p = parts.get(key);
    if (!p) parts.set(key, (p = { sums: [], byField: new Map(), rows: { questions: [], moments: [] } }));
    return p;
  };
  const add = (map: Map<number, DossierTotals>, fieldId: number, t: DossierTotals) => map.set(fieldId, addDossiers(map.get(fieldId) ?? NO_DOSSIERS, t));
  for (const r of sums) {
    const p = part(keyOf(r));
    p.sums.push(r);
    add(p.byField, r.fieldId, flowTotals(r));
  }
  // A stock: within a group, each desk, field and channel's count at its latest month there.
  const latest = new Map<string, BacklogRow | MonthBacklogRow>();
  for (const b of backlog) {
    const k = `${keyOf(b)}|${b.deskId}|${b.fieldId}|${b.channel}`;
    const before = latest.get(k);
    if (!before || ('month' in b && 'month' in before && b.month > before.month)) latest.set(k, b);
  }
  for (const b of latest.values()) {
    if (b.backlog > 0) add(part(keyOf(b)).byField, b.fieldId, { ...NO_DOSSIERS, backlog: b.backlog });
  }
  if (rows) {
    for (const q of rows.questions) {
      const deskId = Number(q.group);
      const key = keyOf({ deskId, unitId: deskUnit.get(deskId) ?? 0, fieldId: q.fieldId });
      // A group with responses and no counts has nothing to weight by: its rows are not needed.
      parts.get(key)?.rows.questions.push(q);
    }
    for (const m of rows.moments) parts.get(keyOf({ deskId: m.deskId, unitId: deskUnit.get(m.deskId) ?? 0, fieldId: m.fieldId }))?.rows.moments.push(m);
  }
  const groups = new Map<string, DossierGroup>();
  for (const [key, p] of parts) {
    let totals = NO_DOSSIERS;
    for (const t of p.byField.values()) totals = addDossiers(totals, t);
    groups.set(key, {
      key,
      byField: p.byField,
      totals,
      indicators: dossierIndicators(p.byField, ctx.dossierIndicators, ctx, judging.periodEnd),
      weighted: rows ? weightedOfRows(p.sums, p.rows, ctx, judging) : null,
    });
  }
  return groups;
}

/** The counts of a filter by group: three reads for the whole filter, whatever the number of groups. */
export async function readDossierGroups(db: Kysely<Database>, ctx: ReportContext, filter: RollupFilter, judging: Judging, by: ExportGroup): Promise<Map<string, DossierGroup>> {
  const f = dossierFilterOf(filter);
  const timed = byTime(by);
  const [sums, backlog, rows] = await Promise.all([
    dossierSums(db, f),
    timed ? dossierBacklogByMonth(db, f) : dossierBacklog(db, f),
    timed ? Promise.resolve(null) : readRows(db, filter, 'desk'),
  ]);
  return splitDossiers(by, ctx, judging, sums, backlog, rows);
}

/** The export's order of groups (as regroup orders them): fields, units and desks as listed, months and quarters in time. */
export function groupOrder(by: ExportGroup, ctx: ReportContext): (a: string, b: string) => number {
  const list: readonly (string | number)[] | null =
    by === 'field' ? ctx.fields.map((f) => f.id) : by === 'unit' ? ctx.units.map((u) => u.id) : by === 'desk' ? ctx.desks.map((d) => d.id) : null;
  if (list === null) return (a, b) => a.localeCompare(b);
  const index = new Map(list.map((v, i) => [String(v), i]));
  return (a, b) => (index.get(a) ?? Infinity) - (index.get(b) ?? Infinity) || a.localeCompare(b);
}
