/**
 * The public disclosure page's figures (/cong-khai): for the last complete month, the last complete
 * quarter and the last complete year, each indicator against its target, and overall satisfaction
 * per kind of unit and per field. Computed by the same code as the dashboard and the API
 * (resolveReportRequest, indicatorReport, judgeService), over every unit, so a citizen sees the
 * numbers the province reports.
 *
 * Only closed periods (issue 18, finding 9): a running total ("the year so far") published every day
 * lets anyone subtract yesterday's page from today's and read off one day's respondents. A closed
 * period's figures are the same on every day they are shown, so the page only changes when a month ends.
 *
 * No group with fewer respondents than MIN_RESPONSES is published, and nothing published may give one
 * back by subtraction, over everything a reader could have kept: every month, quarter and year this
 * page has shown. Each period is decided once, from its own figures and those of the periods inside
 * it (a quarter after its three months, a year after its four quarters), so a decision never depends
 * on the day the page is read and is never revisited (analytics/suppression.ts, suppressStaged).
 */
import type { Kysely } from 'kysely';
import type { Period } from '../../analytics/periods.ts';
import { type HiddenReason, type Relation, suppressStaged, type SuppressionCell } from '../../analytics/suppression.ts';
import type { Confidence } from '../../analytics/verdict.ts';
import type { Database } from '../../db/schema.ts';
import type { ReportContext } from './context.ts';
import { indicatorReport, judgingFor } from './dashboard.ts';
import { type Group, judgeService, readRows, regroup, type ServiceJudgement } from './groups.ts';
import { type IndicatorResult, type Judging, measureFor } from './indicators.ts';
import { resolveReportRequest } from './request.ts';

export const DISCLOSURE_PERIODS = ['month', 'quarter', 'year'] as const;
export type DisclosurePeriodKey = (typeof DISCLOSURE_PERIODS)[number];

export interface DisclosedGroup {
  key: string;
  judgement: ServiceJudgement;
  hidden: HiddenReason | null;
}

export interface DisclosedPeriod {
  key: DisclosurePeriodKey;
  period: Period;
  /** Verdicts are provisional (read at the stricter level); false for the closed periods shown here. */
  provisional: boolean;
  confidence: Confidence;
  indicators: { result: IndicatorResult; hidden: HiddenReason | null }[];
  kinds: DisclosedGroup[];
  fields: DisclosedGroup[];
}

/** A calendar period and where it sits: 'M:2026-11', 'Q:2026-3', 'Y:2025', with the periods it is the sum of. */
export interface CalendarPeriod {
  id: string;
  key: DisclosurePeriodKey;
  period: Period;
  parts: CalendarPeriod[];
}

function lastDay(year: number, month: number): string {
  return new Date(Date.UTC(year, month, 0)).toISOString().slice(0, 10);
}

const pad = (n: number) => String(n).padStart(2, '0');

export function monthPeriod(year: number, month: number): CalendarPeriod {
  return { id: `M:${year}-${pad(month)}`, key: 'month', period: { from: `${year}-${pad(month)}-01`, to: lastDay(year, month) }, parts: [] };
}

export function quarterPeriod(year: number, quarter: number): CalendarPeriod {
  const months = [1, 2, 3].map((i) => monthPeriod(year, (quarter - 1) * 3 + i));
  return { id: `Q:${year}-${quarter}`, key: 'quarter', period: { from: months[0]!.period.from, to: months[2]!.period.to }, parts: months };
}

export function yearPeriod(year: number): CalendarPeriod {
  return { id: `Y:${year}`, key: 'year', period: { from: `${year}-01-01`, to: `${year}-12-31` }, parts: [1, 2, 3, 4].map((q) => quarterPeriod(year, q)) };
}

/** The last complete month, quarter and year before the local day `today`: what the page shows that day. */
export function closedPeriods(today: string): Record<DisclosurePeriodKey, CalendarPeriod> {
  const year = Number(today.slice(0, 4));
  const month = Number(today.slice(5, 7));
  const quarter = Math.floor((month - 1) / 3) + 1;
  return {
    month: month === 1 ? monthPeriod(year - 1, 12) : monthPeriod(year, month - 1),
    quarter: quarter === 1 ? quarterPeriod(year - 1, 4) : quarterPeriod(year, quarter - 1),
    year: yearPeriod(year - 1),
  };
}

interface Computed {
  cal: CalendarPeriod;
  ctx: ReportContext;
  judging: Judging;
  indicators: IndicatorResult[];
  tables: { kind: Group[]; field: Group[] };
}

const TABLES = ['kind', 'field'] as const;

async function compute(db: Kysely<Database>, cal: CalendarPeriod, today: string, minN: number): Promise<Computed> {
  const resolved = await resolveReportRequest(db, { from: cal.period.from, to: cal.period.to }, { kind: 'public' }, today);
  if (!resolved.ok) throw new Error(`the public ${cal.id} was refused (${resolved.status})`);
  const { ctx, filter } = resolved.request;
  const opts = { minN, today };
  const [indicators, byUnit, judging] = await Promise.all([indicatorReport(db, ctx, filter, opts), readRows(db, filter, 'unit'), judgingFor(db, ctx, filter, opts)]);
  return { cal, ctx, judging, indicators, tables: { kind: regroup(byUnit, 'unit_kind', ctx), field: regroup(byUnit, 'field', ctx) } };
}

/** The cells of one period's page section: its indicators and groups, by id. */
function cellsOf(c: Computed): SuppressionCell[] {
  const p = c.cal.id;
  const cells: SuppressionCell[] = c.indicators.map((ind) => ({ id: `${p}|ind:${ind.code}`, n: ind.n, published: true }));
  for (const table of TABLES) {
    for (const g of c.tables[table]) cells.push({ id: `${p}|${table}:${g.key}`, n: judgeService(g.rows, c.ctx, c.judging).overall.n, published: true });
  }
  // Everyone who answered in the period: never shown, but the kinds and the fields both add up to it.
  cells.push({ id: `${p}|all`, n: cells.filter((x) => x.id.startsWith(`${p}|kind:`)).reduce((a, x) => a + x.n, 0), published: false });
  return cells;
}

/** Within a period: each indicator is the sum of the groups of a table that answer to it; the kinds and the fields both sum to everyone. */
function tableRelations(c: Computed): Relation[] {
  const p = c.cal.id;
  const relations: Relation[] = [];
  for (const table of TABLES) {
    relations.push({ total: `${p}|all`, parts: c.tables[table].map((g) => `${p}|${table}:${g.key}`) });
    for (const ind of c.ctx.indicators) {
      const members = c.tables[table].filter((g) => measureFor(ind, g.rows, c.ctx, c.judging.precision).n > 0).map((g) => `${p}|${table}:${g.key}`);
      if (members.length > 0) relations.push({ total: `${p}|ind:${ind.code}`, parts: members });
    }
  }
  return relations;
}

/** Across periods: every figure of a quarter (a year) is the sum of the same figure of its months (quarters). */
function nestingRelations(whole: SuppressionCell[], parts: SuppressionCell[][], wholeId: string, partIds: string[]): Relation[] {
  const suffixes = new Set([...whole, ...parts.flat()].map((c) => c.id.slice(c.id.indexOf('|'))));
  return [...suffixes].map((s) => ({ total: `${wholeId}${s}`, parts: partIds.map((id) => `${id}${s}`) }));
}

/**
 * Every figure a reader could combine with the period shown: a month alone; a quarter with its months;
 * a year with its quarters and months. A group absent from a period is shown as having no responses
 * (0, known to everyone).
 */
class Decisions {
  private readonly computed = new Map<string, Promise<Computed>>();
  private readonly decided = new Map<string, Promise<Map<string, HiddenReason | null>>>();

  constructor(
    private readonly db: Kysely<Database>,
    private readonly today: string,
    private readonly minN: number,
  ) {}

  figures(cal: CalendarPeriod): Promise<Computed> {
    let c = this.computed.get(cal.id);
    if (!c) {
      c = compute(this.db, cal, this.today, this.minN);
      this.computed.set(cal.id, c);
    }
    return c;
  }

  /** Which of the period's figures are withheld (null: shown), with those of every period inside it. */
  decide(cal: CalendarPeriod): Promise<Map<string, HiddenReason | null>> {
    let d = this.decided.get(cal.id);
    if (!d) {
      d = this.decideNow(cal);
      this.decided.set(cal.id, d);
    }
    return d;
  }

  private async decideNow(cal: CalendarPeriod): Promise<Map<string, HiddenReason | null>> {
    const fixed = new Map<string, HiddenReason | null>();
    for (const part of cal.parts) for (const [id, reason] of await this.decide(part)) fixed.set(id, reason);
    const own = await this.figures(cal);
    const cells = cellsOf(own);
    const relations = tableRelations(own);
    if (cal.parts.length > 0) {
      const parts = await Promise.all(cal.parts.map((p) => this.figures(p)));
      const partCells = parts.map(cellsOf);
      const known = new Set([...cells, ...partCells.flat()].map((c) => c.id));
      const nesting = nestingRelations(cells, partCells, cal.id, cal.parts.map((p) => p.id));
      // A figure missing from a period (no responses) is 0 and known.
      for (const r of nesting) {
        for (const id of [r.total, ...r.parts]) {
          if (known.has(id)) continue;
          cells.push({ id, n: 0, published: !id.endsWith('|all') });
          known.add(id);
          if (!id.endsWith('|all')) fixed.set(id, null);
        }
      }
      cells.push(...partCells.flat());
      relations.push(...nesting, ...parts.flatMap(tableRelations));
    }
    const hidden = suppressStaged(cells, relations, this.minN, fixed);
    const result = new Map<string, HiddenReason | null>(fixed);
    for (const c of cells) if (c.published && !result.has(c.id)) result.set(c.id, hidden.get(c.id) ?? null);
    return result;
  }
}

export async function disclosureReport(db: Kysely<Database>, today: string, minN: number): Promise<DisclosedPeriod[]> {
  const closed = closedPeriods(today);
  const decisions = new Decisions(db, today, minN);
  return Promise.all(
    DISCLOSURE_PERIODS.map(async (key) => {
      const cal = closed[key];
      const [c, hidden] = await Promise.all([decisions.figures(cal), decisions.decide(cal)]);
      const p = cal.id;
      const groups = (table: (typeof TABLES)[number]) =>
        c.tables[table].map((g) => ({ key: g.key, judgement: judgeService(g.rows, c.ctx, c.judging), hidden: hidden.get(`${p}|${table}:${g.key}`) ?? null }));
      return {
        key,
        period: cal.period,
        provisional: c.judging.provisional,
        confidence: c.judging.confidence,
        indicators: c.indicators.map((result) => ({ result, hidden: hidden.get(`${p}|ind:${result.code}`) ?? null })),
        kinds: groups('kind'),
        fields: groups('field'),
      };
    }),
  );
}
