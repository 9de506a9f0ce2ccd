/**
 * Why: the survey knows who answered, the one-stop software knows whom each desk served (issue 20).
 * This joins the two for a report's filter: how many of the citizens served answered (response
 * rates per desk, unit and field, and the desks where one side is missing), each satisfaction
 * indicator weighted by the dossiers each desk x field cell resolved (analytics/weighted.ts), and the
 * plan's dossier indicators, met or not (analytics/dossiers.ts). The dashboard, the report, the
 * exports and the API all read it here, so a period gives the same numbers wherever it is shown.
 */
import type { Kysely } from 'kysely';
import {
  addDossiers,
  DOSSIER_RULES,
  type DossierMeasure,
  type DossierRule,
  type DossierTotals,
  dossierValue,
  type DossierVerdict,
  dossierVerdict,
  NO_DOSSIERS,
  responseRate,
} from '../../analytics/dossiers.ts';
import type { Interval } from '../../analytics/proportion.ts';
import { type Confidence, intervalAt, judge, type Verdict } from '../../analytics/verdict.ts';
import { postStratify, type WeightedCell, type WeightedResult } from '../../analytics/weighted.ts';
import type { RollupFilter } from '../../db/queries/analytics.ts';
import { type BacklogRow, dossierBacklog, type DossierFilter, dossierSums, type DossierSumRow } from '../../db/queries/dossier-counts.ts';
import type { Database } from '../../db/schema.ts';
import type { DossierIndicator, ReportContext } from './context.ts';
import { readRows } from './groups.ts';
import { coversField, type Judging, measureFor, precisionWithout, type RowSet, targetFor } from './indicator-results.ts';

/**
 * The rule that decides which figure heads a satisfaction card (stated on the dashboard and in the
 * README): the weighted one when the cells with responses hold at least this share of the
 * indicator's dossiers, the desks with imported counts sent at least this share of its responses, and
 * its effective sample size reaches the minimum for a verdict; otherwise the figure as answered, with
 * the weighted one beside it.
 */
export const WEIGHTED_HEADS_AT = 0.8;

/** A satisfaction indicator weighted by the citizens served. */
export interface WeightedIndicator {
  code: string;
  result: WeightedResult;
  verdict: Verdict | null;
  /** The interval the verdict was read from (the 99.9% one while the period runs). */
  verdictCi: Interval | null;
  /** Responses the weighting could use (at cells with dossiers) over all the indicator's responses. */
  responsesWithCounts: number;
  responses: number;
  /** The weighted figure heads the card (WEIGHTED_HEADS_AT). */
  heads: boolean;
}

/** One of the plan's dossier indicators: a count of every dossier, met or not, no interval. */
export interface DossierIndicatorResult {
  code: string;
  nameVi: string;
  nameEn: string;
  measure: DossierMeasure;
  rule: DossierRule;
  /** Percent for shares, dossiers for the backlog; null when no target covers the period. */
  target: number | null;
  targetSource: string | null;
  /** A share 0..1 or, for the backlog, dossiers; null without counts. */
  value: number | null;
  /** What the share is of: dossiers resolved (late ones for the apology rate). */
  base: number;
  /** No late dossier in the slice: the apology target holds with nothing to apologise for. */
  nothingOwed: boolean;
  /** The slice has counts in the fields the indicator covers (a health field has none of the plan's dossier targets). */
  inScope: boolean;
  verdict: DossierVerdict | null;
}

/** Dossiers and responses of one desk, unit or field. */
export interface ServedRow {
  dossiers: DossierTotals;
  responses: number;
  /** responses / dossiers resolved; null without resolved dossiers. */
  rate: number | null;
}

export interface DeskServed extends ServedRow {
  deskId: number;
  unitId: number;
}

export interface DossierFigures {
  /** The filter's scope and days have imported counts. */
  hasCounts: boolean;
  /** The period is still running: the dossier verdicts say "so far" (the same rule as the survey's, analytics/periods.ts). */
  provisional: boolean;
  totals: DossierTotals;
  /** Responses of the filter (the survey's channel and statuses apply; dossiers have their own channels). */
  responses: number;
  responseRate: number | null;
  indicators: DossierIndicatorResult[];
  /** By satisfaction indicator code. */
  weighted: Map<string, WeightedIndicator>;
  byDesk: Map<number, DeskServed>;
  byUnit: Map<number, ServedRow>;
  byField: Map<number, ServedRow>;
  /** Counts per unit, then field: what a unit's dossier indicators are computed from. */
  byUnitField: Map<number, Map<number, DossierTotals>>;
  /** Desks that resolved dossiers in the period and sent no response ("1.240 hồ sơ, chưa có phiếu nào"), most dossiers first. */
  withoutResponses: DeskServed[];
  /** Desks with responses and no imported counts: their answers weigh nothing in the weighted figures. */
  withoutCounts: DeskServed[];
  /** The flows per month ('YYYY-MM'), for the trend (the backlog is left at 0: a stock is not summed). */
  months: Map<string, DossierTotals>;
}

export function dossierFilterOf(filter: RollupFilter): DossierFilter {
  return { from: filter.from, to: filter.to, unitIds: filter.unitIds, fieldIds: filter.fieldIds, deskId: filter.deskId };
}

/** One flow row as totals (the backlog left at 0: a stock is not summed). */
export function flowTotals(r: DossierSumRow): DossierTotals {
  return {
    rows: r.rows,
    received: r.received,
    resolved: r.resolved,
    onTime: r.onTime,
    late: r.late,
    apologised: r.apologised,
    backlog: 0,
    complaints: r.complaints,
    resolvedOnline: r.channel === 'online' ? r.resolved : 0,
  };
}

const backlogTotals = (r: BacklogRow): DossierTotals => ({ ...NO_DOSSIERS, backlog: r.backlog });

function addTo<K>(map: Map<K, DossierTotals>, key: K, t: DossierTotals): void {
  map.set(key, addDossiers(map.get(key) ?? NO_DOSSIERS, t));
}

/** Summed counts of the fields an indicator covers (the plan's dossier targets are of administrative procedures). */
export function coveredTotals(byField: ReadonlyMap<number, DossierTotals>, indicator: DossierIndicator, ctx: ReportContext): DossierTotals {
  const covered = coversField(indicator, ctx);
  let totals = NO_DOSSIERS;
  for (const [fieldId, t] of byField) if (covered(fieldId)) totals = addDossiers(totals, t);
  return totals;
}

/**
 * The plan's dossier indicators on counts summed per field, each over the fields it covers, against
 * the targets in force at the period's end.
 */
export function dossierIndicators(
  byField: ReadonlyMap<number, DossierTotals>,
  indicators: DossierIndicator[],
  ctx: ReportContext,
  periodEnd: string,
): DossierIndicatorResult[] {
  return indicators.map((indicator) => {
    const target = targetFor(indicator.id, ctx.targets, periodEnd);
    const totals = coveredTotals(byField, indicator, ctx);
    const v = dossierValue(indicator.measure, totals);
    return {
      code: indicator.code,
      nameVi: indicator.name_vi,
      nameEn: indicator.name_en,
      measure: indicator.measure,
      rule: DOSSIER_RULES[indicator.measure],
      target: target?.threshold ?? null,
      targetSource: target?.source ?? null,
      value: v.value,
      base: v.base,
      nothingOwed: v.nothingOwed,
      inScope: totals.rows > 0,
      verdict: totals.rows === 0 ? null : dossierVerdict(indicator.measure, v, target?.threshold ?? null),
    };
  });
}

/** Rows of one desk x field cell, keyed `desk|field`, from rows read grouped by desk. */
function byCell(rows: RowSet): Map<string, RowSet> {
  const cells = new Map<string, RowSet>();
  const get = (key: string) => {
    let c = cells.get(key);
    if (!c) cells.set(key, (c = { questions: [], moments: [] }));
    return c;
  };
  for (const q of rows.questions) get(`${q.group}|${q.fieldId}`).questions.push(q);
  for (const m of rows.moments) get(`${m.deskId}|${m.fieldId}`).moments.push(m);
  return cells;
}

function weightedIndicators(
  cellDossiers: CellDossiers,
  rows: RowSet,
  cellRows: Map<string, RowSet>,
  ctx: ReportContext,
  judging: Judging,
  confidence: Confidence,
): Map<string, WeightedIndicator> {
  const out = new Map<string, WeightedIndicator>();
  // Without counts there is nothing to weight by: no cell's measure is computed.
  if (cellDossiers.size === 0) return out;
  for (const indicator of ctx.indicators) {
    const covered = coversField(indicator, ctx);
    const precision = precisionWithout(indicator, rows, ctx, judging.precision);
    const cells: WeightedCell[] = [];
    const measured = new Set<string>();
    let responsesWithCounts = 0;
    for (const [key, c] of cellDossiers) {
      if (!covered(c.fieldId) || c.resolved === 0) continue;
      const cell = cellRows.get(key);
      const result = cell ? measureFor(indicator, cell, ctx, precision) : { value: null, n: 0, nEff: 0, ci: null };
      measured.add(key);
      responsesWithCounts += result.n;
      cells.push({ dossiers: c.resolved, result });
    }
    // Every respondent of the indicator, those at cells without counts included: the share the weighting uses.
    let responses = responsesWithCounts;
    for (const [key, cell] of cellRows) if (!measured.has(key)) responses += measureFor(indicator, cell, ctx, precision).n;
    if (cells.length === 0) continue;
    const result = postStratify(cells, { exact: indicator.measure === 'overall_rate' });
    const target = targetFor(indicator.id, ctx.targets, judging.periodEnd);
    const share = target ? target.threshold / 100 : null;
    // A weighted figure heads only when it can be judged: never a headline "too few" where the answers as they came suffice.
    const heads =
      result.value !== null &&
      result.nEff >= judging.minN &&
      result.uncoveredShare !== null &&
      1 - result.uncoveredShare >= WEIGHTED_HEADS_AT &&
      responses > 0 &&
      responsesWithCounts / responses >= WEIGHTED_HEADS_AT;
    out.set(indicator.code, {
      code: indicator.code,
      result,
      // The minimum for a verdict is read on n_eff: a few answers weighted up by many dossiers are few answers.
      verdict: share === null ? null : result.nEff < judging.minN ? 'insufficient' : judge(result, share, confidence, judging.minN),
      verdictCi: intervalAt(result, confidence),
      responsesWithCounts,
      responses,
      heads,
    });
  }
  return out;
}

interface CountParts {
  totals: DossierTotals;
  months: Map<string, DossierTotals>;
  deskTotals: Map<number, DossierTotals>;
  fieldTotals: Map<number, DossierTotals>;
  /** Per unit and field: a unit's on-time share beside its satisfaction covers the fields the target covers. */
  unitFieldTotals: Map<number, Map<number, DossierTotals>>;
  unitOfDesk: Map<number, number>;
}

/**
 * The counts summed per month, desk, field and unit. The reads are kept until the counts change
 * (db/queries/dossier-counts.ts), so the sums of the same reads are kept beside them: a year of a
 * province is some 30,000 rows, added up once per import rather than on every view. Never changed
 * by callers.
 */
const partsOfReads = new WeakMap<readonly DossierSumRow[], WeakMap<readonly BacklogRow[], CountParts>>();

function countParts(sums: readonly DossierSumRow[], backlog: readonly BacklogRow[]): CountParts {
  const known = partsOfReads.get(sums)?.get(backlog);
  if (known) return known;
  let totals = NO_DOSSIERS;
  const months = new Map<string, DossierTotals>();
  const deskTotals = new Map<number, DossierTotals>();
  const fieldTotals = new Map<number, DossierTotals>();
  const unitFieldTotals = new Map<number, Map<number, DossierTotals>>();
  const addUnitField = (unitId: number, fieldId: number, t: DossierTotals) => {
    const fields = unitFieldTotals.get(unitId) ?? new Map<number, DossierTotals>();
    addTo(fields, fieldId, t);
    unitFieldTotals.set(unitId, fields);
  };
  const unitOfDesk = new Map<number, number>();
  for (const r of sums) {
    const t = flowTotals(r);
    totals = addDossiers(totals, t);
    addTo(months, r.month, t);
    addTo(deskTotals, r.deskId, t);
    addTo(fieldTotals, r.fieldId, t);
    addUnitField(r.unitId, r.fieldId, t);
    unitOfDesk.set(r.deskId, r.unitId);
  }
  for (const b of backlog) {
    totals = addDossiers(totals, backlogTotals(b));
    addTo(deskTotals, b.deskId, backlogTotals(b));
    addTo(fieldTotals, b.fieldId, backlogTotals(b));
    addUnitField(b.unitId, b.fieldId, backlogTotals(b));
  }
  const parts = { totals, months, deskTotals, fieldTotals, unitFieldTotals, unitOfDesk };
  const bySums = partsOfReads.get(sums) ?? new WeakMap<readonly BacklogRow[], CountParts>();
  bySums.set(backlog, parts);
  partsOfReads.set(sums, bySums);
  return parts;
}

/**
 * Everything the counts say about a report's filter. `rows` are the filter's rollups grouped by
 * desk (readRows(db, filter, 'desk')); read here when not given.
 */
export async function dossierFigures(db: Kysely<Database>, ctx: ReportContext, filter: RollupFilter, judging: Judging, given?: RowSet): Promise<DossierFigures> {
  const f = dossierFilterOf(filter);
  const [sums, backlog] = await Promise.all([dossierSums(db, f), dossierBacklog(db, f)]);
  // Without counts nothing is joined to the survey: the rollups by desk are not read (a province before its first import).
  const rows = given ?? (sums.length > 0 ? await readRows(db, filter, 'desk') : { questions: [], moments: [] });

  const { totals, months, deskTotals, fieldTotals, unitFieldTotals, unitOfDesk } = countParts(sums, backlog);

  const deskResponses = new Map<number, number>();
  const fieldResponses = new Map<number, number>();
  let responses = 0;
  for (const m of rows.moments) {
    responses += m.responses;
    deskResponses.set(m.deskId, (deskResponses.get(m.deskId) ?? 0) + m.responses);
    fieldResponses.set(m.fieldId, (fieldResponses.get(m.fieldId) ?? 0) + m.responses);
  }
  const deskUnit = new Map(ctx.desks.map((d) => [d.id, d.unitId]));
  const byDesk = new Map<number, DeskServed>();
  for (const deskId of new Set([...deskTotals.keys(), ...deskResponses.keys()])) {
    const dossiers = deskTotals.get(deskId) ?? NO_DOSSIERS;
    const n = deskResponses.get(deskId) ?? 0;
    byDesk.set(deskId, { deskId, unitId: unitOfDesk.get(deskId) ?? deskUnit.get(deskId) ?? 0, dossiers, responses: n, rate: responseRate(n, dossiers.resolved) });
  }
  const byUnit = new Map<number, ServedRow>();
  for (const d of byDesk.values()) {
    const u = byUnit.get(d.unitId) ?? { dossiers: NO_DOSSIERS, responses: 0, rate: null };
    const dossiers = addDossiers(u.dossiers, d.dossiers);
    const n = u.responses + d.responses;
    byUnit.set(d.unitId, { dossiers, responses: n, rate: responseRate(n, dossiers.resolved) });
  }
  const byField = new Map<number, ServedRow>();
  for (const fieldId of new Set([...fieldTotals.keys(), ...fieldResponses.keys()])) {
    const dossiers = fieldTotals.get(fieldId) ?? NO_DOSSIERS;
    const n = fieldResponses.get(fieldId) ?? 0;
    byField.set(fieldId, { dossiers, responses: n, rate: responseRate(n, dossiers.resolved) });
  }
  const desks = [...byDesk.values()];
  return {
    hasCounts: totals.rows > 0,
    provisional: judging.provisional,
    totals,
    responses,
    responseRate: responseRate(responses, totals.resolved),
    indicators: dossierIndicators(fieldTotals, ctx.dossierIndicators, ctx, filter.to),
    byUnitField: unitFieldTotals,
    weighted: weightedOfRows(sums, rows, ctx, judging),
    byDesk,
    byUnit,
    byField,
    withoutResponses: desks.filter((d) => d.dossiers.resolved > 0 && d.responses === 0).sort((a, b) => b.dossiers.resolved - a.dossiers.resolved),
    withoutCounts: desks.filter((d) => d.responses > 0 && d.dossiers.rows === 0).sort((a, b) => b.responses - a.responses),
    months,
  };
}

/**
 * The weighted satisfaction indicators of flows and rows already read: dossierFigures's, and each
 * group's of the exports (server/figures/dossier-groups.ts, which reads once and splits by group).
 * `rows` are grouped by desk.
 */
export function weightedOfRows(sums: readonly DossierSumRow[], rows: RowSet, ctx: ReportContext, judging: Judging): Map<string, WeightedIndicator> {
  return weightedIndicators(cellsOf(sums), rows, byCell(rows), ctx, judging, judging.confidence);
}

type CellDossiers = Map<string, { deskId: number; fieldId: number; resolved: number }>;

/** Dossiers resolved per desk x field cell, kept beside the read they were added up from (countParts). */
const cellsOfReads = new WeakMap<readonly DossierSumRow[], CellDossiers>();

function cellsOf(sums: readonly DossierSumRow[]): CellDossiers {
  const known = cellsOfReads.get(sums);
  if (known) return known;
  const cells: CellDossiers = new Map();
  for (const r of sums) {
    const key = `${r.deskId}|${r.fieldId}`;
    const cell = cells.get(key) ?? { deskId: r.deskId, fieldId: r.fieldId, resolved: 0 };
    cell.resolved += r.resolved;
    cells.set(key, cell);
  }
  cellsOfReads.set(sums, cells);
  return cells;
}
