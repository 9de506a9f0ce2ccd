/** The dashboard's view model: every string formatted, every chart as data for public/js/dashboard.js. */
import { recentQuarters } from '../../analytics/periods.ts';
import { type MeasureResult, NO_RESULT } from '../../analytics/proportion.ts';
import { MIN_STRATUM_ANSWERS } from '../../analytics/standardise.ts';
import type { QuestionMetaRow } from '../../db/queries/analytics.ts';
import type { Field } from '../../db/schema.ts';
import { canModerate, type Staff } from '../auth/scope.ts';
import { CHANNELS, type Filters } from '../reports/filters.ts';
import { type Lang, pick, type Translate } from '../i18n/index.ts';
import type { ReportContext } from '../reports/context.ts';
import type { DashboardReport } from '../reports/dashboard.ts';
import type { IndicatorResult } from '../reports/indicators.ts';
import { staffNav } from './nav.ts';
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
  returnTo: string;
  /** The query string of the current filters, kept by every download and the printable report. */
  query: string;
  /** Local day, for the list of recent quarters. */
  today: string;
}

function filterForm(input: DashboardInput) {
  const { filters, ctx, allowedUnits, lang, t } = input;
  const visible = (unitId: number) => allowedUnits === null || allowedUnits.includes(unitId);
  const fieldName = (f: Field) => pick(lang, f.name_vi, f.name_en);
  return {
    presets: [
      ...(['month', 'quarter', 'year', '12m'] as const).map((p) => ({ value: p, label: t(`dash.period.${p}`), selected: filters.preset === p })),
      // The last completed quarters, as provinces report them ("Quý 2/2025").
      ...recentQuarters(input.today, 5)
        .slice(1)
        .map((q) => ({ value: q, label: t('dash.period.named.quarter', { q: q.slice(6), year: q.slice(0, 4) }), selected: filters.preset === q })),
      { value: 'custom', label: t('dash.period.custom'), selected: filters.preset === 'custom' },
    ],
    from: filters.period.from,
    to: filters.period.to,
    units: ctx.units.filter((u) => visible(u.id)).map((u) => ({ value: u.code, label: u.name, selected: u.id === filters.unitId })),
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

  const ranking = report.byUnit.map((u, index) => ({
    rank: index + 1,
    name: u.unit.name,
    responses: formatCount(u.responses, lang),
    standardised: u.standardised.value === null ? '—' : `${formatPercent(u.standardised.value, lang)}%`,
    overall: measureCells(u.overall, lang),
    sipas: measureCells(u.sipas, lang),
    verdict: verdictText(u.verdict, t, minN),
    verdictClass: verdictClass(u.verdict),
    // The unit's own interval may say more than the table allows itself to claim: say so.
    ownVerdict: u.ownVerdict !== null && u.ownVerdict !== u.verdict ? t('dash.own.verdict', { verdict: verdictText(u.ownVerdict, t, minN) }) : '',
    target: u.target === null ? '' : t('dash.target', { target: formatPercent(u.target / 100, lang, 0) }),
  }));
  const judged = report.byUnit.filter((u) => u.ownVerdict !== null && u.ownVerdict !== 'insufficient').length;
  const rankingNotes = [
    t('dash.ranking.order', { min: MIN_STRATUM_ANSWERS }),
    t('dash.ranking.multiplicity', { n: formatCount(judged, lang), alpha: formatPercent(report.confidence.alpha, lang, report.provisional ? 2 : 1) }),
    ...(report.provisional ? [t('dash.provisional.table', { level: formatPercent(report.confidence.level, lang) })] : []),
  ];

  const unitChart = {
    tall: ranking.length > 8,
    chart: JSON.stringify({
      kind: 'bars',
      labels: report.byUnit.map((u) => u.unit.name),
      series: [
        { label: t('dash.standardised'), values: report.byUnit.map((u) => chartPercent(u.standardised.value)) },
        { label: t('dash.overall.raw'), values: report.byUnit.map((u) => chartPercent(u.overall.value)) },
      ],
      target: null,
      targetLabel: '',
    } satisfies ChartSpec),
  };

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

  const moderate = canModerate(input.staff);
  const comments = report.comments.map((c) => {
    const field = ctx.fieldById.get(c.fieldId);
    return {
      id: c.id,
      text: c.text,
      date: formatDay(c.day),
      place: `${c.unitName} · ${c.deskName}${field ? ` · ${pick(lang, field.name_vi, field.name_en)}` : ''}`,
      hidden: c.hidden,
    };
  });

  const withQuery = (path: string, extra = '') => {
    const q = [input.query, extra].filter(Boolean).join('&');
    return q ? `${path}?${q}` : path;
  };
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
    rankingNotes,
    unitChart,
    questionGroups,
    expectations: choiceQuestions.filter((c) => c.isExpectation),
    otherChoices: choiceQuestions.filter((c) => !c.isExpectation),
    comments,
    canModerate: moderate,
    csrfToken: input.csrfToken,
    returnTo: input.returnTo,
    nav: staffNav(input.staff, t, lang === 'en' ? '?lang=en' : '', input.csrfToken, 'dashboard'),
  };
}

export type DashboardView = ReturnType<typeof presentDashboard>;
