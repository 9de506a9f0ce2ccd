/** The dashboard's view model: every string formatted, every chart as data for public/js/dashboard.js. */
import { recentQuarters } from '../../analytics/periods.ts';
import { type MeasureResult, NO_RESULT } from '../../analytics/proportion.ts';
import type { QuestionMetaRow } from '../../db/queries/analytics.ts';
import type { Field } from '../../db/schema.ts';
import type { Staff } from '../auth/scope.ts';
import { CHANNELS, type Filters } from '../reports/filters.ts';
import { type Lang, pick, type Translate } from '../i18n/index.ts';
import type { ReportContext } from '../reports/context.ts';
import type { DashboardReport } from '../reports/dashboard.ts';
import type { IndicatorResult } from '../reports/indicators.ts';
import { presentComment } from './comments.ts';
import { staffNav } from './nav.ts';
import { presentRanking } from './ranking.ts';
import { presentUnitPicker } from './unit-picker.ts';
import { verdictClass, verdictText } from './verdict.ts';
import { chartPercent, formatCount, formatDay, formatInterval, formatMonth, formatPercent } from './format.ts';

export interface ChartSpec {
  kind: 'trend' | 'bars' | 'stacked';
  labels: string[];
  series: { label: string; values: (number | null)[] }[];
  target: number | null;
  targetLabel: string;
}

function measureCells(m: MeasureResult, lang: Lang) {
  return { value: m.value === null ? '—' : `${formatPercent(m.value, lang)}%`, ci: formatInterval(m.ci, lang), n: formatCount(m.n, lang) };
}

/** "If the rate stays where it is, about N more responses would settle it" (analytics/settle.ts). */
function settleText(ind: IndicatorResult, lang: Lang, t: Translate): string {
  if (ind.verdict !== 'inconclusive') return '';
  if (ind.settle === null) return t('dash.settle.never');
  return t(ind.settle.towards === 'met' ? 'dash.settle.met' : 'dash.settle.not_met', { n: formatCount(ind.settle.more, lang) });
}

function missingElementsText(ind: IndicatorResult, ctx: ReportContext, t: Translate): string {
  if (ind.missingElements.length === 0) return '';
  const list = ind.missingElements
    .map((m) => {
      const name = ctx.questionnaireName.get(m.questionnaireId);
      return `${m.elements.join(', ')}${name ? ` (${name.code} v${name.version})` : ''}`;
    })
    .join('; ');
  return t('dash.elements.missing', { list });
}

function card(ind: IndicatorResult, previous: IndicatorResult | undefined, ctx: ReportContext, lang: Lang, t: Translate, minN: number) {
  let change = t('dash.change.none');
  if (ind.value !== null && previous?.value != null) {
    const delta = (ind.value - previous.value) * 100;
    change = t('dash.change', { sign: delta > 0 ? '+' : delta < 0 ? '−' : '±', delta: formatPercent(Math.abs(delta) / 100, lang) });
  }
  const provisional = ind.provisional && ind.verdict !== null && ind.verdict !== 'insufficient';
  return {
    code: ind.code,
    name: pick(lang, ind.nameVi, ind.nameEn),
    value: ind.value === null ? t('dash.no.data') : `${formatPercent(ind.value, lang)}%`,
    ci: ind.ci ? t('dash.ci', { low: formatPercent(ind.ci.low, lang), high: formatPercent(ind.ci.high, lang) }) : '',
    n: t('dash.n', { n: formatCount(ind.n, lang) }),
    target: ind.target === null ? t('dash.no.target') : t('dash.target', { target: formatPercent(ind.target / 100, lang, 0) }),
    verdict: verdictText(ind.verdict, t, minN),
    verdictClass: verdictClass(ind.verdict),
    provisional: provisional ? t('verdict.provisional') : '',
    provisionalCi:
      provisional && ind.verdictCi
        ? t('dash.ci.provisional', { level: formatPercent(ind.confidence.level, lang), low: formatPercent(ind.verdictCi.low, lang), high: formatPercent(ind.verdictCi.high, lang) })
        : '',
    settle: settleText(ind, lang, t),
    elements: missingElementsText(ind, ctx, t),
    change,
  };
}

/** A path with the current filters' query string (and any extra parameters). */
function withQueryOf(query: string, path: string, extra = ''): string {
  const q = [query, extra].filter(Boolean).join('&');
  return q ? `${path}?${q}` : path;
}

function questionnaireTitle(meta: QuestionMetaRow | undefined, lang: Lang): string {
  if (!meta) return '';
  return `${pick(lang, meta.questionnaireTitleVi, meta.questionnaireTitleEn)} (${meta.questionnaireCode}, v${meta.questionnaireVersion})`;
}

export interface DashboardInput {
  report: DashboardReport;
  filters: Filters;
  ctx: ReportContext;
  staff: Staff;
  allowedUnits: number[] | null;
  lang: Lang;
  t: Translate;
  minN: number;
  csrfToken: string;
  /** What the unit picker's search box holds (presenters/unit-picker.ts). */
  unitSearch?: string;
  /** The query string of the current filters, kept by every download and the printable report. */
  query: string;
  /** Local day, for the list of recent quarters. */
  today: string;
}

/** The period select's options: presets, the last completed quarters, and a range of one's own. */
export function periodPresets(filters: Filters, today: string, t: Translate) {
  return [
    ...(['month', 'quarter', 'year', '12m'] as const).map((p) => ({ value: p, label: t(`dash.period.${p}`), selected: filters.preset === p })),
    // The last completed quarters, as provinces report them ("Quý 2/2025").
    ...recentQuarters(today, 5)
      .slice(1)
      .map((q) => ({ value: q, label: t('dash.period.named.quarter', { q: q.slice(6), year: q.slice(0, 4) }), selected: filters.preset === q })),
    { value: 'custom', label: t('dash.period.custom'), selected: filters.preset === 'custom' },
  ];
}

function filterForm(input: DashboardInput) {
  const { filters, ctx, allowedUnits, lang, t } = input;
  const visible = (unitId: number) => allowedUnits === null || allowedUnits.includes(unitId);
  const fieldName = (f: Field) => pick(lang, f.name_vi, f.name_en);
  return {
    presets: periodPresets(filters, input.today, t),
    from: filters.period.from,
    to: filters.period.to,
    unitPicker: presentUnitPicker({ units: ctx.units, allowedUnits, selectedId: filters.unitId, search: input.unitSearch ?? '', t }),
    fields: ctx.fields.map((f) => ({ value: f.code, label: fieldName(f), selected: f.id === filters.fieldId })),
    desks: ctx.desks
      .filter((d) => visible(d.unitId))
      .map((d) => ({ value: String(d.id), label: `${d.unitName} · ${d.name}`, selected: d.id === filters.deskId })),
    channels: CHANNELS.map((c) => ({ value: c, label: t(`dash.channel.${c}`), selected: c === filters.channel })),
    includeSuspect: filters.includeSuspect,
  };
}

export function presentDashboard(input: DashboardInput) {
  const { report, ctx, lang, t, minN } = input;
  const indicatorName = (ind: IndicatorResult) => pick(lang, ind.nameVi, ind.nameEn);

  const trends = report.indicators.map((ind, i) => {
    const points = report.trend.map((m) => ({ month: m.month, result: m.indicators[i] }));
    const chart: ChartSpec = {
      kind: 'trend',
      labels: points.map((p) => formatMonth(p.month)),
      series: [{ label: indicatorName(ind), values: points.map((p) => chartPercent(p.result?.value ?? null)) }],
      target: ind.target,
      targetLabel: t('dash.target.line'),
    };
    return {
      id: `trend-${ind.code}`,
      name: indicatorName(ind),
      summary: t('dash.chart.summary', { name: indicatorName(ind) }),
      chart: JSON.stringify(chart),
      rows: points.map((p) => ({
        month: formatMonth(p.month),
        ...measureCells(p.result ?? NO_RESULT, lang),
      })),
    };
  });

  const byField = {
    tall: report.byField.length > 8,
    chart: JSON.stringify({
      kind: 'bars',
      labels: report.byField.map((f) => pick(lang, f.field.name_vi, f.field.name_en)),
      series: [{ label: t('dash.overall'), values: report.byField.map((f) => chartPercent(f.overall.value)) }],
      // Fields answer to different targets (87% for procedures, 85% for health and education): none drawn here.
      target: null,
      targetLabel: '',
    } satisfies ChartSpec),
    rows: report.byField.map((f) => ({ name: pick(lang, f.field.name_vi, f.field.name_en), responses: formatCount(f.responses, lang), ...measureCells(f.overall, lang) })),
  };

  const ranking = presentRanking(report, lang, t, minN);

  const scaleLabels = ['1', '2', '3', '4', '5'].map((v) => `${v} · ${t(`scale.${v}` as 'scale.1')}`);
  const questionGroups = report.questions.map((group) => ({
    title: questionnaireTitle(group.questions[0]?.meta, lang),
    tall: group.questions.length > 8,
    chart: JSON.stringify({
      kind: 'stacked',
      labels: group.questions.map((q) => q.meta.key),
      series: (['n1', 'n2', 'n3', 'n4', 'n5'] as const).map((k, i) => ({
        label: scaleLabels[i] ?? k,
        values: group.questions.map((q) => {
          const n = q.counts.n1 + q.counts.n2 + q.counts.n3 + q.counts.n4 + q.counts.n5;
          return n === 0 ? null : chartPercent(q.counts[k] / n);
        }),
      })),
      target: null,
      targetLabel: '',
    } satisfies ChartSpec),
    rows: group.questions.map((q) => {
      const n = q.rate.n;
      const share = (k: 'n1' | 'n2' | 'n3' | 'n4' | 'n5') => (n === 0 ? '—' : `${formatPercent(q.counts[k] / n, lang)}%`);
      return {
        key: q.meta.key,
        text: pick(lang, q.meta.textVi, q.meta.textEn),
        element: q.meta.element ?? '',
        shares: [share('n1'), share('n2'), share('n3'), share('n4'), share('n5')],
        noOpinion: formatCount(q.counts.n0, lang),
        n: formatCount(n, lang),
        rate: q.rate.value === null ? '—' : `${formatPercent(q.rate.value, lang)}%`,
        ci: formatInterval(q.rate.ci, lang),
      };
    }),
  }));

  const choiceQuestions = report.expectations.map((e) => ({
    isExpectation: e.meta.role === 'expectation',
    tall: e.options.length > 8,
    title: `${pick(lang, e.meta.textVi, e.meta.textEn)} (${e.meta.questionnaireCode})`,
    respondents: t('dash.respondents', { n: formatCount(e.respondents, lang) }),
    chart: JSON.stringify({
      kind: 'bars',
      labels: e.options.map((o) => pick(lang, o.vi, o.en)),
      series: [{ label: t('dash.share'), values: e.options.map((o) => chartPercent(o.share)) }],
      target: null,
      targetLabel: '',
    } satisfies ChartSpec),
    rows: e.options.map((o) => ({ label: pick(lang, o.vi, o.en), count: formatCount(o.count, lang), share: o.share === null ? '—' : `${formatPercent(o.share, lang)}%` })),
  }));

  const comments = {
    count: report.comments.total === 0 ? t('dash.comments.none') : t('comments.count', { n: formatCount(report.comments.total, lang), shown: formatCount(report.comments.rows.length, lang) }),
    rows: report.comments.rows.map((c) => presentComment(c, ctx, lang, t)),
    all: report.comments.total === 0 ? null : { href: withQueryOf(input.query, '/dashboard/comments'), label: t('comments.all', { n: formatCount(report.comments.total, lang) }) },
  };

  const withQuery = (path: string, extra = '') => withQueryOf(input.query, path, extra);
  const downloads = {
    responses: withQuery('/export/responses.csv'),
    indicators: withQuery('/export/indicators.csv', 'group=field'),
    report: withQuery('/report'),
    byMonth: withQuery('/export/indicators.csv', 'group=month'),
    byField: withQuery('/export/indicators.csv', 'group=field'),
    byUnit: withQuery('/export/indicators.csv', 'group=unit'),
    questions: withQuery('/export/questions.csv'),
    responsesVn: withQuery('/export/responses.csv', 'format=vn'),
    indicatorsVn: withQuery('/export/indicators.csv', 'group=field&format=vn'),
  };

  return {
    heading: t('dash.title'),
    downloads,
    summary: t('dash.summary', { from: formatDay(report.period.from), to: formatDay(report.period.to), n: formatCount(report.responses, lang) }),
    previousSummary: t('dash.previous', { from: formatDay(report.previous.from), to: formatDay(report.previous.to) }),
    form: filterForm(input),
    provisionalNote: report.provisional ? t('dash.provisional', { level: formatPercent(report.confidence.level, lang) }) : '',
    cards: report.indicators.map((ind) => card(ind, report.previousIndicators.find((p) => p.code === ind.code), ctx, lang, t, minN)),
    comprehensive: {
      ...measureCells(report.comprehensive, lang),
      noOpinion:
        report.comprehensiveNoOpinion === null ? '' : t('dash.comprehensive.no.opinion', { share: formatPercent(report.comprehensiveNoOpinion, lang) }),
    },
    trends,
    byField,
    ranking,
    questionGroups,
    expectations: choiceQuestions.filter((c) => c.isExpectation),
    otherChoices: choiceQuestions.filter((c) => !c.isExpectation),
    comments,
    nav: staffNav(input.staff, t, lang === 'en' ? '?lang=en' : '', input.csrfToken, 'dashboard'),
  };
}

export type DashboardView = ReturnType<typeof presentDashboard>;
