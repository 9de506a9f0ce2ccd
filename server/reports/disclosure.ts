/**
 * The public disclosure page's figures (/cong-khai): for this quarter and the year so far, each
 * indicator against its target, and overall satisfaction per kind of unit and per field. Computed
 * by the same code as the dashboard and the API (resolveReportRequest, indicatorReport,
 * judgeService), over every unit, so a citizen sees the numbers the province reports.
 *
 * No group with fewer respondents than MIN_RESPONSES is published, and no published figure may
 * give one back by subtraction: every indicator is a sum of the kinds of unit, and of the fields,
 * that answer to it, and the year so far is this quarter plus the quarters before. Those sums are
 * handed to analytics/suppression.ts, which hides further groups until nothing small can be worked out.
 */
import type { Kysely } from 'kysely';
import type { Period } from '../../analytics/periods.ts';
import { type HiddenReason, type Relation, suppress, type SuppressionCell } from '../../analytics/suppression.ts';
import type { Confidence } from '../../analytics/verdict.ts';
import type { Database } from '../../db/schema.ts';
import type { ReportContext } from './context.ts';
import { indicatorReport, judgingFor } from './dashboard.ts';
import { type Group, judgeService, readRows, regroup, type ServiceJudgement } from './groups.ts';
import { type IndicatorResult, type Judging, measureFor } from './indicators.ts';
import { resolveReportRequest } from './request.ts';

export const DISCLOSURE_PERIODS = ['quarter', 'year'] as const;
export type DisclosurePeriodKey = (typeof DISCLOSURE_PERIODS)[number];

export interface DisclosedGroup {
  key: string;
  judgement: ServiceJudgement;
  hidden: HiddenReason | null;
}

export interface DisclosedPeriod {
  key: DisclosurePeriodKey;
  period: Period;
  /** The period is still running: its verdicts are provisional and read at the stricter level. */
  provisional: boolean;
  confidence: Confidence;
  indicators: { result: IndicatorResult; hidden: HiddenReason | null }[];
  kinds: DisclosedGroup[];
  fields: DisclosedGroup[];
}

interface Computed {
  key: DisclosurePeriodKey;
  period: Period;
  ctx: ReportContext;
  judging: Judging;
  indicators: IndicatorResult[];
  tables: { kind: Group[]; field: Group[] };
}

const PREFIX: Record<DisclosurePeriodKey, string> = { quarter: 'Q', year: 'Y' };
/** The year so far minus this quarter: never shown, but anyone can work it out. */
const EARLIER = 'E';
const TABLES = ['kind', 'field'] as const;

async function compute(db: Kysely<Database>, key: DisclosurePeriodKey, today: string, minN: number): Promise<Computed> {
  const resolved = await resolveReportRequest(db, { period: key }, { kind: 'public' }, today);
  if (!resolved.ok) throw new Error(`the public ${key} was refused (${resolved.status})`);
  const { ctx, filter, filters } = resolved.request;
  const opts = { minN, today };
  const [indicators, byUnit, judging] = await Promise.all([indicatorReport(db, ctx, filter, opts), readRows(db, filter, 'unit'), judgingFor(db, ctx, filter, opts)]);
  return {
    key,
    period: filters.period,
    ctx,
    judging,
    indicators,
    tables: { kind: regroup(byUnit, 'unit_kind', ctx), field: regroup(byUnit, 'field', ctx) },
  };
}

/** The cells and sums a reader could combine, over both periods. */
function disclosureAudit(quarter: Computed, year: Computed, minN: number): Map<string, HiddenReason> {
  const ctx = year.ctx;
  const cells = new Map<string, SuppressionCell>();
  const relations: Relation[] = [];
  const n = new Map<string, number>();
  const add = (id: string, value: number, published = true) => {
    cells.set(id, { id, n: value, published });
    n.set(id, value);
  };
  for (const c of [quarter, year]) {
    const p = PREFIX[c.key];
    for (const ind of c.indicators) add(`${p}:ind:${ind.code}`, ind.n);
    for (const table of TABLES) for (const g of c.tables[table]) add(`${p}:${table}:${g.key}`, judgeService(g.rows, ctx, c.judging).overall.n);
  }
  // Every id of the year exists for the quarter too: a group missing there has no responses (0, known).
  for (const id of [...cells.keys()].filter((k) => k.startsWith('Y:'))) {
    const qid = `Q:${id.slice(2)}`;
    if (!cells.has(qid)) add(qid, 0);
    add(`${EARLIER}:${id.slice(2)}`, Math.max(0, (n.get(id) ?? 0) - (n.get(qid) ?? 0)), false);
    relations.push({ total: id, parts: [qid, `${EARLIER}:${id.slice(2)}`] });
  }
  // Each indicator is the sum of the groups of a table that answer to it; membership from the year
  // (a superset of the quarter's), for the year, the quarter and the part before it alike.
  for (const ind of ctx.indicators) {
    for (const table of TABLES) {
      const members = year.tables[table].filter((g) => measureFor(ind, g.rows, ctx, year.judging.precision).n > 0).map((g) => `${table}:${g.key}`);
      if (members.length === 0) continue;
      for (const p of ['Q', 'Y', EARLIER]) {
        relations.push({ total: `${p}:ind:${ind.code}`, parts: members.map((m) => `${p}:${m}`) });
      }
    }
  }
  return suppress([...cells.values()], relations.filter((r) => cells.has(r.total)), minN);
}

export async function disclosureReport(db: Kysely<Database>, today: string, minN: number): Promise<DisclosedPeriod[]> {
  const [quarter, year] = await Promise.all(DISCLOSURE_PERIODS.map((key) => compute(db, key, today, minN)));
  const hidden = disclosureAudit(quarter as Computed, year as Computed, minN);
  return [quarter as Computed, year as Computed].map((c) => {
    const p = PREFIX[c.key];
    const groups = (table: (typeof TABLES)[number]) =>
      c.tables[table].map((g) => ({
        key: g.key,
        judgement: judgeService(g.rows, c.ctx, c.judging),
        hidden: hidden.get(`${p}:${table}:${g.key}`) ?? null,
      }));
    return {
      key: c.key,
      period: c.period,
      provisional: c.judging.provisional,
      confidence: c.judging.confidence,
      indicators: c.indicators.map((result) => ({ result, hidden: hidden.get(`${p}:ind:${result.code}`) ?? null })),
      kinds: groups('kind'),
      fields: groups('field'),
    };
  });
}
