/** The dashboard's view model: every string formatted, every chart as data for public/js/dashboard.js. */
import { type MeasureResult, NO_RESULT } from '../../analytics/proportion.ts';
import type { QuestionMetaRow } from '../../db/queries/analytics.ts';
import type { Field } from '../../db/schema.ts';
import type { Staff } from '../auth/scope.ts';
import { CHANNELS, type FilterField, type Filters, type FormFilters } from '../figures/filters.ts';
import { type Lang, pick, type Translate } from '../i18n/index.ts';
import type { ReportContext } from '../figures/context.ts';
import type { DashboardReport } from '../figures/dashboard.ts';
import type { IndicatorResult } from '../figures/indicator-results.ts';
import { sectionOfKind } from '../figures/groups.ts';
import { presentComment } from './comment-list.ts';
import { periodPresets } from './period-presets.ts';
import { presentRanking } from './ranking.ts';
import { headedBy, presentServed, servedCells, servedLines } from './served.ts';
import { authorize } from '../auth/permissions.ts';
import type { WeightedIndicator } from '../figures/dossiers.ts';
import { presentUnitPicker } from './unit-picker.ts';
import { noOpinionWords, settleText, verdictClass, verdictSaying, verdictText } from './verdict.ts';
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



/**
 * Each questionnaire version by its title, as people know it; the version number only where two
 * versions share a title (never the internal code).
 */
function questionnaireLabels(ctx: ReportContext, lang: Lang, t: Translate): Map<number, string> {
  const titles = new Map<number, { title: string; version: number }>();
  for (const q of ctx.questions.values()) {
    titles.set(q.questionnaireId, { title: pick(lang, q.questionnaireTitleVi, q.questionnaireTitleEn), version: q.questionnaireVersion });
  }
  const uses = new Map<string, number>();
  for (const { title } of titles.values()) uses.set(title, (uses.get(title) ?? 0) + 1);
  return new Map(
    [...titles].map(([id, { title, version }]) => [id, (uses.get(title) ?? 0) > 1 ? t('dash.questionnaire.version', { title, version }) : title]),
  );
}

/** A rating question's short name ("Câu đánh giá chung" for the overall one), else its full text. */
function questionLabel(meta: QuestionMetaRow, lang: Lang, t: Translate): string {
  if (meta.role === 'overall') return t('dash.question.overall');
  return pick(lang, meta.shortVi ?? meta.textVi, meta.shortEn ?? meta.textEn);
}

/** Names of the questionnaires and their elements, as the cards say them. */
interface Labels {
  questionnaires: Map<number, string>;
  /** By `${questionnaireId}:${elementCode}`: the element's name in quotes ("“Tiếp cận dịch vụ”"). */
  elements: Map<string, string>;
}

function elementLabels(ctx: ReportContext, lang: Lang): Map<string, string> {
  const names = new Map<string, string>();
  for (const q of ctx.questions.values()) {
    if (q.element === null || q.elementNameVi === null) continue;
    names.set(`${q.questionnaireId}:${q.element}`, `“${pick(lang, q.elementNameVi, q.elementNameEn ?? '')}”`);
  }
  return names;
}

function missingElementsText(ind: IndicatorResult, labels: Labels, t: Translate): string {
  if (ind.missingElements.length === 0) return '';
  const list = ind.missingElements
    .map((m) => {
      const name = labels.questionnaires.get(m.questionnaireId);
      const elements = m.elements.map((code) => labels.elements.get(`${m.questionnaireId}:${code}`) ?? code);
      return `${elements.join(', ')}${name ? ` (${name})` : ''}`;
    })
    .join('; ');
  return t('dash.elements.missing', { list });
}


function card(answered: IndicatorResult, previous: IndicatorResult | undefined, labels: Labels, lang: Lang, t: Translate, minN: number, weighted?: WeightedIndicator) {
  // The figure weighted by dossiers heads the card when the counts cover enough (figures/dossiers.ts WEIGHTED_HEADS_AT).
  const ind = headedBy(answered, weighted);
  const heads = ind !== answered;
  const served = servedLines(answered, weighted, lang, t, minN);
  // The previous period is compared as answered: a weighted figure is compared with nothing.
  let change = heads ? '' : t('dash.change.none');
  if (!heads && ind.value !== null && previous?.value != null) {
    const delta = (ind.value - previous.value) * 100;
    const shown = formatPercent(Math.abs(delta) / 100, lang);
    // A change that rounds to nothing ("−0,0") is no change to the reader.
    change = shown === formatPercent(0, lang) ? t('dash.change.same') : t('dash.change', { sign: delta > 0 ? '+' : '−', delta: shown });
  }
  const provisional = ind.provisional && ind.verdict !== null && ind.verdict !== 'insufficient';
  const noOpinion = noOpinionWords(answered, lang, t);
  return {
    code: ind.code,
    name: pick(lang, ind.nameVi, ind.nameEn),
    value: ind.value === null ? t('dash.no.data') : `${formatPercent(ind.value, lang)}%`,
    heads,
    served,
    says: served.insufficient || verdictSaying(ind, lang, t, minN),
    ci: ind.ci ? t('dash.ci', { low: formatPercent(ind.ci.low, lang), high: formatPercent(ind.ci.high, lang) }) : '',
    n: t('dash.n', { n: formatCount(ind.n, lang) }),
    target: ind.target === null ? t('dash.no.target') : t('dash.target', { target: formatPercent(ind.target / 100, lang, 0) }),
    verdict: served.insufficient || verdictText(ind.verdict, t, minN),
    verdictClass: verdictClass(ind.verdict),
    provisional: provisional ? t('verdict.provisional') : '',
    provisionalCi:
      provisional && ind.verdictCi
        ? t('dash.ci.provisional', { level: formatPercent(ind.confidence.level, lang), low: formatPercent(ind.verdictCi.low, lang), high: formatPercent(ind.verdictCi.high, lang) })
        : '',
    settle: heads ? '' : settleText(ind, lang, t),
    elements: missingElementsText(ind, labels, t),
    noOpinion: noOpinion.line,
    noOpinionWarning: noOpinion.warning,
    change,
  };
}

/** A path with the current filters' query string (and any extra parameters). */
function withQueryOf(query: string, path: string, extra = ''): string {
  const q = [query, extra].filter(Boolean).join('&');
  return q ? `${path}?${q}` : path;
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
  /** What the unit picker's search box holds (presenters/unit-picker.ts). */
  unitSearch?: string;
  /** The query string of the current filters, kept by every download and the printable report. */
  query: string;
  /** Local day, for the list of recent quarters. */
  today: string;
  /** The unit the report is about (the one asked for, the desk's, else a manager's own); null for every unit. */
  scopeUnitId?: number | null;
}

/**
 * Which kinds of service the report's units give (groups.ts UNIT_SECTIONS: procedures at departments
 * and communes, health and education at hospitals and schools): a card of a kind the units do not
 * give is left out, unless responses came in for it anyway, so a one-stop centre never reads "not
 * enough responses" for health and education as if it were a shortfall.
 */
function servicesInScope(ctx: ReportContext, unitIds: readonly number[] | null): Set<string> {
  const units = unitIds === null ? ctx.units : ctx.units.filter((u) => unitIds.includes(u.id));
  return new Set(units.filter((u) => u.kind !== 'province').map((u) => sectionOfKind(u.kind).indicator));
}

/** Whether a satisfaction card applies to units giving these services. */
function appliesTo(indicator: IndicatorResult, ctx: ReportContext, services: Set<string>): boolean {
  if (indicator.n > 0 || services.size === 0) return true;
  const def = ctx.indicators.find((i) => i.code === indicator.code);
  const covers = def ? (JSON.parse(def.covers_json) as Record<string, unknown>) : {};
  return 'questionnaire_kinds' in covers ? services.has('health_education') : services.has('tthc');
}

/** What the filter form needs: the filters to show, and a message next to the field a refusal was about. */
interface FormInput {
  kept: FormFilters;
  error: { field: FilterField; text: string } | null;
  ctx: ReportContext;
  allowedUnits: number[] | null;
  lang: Lang;
  t: Translate;
  today: string;
  /** What the unit picker's search box holds (presenters/unit-picker.ts). */
  unitSearch: string;
}

/** A text field for a day: dd/mm/yyyy whatever the browser's language (a native date picker follows the browser). */
function dayField(name: 'from' | 'to', value: string, input: FormInput) {
  const { t } = input;
  return {
    name,
    id: `filter-${name}`,
    label: t(name === 'from' ? 'dash.from' : 'dash.to'),
    value,
    hint: t('dash.date.hint'),
    error: input.error?.field === name ? input.error.text : undefined,
    // dd/mm/yyyy (or '.'/'-' between, as number pads have no '/'), or ISO as in bookmarks and the app's links.
    pattern: '[0-9]{1,2}[\\/.\\-][0-9]{1,2}[\\/.\\-][0-9]{4}|[0-9]{4}-[0-9]{2}-[0-9]{2}',
    inputmode: 'numeric',
    autocomplete: 'off',
    maxlength: 10,
  };
}

function filterForm(input: FormInput) {
  const { ctx, allowedUnits, lang, t } = input;
  const filters = input.kept.filters;
  const errorOf = (field: FilterField) => (input.error?.field === field ? input.error.text : '');
  const visible = (unitId: number) => allowedUnits === null || allowedUnits.includes(unitId);
  const fieldName = (f: Field) => pick(lang, f.name_vi, f.name_en);
  return {
    presets: periodPresets(filters, input.today, t),
    from: dayField('from', input.kept.from, input),
    to: dayField('to', input.kept.to, input),
    shown: input.kept.shown || `${input.kept.from}_${input.kept.to}`,
    errors: { unit: errorOf('unit'), field: errorOf('field'), desk: errorOf('desk'), channel: errorOf('channel') },
    unitPicker: presentUnitPicker({ units: ctx.units, allowedUnits, selectedId: filters.unitId, search: input.unitSearch, t }),
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
  const questionnaires = questionnaireLabels(ctx, lang, t);
  const labels: Labels = { questionnaires, elements: elementLabels(ctx, lang) };
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
    rows: report.byField.map((f) => ({
      name: pick(lang, f.field.name_vi, f.field.name_en),
      responses: formatCount(f.responses, lang),
      ...measureCells(f.overall, lang),
      served: servedCells(report.dossiers.byField.get(f.field.id), lang),
    })),
    withCounts: report.dossiers.hasCounts,
  };

  const ranking = presentRanking(report, lang, t, minN);
  const served = presentServed(report, ctx, lang, t, { importHref: authorize(input.staff, 'administer') ? '/admin/dossiers' : null, minN });

  const scaleLabels = ['1', '2', '3', '4', '5'].map((v) => `${v} · ${t(`scale.${v}` as 'scale.1')}`);
  const questionGroups = report.questions.map((group) => ({
    title: group.questions[0] ? (questionnaires.get(group.questions[0].meta.questionnaireId) ?? '') : '',
    tall: group.questions.length > 8,
    chart: JSON.stringify({
      kind: 'stacked',
      labels: group.questions.map((q) => questionLabel(q.meta, lang, t)),
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
        label: questionLabel(q.meta, lang, t),
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
    title: pick(lang, e.meta.textVi, e.meta.textEn),
    respondents: `${questionnaires.get(e.meta.questionnaireId) ?? ''} · ${t('dash.respondents', { n: formatCount(e.respondents, lang) })}`,
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
    dossiers: withQuery('/export/dossiers.csv'),
    responsesVn: withQuery('/export/responses.csv', 'format=vn'),
    indicatorsVn: withQuery('/export/indicators.csv', 'group=field&format=vn'),
    // Workbooks (issue 21): open in Excel and LibreOffice without an import dialog.
    responsesXlsx: withQuery('/export/responses.xlsx'),
    indicatorsXlsx: withQuery('/export/indicators.xlsx', 'group=field'),
    dossiersXlsx: withQuery('/export/dossiers.xlsx'),
  };

  // The unit the figures are of, named at the top as the printed report does; a desk's own unit when one desk is asked for.
  const deskUnit = input.filters.deskId === null ? null : (ctx.desks.find((d) => d.id === input.filters.deskId)?.unitId ?? null);
  const scopeUnit = ctx.unitById.get(deskUnit ?? input.scopeUnitId ?? -1) ?? null;
  const scopeIds = scopeUnit ? [scopeUnit.id] : input.filters.unitId !== null ? [input.filters.unitId] : input.allowedUnits;
  const services = servicesInScope(ctx, scopeIds);
  return {
    heading: t('dash.title'),
    scopeName: scopeUnit ? scopeUnit.name : input.allowedUnits === null ? t('dash.scope.province') : '',
    downloads,
    summary: t('dash.summary', { from: formatDay(report.period.from), to: formatDay(report.period.to), n: formatCount(report.responses, lang) }),
    servedSummary: served.summary,
    previousSummary: t('dash.previous', { from: formatDay(report.previous.from), to: formatDay(report.previous.to) }),
    refused: false,
    minN,
    form: filterForm({
      kept: { filters: input.filters, from: formatDay(input.filters.period.from), to: formatDay(input.filters.period.to), shown: '' },
      error: null,
      ctx,
      allowedUnits: input.allowedUnits,
      lang,
      t,
      today: input.today,
      unitSearch: input.unitSearch ?? '',
    }),
    provisionalNote: report.provisional ? t('dash.provisional', { level: formatPercent(report.confidence.level, lang) }) : '',
    cards: report.indicators
      .filter((ind) => appliesTo(ind, ctx, services))
      .map((ind) => card(ind, report.previousIndicators.find((p) => p.code === ind.code), labels, lang, t, minN, report.dossiers.weighted.get(ind.code))),
    served,
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
  };
}

export type DashboardView = ReturnType<typeof presentDashboard>;

export interface RefusedDashboardInput {
  kept: FormFilters;
  error: { field: FilterField; text: string };
  ctx: ReportContext;
  staff: Staff;
  allowedUnits: number[] | null;
  lang: Lang;
  t: Translate;
  today: string;
  unitSearch: string;
}

/** The dashboard after bad filters: the form as it was sent, the message next to the field, no figures. */
export function presentRefusedDashboard(input: RefusedDashboardInput) {
  const { t } = input;
  return {
    refused: true,
    heading: t('dash.title'),
    summary: t('dash.refused'),
    form: filterForm(input),
  };
}
