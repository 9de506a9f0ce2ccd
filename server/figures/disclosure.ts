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
 *
 * Fixed once published (issue 18, item 6): a closed month can still change after the page first
 * showed it (a paper form typed in late with the day it was filled in, a response released from the
 * review queue, a desk moved), and a reader who kept the first page could subtract it from the new one.
 * So the first time a period is shown, its figures and the decisions behind them are stored
 * (db/queries/published-figures.ts) and shown as stored from then on; staff pages and the API keep
 * the live figures. The periods ever shown are read back from what was stored, and a later quarter
 * (year) that counts responses its stored months (quarters) did not is treated as publishing their
 * difference too, which is withheld like any small group.
 *
 * Beside them (issue 20, item 5): the on-time and online shares of the dossiers resolved in the period,
 * per kind of unit and per field, against the plan's targets. They are the one-stop software's counts
 * of every dossier, administrative totals the province already publishes, not answers of people: no
 * group is withheld for being small, and they are not stored with the publication but read as the
 * counts stand (a corrected month is imported again and shows corrected), with nothing for a group
 * that has no counts.
 */
import type { Kysely } from 'kysely';
import { addDossiers, type DossierTotals, NO_DOSSIERS } from '../../analytics/dossiers.ts';
import { localDay } from '../../analytics/time.ts';
import { dossierSums } from '../../db/queries/dossier-counts.ts';
import { publishOnce, readPublications, type StoredPublication } from '../../db/queries/published-figures.ts';
import type { Period } from '../../analytics/periods.ts';
import { type HiddenReason, type Relation, suppressStaged, type SuppressionCell } from '../../analytics/suppression.ts';
import type { Confidence } from '../../analytics/verdict.ts';
import type { Database, UnitKind } from '../../db/schema.ts';
import { loadReportContext, type ReportContext } from './context.ts';
import { indicatorReport, judgingFor } from './dashboard.ts';
import { flowTotals } from './dossiers.ts';
import { type DossierIndicatorResult, dossierIndicators } from './dossiers.ts';
import { type Group, judgeService, readRows, regroup, type ServiceJudgement, UNIT_KINDS } from './groups.ts';
import { type IndicatorResult, type Judging, measureFor, targetFor } from './indicator-results.ts';
import { resolveReportRequest } from './request.ts';

export const DISCLOSURE_PERIODS = ['month', 'quarter', 'year'] as const;
export type DisclosurePeriodKey = (typeof DISCLOSURE_PERIODS)[number];

export interface DisclosedGroup {
  key: string;
  judgement: ServiceJudgement;
  hidden: HiddenReason | null;
}

/** The dossiers of one kind of unit or one field in a period: counts of every dossier, met or not. */
export interface DisclosedDossierGroup {
  /** A kind of unit, or a field id. */
  key: string;
  resolved: number;
  onTime: DossierIndicatorResult | null;
  online: DossierIndicatorResult | null;
}

export interface DisclosedDossiers {
  /** The targets in force at the period's end (percent); null when none is set. */
  onTimeTarget: number | null;
  onlineTarget: number | null;
  kinds: DisclosedDossierGroup[];
  fields: DisclosedDossierGroup[];
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
  /** When the period's figures were first published (ISO instant); they are shown as stored since. */
  publishedAt: string;
  /** The one-stop software's counts, read as they stand (never stored); null when the period has none. */
  dossiers: DisclosedDossiers | null;
  /** The targets in force at the period's end, with where they come from and whether confirmed: read as they stand (never stored). */
  targets: DisclosedTarget[];
}

/**
 * Where a period's target comes from (issue 21, item 3): the source of the target in force at the
 * period's end, whether an administrator confirmed it and, for an unconfirmed one, the year of the
 * target it was copied from (the indicator's latest earlier target). The page never shows the source
 * of an unconfirmed copy ("Mặc định theo chỉ tiêu 2025 / copied from 2025"), only that it is one.
 */
export interface DisclosedTarget {
  code: string;
  nameVi: string;
  nameEn: string;
  /** The year the target is for (its first day's year). */
  year: string;
  source: string;
  confirmed: boolean;
  /** For an unconfirmed target: the year of the indicator's latest earlier target, null when there is none. */
  copiedFrom: string | null;
}

/** How a stored publication's payload is written; a later change that writes it otherwise takes the next number and keeps reading this one. */
export const PUBLICATION_FORMAT = 1;

/** A stored publication, format 1: the period as shown, and its cells, relations and decisions for the periods published after it. */
interface PublicationPayload {
  period: Omit<DisclosedPeriod, 'publishedAt' | 'dossiers' | 'targets'>;
  /** The period's own cells (n as published) and the relations between them. */
  cells: SuppressionCell[];
  relations: Relation[];
  /** Which figures were withheld, the period's own and those of the periods inside it, as decided when it was published. */
  decisions: [string, HiddenReason | null][];
}

interface Publication extends PublicationPayload {
  publishedAt: string;
}

function decodePublication(stored: StoredPublication): Publication {
  if (stored.format !== PUBLICATION_FORMAT) throw new Error(`published figures of ${stored.periodId} are in format ${stored.format}, which this version cannot read`);
  return { ...(JSON.parse(stored.payload) as PublicationPayload), publishedAt: stored.publishedAt };
}

/** The ids of a period and of every period inside it. */
function withParts(cal: CalendarPeriod): string[] {
  return [cal.id, ...cal.parts.flatMap(withParts)];
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
  private readonly sections = new Map<string, Promise<{ cells: SuppressionCell[]; relations: Relation[] }>>();
  private readonly decided = new Map<string, Promise<Map<string, HiddenReason | null>>>();

  constructor(
    private readonly db: Kysely<Database>,
    private readonly today: string,
    private readonly minN: number,
    /** The periods published before, by id: their figures and decisions are read from here, never recomputed. */
    private readonly stored: Map<string, Publication>,
  ) {}

  /** Records a period just published (or published first by another server): everything decided from now on starts from it. */
  remember(id: string, publication: Publication): void {
    this.stored.set(id, publication);
    this.sections.delete(id);
    this.decided.delete(id);
  }

  /** A period's cells and the relations between them: as published when it was, else as they are today. */
  section(cal: CalendarPeriod): Promise<{ cells: SuppressionCell[]; relations: Relation[] }> {
    let s = this.sections.get(cal.id);
    if (!s) {
      const stored = this.stored.get(cal.id);
      s = stored
        ? Promise.resolve({ cells: stored.cells, relations: stored.relations })
        : this.figures(cal).then((c) => ({ cells: cellsOf(c), relations: tableRelations(c) }));
      this.sections.set(cal.id, s);
    }
    return s;
  }

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
    const stored = this.stored.get(cal.id);
    if (stored) return new Map(stored.decisions);
    const fixed = new Map<string, HiddenReason | null>();
    for (const part of cal.parts) for (const [id, reason] of await this.decide(part)) fixed.set(id, reason);
    const own = await this.section(cal);
    const cells = [...own.cells];
    const relations = [...own.relations];
    if (cal.parts.length > 0) {
      const parts = await Promise.all(cal.parts.map((p) => this.section(p)));
      const partCells = parts.map((p) => p.cells);
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
      // A part published before does not count what came in after it (a late paper form, a response
      // released from review): the whole minus its parts then gives those respondents back, so their
      // number is a figure never shown, withheld like any other when small.
      const n = new Map([...cells, ...partCells.flat()].map((c) => [c.id, c.n]));
      for (const r of nesting) {
        const late = (n.get(r.total) ?? 0) - r.parts.reduce((a, id) => a + (n.get(id) ?? 0), 0);
        if (late === 0) continue;
        const id = `${r.total}+late`;
        cells.push({ id, n: Math.abs(late), published: false });
        r.parts.push(id);
      }
      cells.push(...partCells.flat());
      relations.push(...nesting, ...parts.flatMap((p) => p.relations));
    }
    const hidden = suppressStaged(cells, relations, this.minN, fixed);
    const result = new Map<string, HiddenReason | null>(fixed);
    for (const c of cells) if (c.published && !result.has(c.id)) result.set(c.id, hidden.get(c.id) ?? null);
    return result;
  }
}

/**
 * The on-time and online shares of a period's dossiers per kind of unit and per field, over every
 * unit, from one grouped read; a group appears only when it resolved dossiers in the fields the targets cover.
 */
export async function disclosedDossiers(db: Kysely<Database>, ctx: ReportContext, period: Period): Promise<DisclosedDossiers | null> {
  const sums = await dossierSums(db, { from: period.from, to: period.to, unitIds: null, fieldIds: null, deskId: null });
  if (sums.length === 0) return null;
  const wanted = ctx.dossierIndicators.filter((i) => i.measure === 'on_time_rate' || i.measure === 'online_share');
  const kinds = new Map<UnitKind, Map<number, DossierTotals>>();
  const fields = new Map<number, Map<number, DossierTotals>>();
  const add = <K>(map: Map<K, Map<number, DossierTotals>>, key: K, fieldId: number, t: DossierTotals) => {
    const byField = map.get(key) ?? new Map<number, DossierTotals>();
    byField.set(fieldId, addDossiers(byField.get(fieldId) ?? NO_DOSSIERS, t));
    map.set(key, byField);
  };
  for (const r of sums) {
    const kind = ctx.unitById.get(r.unitId)?.kind;
    const t = flowTotals(r);
    if (kind !== undefined) add(kinds, kind, r.fieldId, t);
    add(fields, r.fieldId, r.fieldId, t);
  }
  const group = (key: string, byField: Map<number, DossierTotals>): DisclosedDossierGroup | null => {
    const results = dossierIndicators(byField, wanted, ctx, period.to);
    const onTime = results.find((d) => d.measure === 'on_time_rate') ?? null;
    const online = results.find((d) => d.measure === 'online_share') ?? null;
    const resolved = onTime?.base ?? online?.base ?? 0;
    return resolved > 0 ? { key, resolved, onTime, online } : null;
  };
  const targets = dossierIndicators(new Map(), wanted, ctx, period.to);
  const shown = {
    onTimeTarget: targets.find((d) => d.measure === 'on_time_rate')?.target ?? null,
    onlineTarget: targets.find((d) => d.measure === 'online_share')?.target ?? null,
    kinds: UNIT_KINDS.flatMap((kind) => {
      const byField = kinds.get(kind);
      const g = byField ? group(kind, byField) : null;
      return g ? [g] : [];
    }),
    fields: ctx.fields.flatMap((f) => {
      const byField = fields.get(f.id);
      const g = byField ? group(String(f.id), byField) : null;
      return g ? [g] : [];
    }),
  };
  return shown.kinds.length > 0 || shown.fields.length > 0 ? shown : null;
}

/**
 * The targets in force at the end of `period` for the survey's indicators and, when the period shows
 * dossier counts, for the on-time and online shares: read as they stand, so a target confirmed after
 * a period was published is named as confirmed (the figures and their thresholds stay as published).
 */
export function disclosedTargets(ctx: ReportContext, period: Period, withDossiers: boolean): DisclosedTarget[] {
  const dossier = withDossiers ? ctx.dossierIndicators.filter((i) => i.measure === 'on_time_rate' || i.measure === 'online_share') : [];
  const shown: DisclosedTarget[] = [];
  for (const ind of [...ctx.indicators, ...dossier]) {
    const target = targetFor(ind.id, ctx.targets, period.to);
    if (!target) continue;
    const confirmed = target.confirmed === 1;
    const earlier = ctx.targets
      .filter((tg) => tg.indicator_id === ind.id && tg.valid_from < target.valid_from)
      .sort((a, b) => b.valid_from.localeCompare(a.valid_from))[0];
    shown.push({
      code: ind.code,
      nameVi: ind.name_vi,
      nameEn: ind.name_en,
      year: target.valid_from.slice(0, 4),
      source: target.source,
      confirmed,
      copiedFrom: confirmed || !earlier ? null : earlier.valid_from.slice(0, 4),
    });
  }
  return shown;
}

/**
 * The page's periods on the local day of `now`: each as first published, or, the first time it is
 * asked for, computed as today and stored (whichever server stores it first wins, and every server
 * shows what was stored). Published month, then quarter, then year, so each starts from the one before.
 */
export async function disclosureReport(db: Kysely<Database>, now: Date, minN: number): Promise<DisclosedPeriod[]> {
  const today = localDay(now);
  const closed = closedPeriods(today);
  const ids = [...new Set(DISCLOSURE_PERIODS.flatMap((key) => withParts(closed[key])))];
  const stored = new Map([...(await readPublications(db, ids))].map(([id, p]) => [id, decodePublication(p)]));
  const decisions = new Decisions(db, today, minN, stored);
  const ctx = await loadReportContext(db);
  const periods: DisclosedPeriod[] = [];
  for (const key of DISCLOSURE_PERIODS) {
    const cal = closed[key];
    let publication = stored.get(cal.id);
    if (!publication) {
      const [c, hidden, own] = await Promise.all([decisions.figures(cal), decisions.decide(cal), decisions.section(cal)]);
      const p = cal.id;
      const groups = (table: (typeof TABLES)[number]) =>
        c.tables[table].map((g) => ({ key: g.key, judgement: judgeService(g.rows, c.ctx, c.judging), hidden: hidden.get(`${p}|${table}:${g.key}`) ?? null }));
      const payload: PublicationPayload = {
        period: {
          key,
          period: cal.period,
          provisional: c.judging.provisional,
          confidence: c.judging.confidence,
          indicators: c.indicators.map((result) => ({ result, hidden: hidden.get(`${p}|ind:${result.code}`) ?? null })),
          kinds: groups('kind'),
          fields: groups('field'),
        },
        cells: own.cells,
        relations: own.relations,
        decisions: [...hidden],
      };
      const kept = await publishOnce(db, {
        periodId: p,
        kind: key,
        from: cal.period.from,
        to: cal.period.to,
        format: PUBLICATION_FORMAT,
        payload: JSON.stringify(payload),
        publishedAt: now.toISOString(),
      });
      publication = decodePublication(kept);
      decisions.remember(p, publication);
    }
    const dossiers = await disclosedDossiers(db, ctx, cal.period);
    periods.push({ ...publication.period, publishedAt: publication.publishedAt, dossiers, targets: disclosedTargets(ctx, cal.period, dossiers !== null) });
  }
  return periods;
}
