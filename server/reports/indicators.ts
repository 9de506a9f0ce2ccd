/**
 * Indicators of plan 2228/QĐ-UBND from rollup rows: restricts the rows to each indicator's scope
 * (data in the indicators table) and hands them to the pure measures of analytics/.
 */
import { computeMeasure, type Measure, type MeasureResult, overallRate, type QuestionnaireMoments, type QuestionTotal } from '../../analytics/indicators.ts';
import type { Interval } from '../../analytics/proportion.ts';
import { type Verdict, verdict } from '../../analytics/verdict.ts';
import type { MomentRow, QuestionTotalRow } from '../../db/queries/analytics.ts';
import type { Indicator, Target } from '../../db/schema.ts';
import type { ReportContext } from './context.ts';

export interface IndicatorResult {
  code: string;
  nameVi: string;
  nameEn: string;
  measure: Measure;
  /** Percent 0..100, the value must be strictly above it; null when no target covers the period. */
  target: number | null;
  targetSource: string | null;
  value: number | null;
  n: number;
  ci: Interval | null;
  verdict: Verdict | null;
}

type Scope = { field_groups: string[] } | { fields: string[] } | { questionnaire_kinds: string[] };

/** Whether a rollup row (its field and questionnaire) counts towards the indicator. */
export function scopePredicate(indicator: Indicator, ctx: ReportContext): (fieldId: number, questionnaireId: number) => boolean {
  const scope = JSON.parse(indicator.scope_json) as Scope;
  if ('field_groups' in scope) {
    return (fieldId) => scope.field_groups.includes(ctx.fieldById.get(fieldId)?.field_group ?? '');
  }
  if ('fields' in scope) return (fieldId) => scope.fields.includes(ctx.fieldById.get(fieldId)?.code ?? '');
  return (_fieldId, questionnaireId) => scope.questionnaire_kinds.includes(ctx.questionnaireKind.get(questionnaireId) ?? '');
}

/** The target valid on the last day of the period, else the latest one that started before it. */
export function targetFor(indicatorId: number, targets: Target[], periodEnd: string): Target | null {
  const own = targets.filter((t) => t.indicator_id === indicatorId && t.valid_from <= periodEnd);
  return own.find((t) => t.valid_to >= periodEnd) ?? own.sort((a, b) => b.valid_from.localeCompare(a.valid_from))[0] ?? null;
}

export function toQuestionTotals(rows: QuestionTotalRow[], ctx: ReportContext): QuestionTotal[] {
  const totals: QuestionTotal[] = [];
  for (const r of rows) {
    const q = ctx.questions.get(r.questionId);
    if (!q || q.type !== 'rating5') continue;
    totals.push({ questionId: q.id, questionnaireId: q.questionnaireId, role: q.role, element: q.element, counts: r });
  }
  return totals;
}

export function toMoments(rows: MomentRow[], ctx: ReportContext): QuestionnaireMoments[] {
  const byQuestionnaire = new Map<number, QuestionnaireMoments>();
  for (const r of rows) {
    const m = byQuestionnaire.get(r.questionnaireId) ?? {
      questionnaireId: r.questionnaireId,
      respondents: 0,
      criteria: ctx.criteriaCount.get(r.questionnaireId) ?? 1,
      scored: 0,
      scoreSum: 0,
      scoreSq: 0,
      allSatisfied: 0,
      ratio: { respondents: 0, x: 0, y: 0, xx: 0, yy: 0, xy: 0 },
    };
    m.respondents += r.responses;
    m.scored += r.scored;
    m.scoreSum += r.scoreSum;
    m.scoreSq += r.scoreSq;
    m.allSatisfied += r.allSatisfied;
    m.ratio.respondents += r.scored;
    m.ratio.x += r.itemX;
    m.ratio.y += r.itemY;
    m.ratio.xx += r.itemXX;
    m.ratio.yy += r.itemYY;
    m.ratio.xy += r.itemXY;
    byQuestionnaire.set(r.questionnaireId, m);
  }
  return [...byQuestionnaire.values()];
}

function questionnaireOf(row: QuestionTotalRow, ctx: ReportContext): number {
  return ctx.questions.get(row.questionId)?.questionnaireId ?? 0;
}

export interface RowSet {
  questions: QuestionTotalRow[];
  moments: MomentRow[];
}

export function measureFor(indicator: Indicator, rows: RowSet, ctx: ReportContext): MeasureResult {
  const inScope = scopePredicate(indicator, ctx);
  const questions = rows.questions.filter((r) => inScope(r.fieldId, questionnaireOf(r, ctx)));
  const moments = rows.moments.filter((r) => inScope(r.fieldId, r.questionnaireId));
  return computeMeasure(indicator.measure, toQuestionTotals(questions, ctx), toMoments(moments, ctx));
}

export function computeIndicators(rows: RowSet, ctx: ReportContext, periodEnd: string, minN: number): IndicatorResult[] {
  return ctx.indicators.map((indicator) => {
    const result = measureFor(indicator, rows, ctx);
    const target = targetFor(indicator.id, ctx.targets, periodEnd);
    return {
      code: indicator.code,
      nameVi: indicator.name_vi,
      nameEn: indicator.name_en,
      measure: indicator.measure,
      target: target?.threshold ?? null,
      targetSource: target?.source ?? null,
      value: result.value,
      n: result.n,
      ci: result.ci,
      verdict: target ? verdict(result.value, result.n, result.ci, target.threshold / 100, minN) : null,
    };
  });
}

/** Overall satisfaction (share 4-5 on the overall question) of any slice of rows. */
export function overallOf(rows: QuestionTotalRow[], ctx: ReportContext): MeasureResult {
  return overallRate(toQuestionTotals(rows, ctx));
}

/** Splits rows by their group key (month or unit). */
export function byGroup(rows: RowSet): Map<string, RowSet> {
  const groups = new Map<string, RowSet>();
  const get = (key: string) => {
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { questions: [], moments: [] }));
    return g;
  };
  for (const r of rows.questions) get(r.group).questions.push(r);
  for (const r of rows.moments) get(r.group).moments.push(r);
  return groups;
}
