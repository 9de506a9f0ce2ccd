/**
 * Results per group (field, unit, kind of unit, desk, month, quarter) from one grouped read of the
 * rollups. The indicators export, the dashboard's field and unit tables and the public page all
 * judge a group here, so the same period gives the same numbers wherever it is shown.
 */
import type { Kysely } from 'kysely';
import type { MeasureResult } from '../../analytics/proportion.ts';
import { quarterOf } from '../../analytics/time.ts';
import { judge, type Verdict } from '../../analytics/verdict.ts';
import { type Grouping, momentTotals, questionTotals, type RollupFilter } from '../../db/queries/analytics.ts';
import type { Database, Indicator, Target, UnitKind } from '../../db/schema.ts';
import type { ReportContext } from './context.ts';
import { type Judging, overallOf, type RowSet, targetFor } from './indicator-results.ts';

export type GroupBy = 'field' | 'unit' | 'unit_kind' | 'desk' | 'month' | 'quarter';

/** The groupings the indicators export offers (?group=). */
export const EXPORT_GROUPS = ['field', 'unit', 'desk', 'month', 'quarter'] as const satisfies readonly GroupBy[];
export type ExportGroup = (typeof EXPORT_GROUPS)[number];

/** Kinds of unit in the order the public page lists them: the one-stop centres first. */
export const UNIT_KINDS: readonly UnitKind[] = ['province_center', 'department', 'ward', 'commune', 'province', 'hospital', 'school'];

/**
 * The groups units are compared within, like with like: the ranking's sections and the unit picker's
 * option groups. Each is judged against the target of the indicator for its kind of service: the
 * procedures' target for provincial bodies and communes, the public health and education target for
 * hospitals and schools (plan 2228/QĐ-UBND, section I.4).
 */
export const UNIT_SECTIONS = [
  { key: 'department', kinds: ['province', 'province_center', 'department'], indicator: 'tthc' },
  { key: 'commune', kinds: ['ward', 'commune'], indicator: 'tthc' },
  { key: 'hospital', kinds: ['hospital'], indicator: 'health_education' },
  { key: 'school', kinds: ['school'], indicator: 'health_education' },
] as const satisfies readonly { key: string; kinds: readonly UnitKind[]; indicator: string }[];

export type UnitSectionKey = (typeof UNIT_SECTIONS)[number]['key'];
export type UnitSectionDef = (typeof UNIT_SECTIONS)[number];

export function sectionOfKind(kind: UnitKind): UnitSectionDef {
  return UNIT_SECTIONS.find((s) => (s.kinds as readonly UnitKind[]).includes(kind)) ?? UNIT_SECTIONS[0];
}

/** The target a section's units are judged against, in force at the period's end. */
export function sectionTarget(section: UnitSectionDef, ctx: ReportContext, periodEnd: string): { indicator: Indicator; target: Target | null } | null {
  const indicator = ctx.indicators.find((i) => i.code === section.indicator);
  return indicator ? { indicator, target: targetFor(indicator.id, ctx.targets, periodEnd) } : null;
}

export interface Group {
  /** A field, unit or desk id, a kind of unit, 'YYYY-MM' or 'YYYY-Qn'. */
  key: string;
  rows: RowSet;
  responses: number;
}

/** The rollup rows of a filter, grouped in SQL (the whole period when 'none'). */
export async function readRows(db: Kysely<Database>, filter: RollupFilter, grouping: Grouping): Promise<RowSet> {
  const [questions, moments] = await Promise.all([questionTotals(db, filter, grouping), momentTotals(db, filter, grouping)]);
  return { questions, moments };
}

/** How the rollups are grouped in SQL for each grouping (every row carries its field already). */
const SQL_GROUPING: Record<GroupBy, Grouping> = {
  field: 'none',
  unit: 'unit',
  unit_kind: 'unit',
  desk: 'desk',
  month: 'month',
  quarter: 'month',
};

function inOrder(list: readonly (string | number)[]): (a: string, b: string) => number {
  const index = new Map(list.map((v, i) => [String(v), i]));
  return (a, b) => (index.get(a) ?? Infinity) - (index.get(b) ?? Infinity) || a.localeCompare(b);
}

const chronological = (a: string, b: string) => a.localeCompare(b);

/** Rows read with the grouping `by` needs (or a finer one), split into its groups; empty groups left out. */
export function regroup(rows: RowSet, by: GroupBy, ctx: ReportContext): Group[] {
  const [keyOf, order] = ((): [(row: { group: string; fieldId: number }) => string, (a: string, b: string) => number] => {
    switch (by) {
      case 'field':
        return [(r) => String(r.fieldId), inOrder(ctx.fields.map((f) => f.id))];
      case 'unit':
        return [(r) => r.group, inOrder(ctx.units.map((u) => u.id))];
      case 'desk':
        return [(r) => r.group, inOrder(ctx.desks.map((d) => d.id))];
      case 'unit_kind':
        return [(r) => ctx.unitById.get(Number(r.group))?.kind ?? '', inOrder(UNIT_KINDS)];
      case 'month':
        return [(r) => r.group, chronological];
      case 'quarter':
        return [(r) => quarterOf(`${r.group}-01`), chronological];
    }
  })();
  const groups = new Map<string, Group>();
  const get = (key: string) => {
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { key, rows: { questions: [], moments: [] }, responses: 0 }));
    return g;
  };
  for (const r of rows.questions) get(keyOf(r)).rows.questions.push(r);
  for (const r of rows.moments) {
    const g = get(keyOf(r));
    g.rows.moments.push(r);
    g.responses += r.responses;
  }
  return [...groups.values()].filter((g) => g.responses > 0).sort((a, b) => order(a.key, b.key));
}

/** The groups of a filter with responses in them, each with its own rows. */
export async function groupedRows(db: Kysely<Database>, ctx: ReportContext, filter: RollupFilter, by: GroupBy): Promise<Group[]> {
  return regroup(await readRows(db, filter, SQL_GROUPING[by]), by, ctx);
}

export interface ServiceJudgement {
  responses: number;
  /** Share answering the overall question 4-5. */
  overall: MeasureResult;
  verdict: Verdict | null;
  /** Percent: the target the group's overall satisfaction is judged against. */
  target: number | null;
}

/**
 * The target a group's overall satisfaction is judged against, the one rule for the kind of
 * service: the procedures' target (87% in 2025) unless every response came from a hospital or
 * school questionnaire, then the health and education target (85%); both in force at the period's end.
 */
export function serviceTarget(rows: RowSet, ctx: ReportContext, periodEnd: string): Target | null {
  const isService =
    rows.moments.length > 0 && rows.moments.every((m) => ['health', 'education'].includes(ctx.questionnaireKind.get(m.questionnaireId) ?? ''));
  const indicator = ctx.indicators.find((i) => i.code === (isService ? 'health_education' : 'tthc'));
  return indicator ? targetFor(indicator.id, ctx.targets, periodEnd) : null;
}

/**
 * A group judged on its own on its overall satisfaction against the target of its kind of service,
 * at the report's level (provisional while the period runs). The dashboard's ranking of units
 * adjusts these verdicts for the whole table instead (analytics/multiplicity.ts).
 */
export function judgeService(rows: RowSet, ctx: ReportContext, judging: Judging): ServiceJudgement {
  const target = serviceTarget(rows, ctx, judging.periodEnd);
  const overall = overallOf(rows.questions, ctx);
  return {
    responses: rows.moments.reduce((a, m) => a + m.responses, 0),
    overall,
    verdict: target ? judge(overall, target.threshold / 100, judging.confidence, judging.minN) : null,
    target: target?.threshold ?? null,
  };
}
