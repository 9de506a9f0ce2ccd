/**
 * The printable report's view model: the dashboard's numbers for a meeting on paper. The same
 * tables as the dashboard (its presenter), the indicators in sentences, and the trend and field
 * charts as SVG geometry (svg-chart.ts) instead of canvases that need JavaScript.
 */
import { quarterOf } from '../../analytics/time.ts';
import type { Filters } from '../figures/filters.ts';
import { pick } from '../i18n/index.ts';
import type { IndicatorResult } from '../figures/indicator-results.ts';
import { type DashboardInput, presentDashboard } from './dashboard.ts';
import { chartPercent, formatCount, formatDay, formatMonth, formatPercent } from './format.ts';
import { barChart, lineChart } from './svg-chart.ts';
import { headedBy } from './served.ts';
import { verdictClass, verdictText } from './verdict.ts';

export interface ReportInput extends Omit<DashboardInput, 'returnTo'> {
  /** The unit the report is about (the one asked for, else the user's own); null for every unit. */
  scopeUnitId: number | null;
}

function periodName(filters: Filters, input: ReportInput): string | null {
  const { t } = input;
  const { from } = filters.period;
  const quarter = /^\d{4}-Q[1-4]$/.test(filters.preset) ? filters.preset : filters.preset === 'quarter' ? quarterOf(from) : null;
  if (quarter) return t('dash.period.named.quarter', { q: quarter.slice(6), year: quarter.slice(0, 4) });
  if (filters.preset === 'year') return t('report.period.year', { year: from.slice(0, 4) });
  if (filters.preset === 'month') return t('reports.month', { month: formatMonth(from.slice(0, 7)) });
  return null;
}

function filterWords(input: ReportInput): { label: string; value: string }[] {
  const { filters, ctx, lang, t } = input;
  const unit = input.scopeUnitId === null ? undefined : ctx.unitById.get(input.scopeUnitId);
  const field = filters.fieldId === null ? undefined : ctx.fieldById.get(filters.fieldId);
  const desk = filters.deskId === null ? undefined : ctx.desks.find((d) => d.id === filters.deskId);
  return [
    { label: t('dash.unit'), value: unit ? unit.name : t('report.all.province') },
    { label: t('dash.field'), value: field ? pick(lang, field.name_vi, field.name_en) : t('dash.all') },
    { label: t('dash.desk'), value: desk ? `${desk.unitName} · ${desk.name}` : t('dash.all') },
    { label: t('dash.channel'), value: filters.channel ? t(`dash.channel.${filters.channel}`) : t('dash.all') },
    { label: t('report.suspect'), value: filters.includeSuspect ? t('report.suspect.included') : t('report.suspect.excluded') },
  ];
}

/** An indicator in a sentence an official can read out at a meeting. */
function sentence(ind: IndicatorResult, input: ReportInput): { text: string; target: string; verdict: string } {
  const { lang, t, minN } = input;
  const text =
    ind.value === null
      ? t('report.card.none')
      : t('report.card.value', {
          value: formatPercent(ind.value, lang),
          n: formatCount(ind.n, lang),
          low: formatPercent(ind.ci?.low ?? null, lang),
          high: formatPercent(ind.ci?.high ?? null, lang),
        });
  const target = ind.target === null ? t('dash.no.target') : t('dash.target', { target: formatPercent(ind.target / 100, lang, 0) });
  return { text, target, verdict: verdictText(ind.verdict, t, minN) };
}

export function presentReport(input: ReportInput) {
  const { report, lang, t } = input;
  // The dashboard's own tables: the same numbers, worded the same way.
  const dashboard = presentDashboard({ ...input, unitSearch: '' });
  const percent = (v: number) => `${formatPercent(v / 100, lang)}%`;
  const name = periodName(input.filters, input);
  const dates = t('report.dates', { from: formatDay(report.period.from), to: formatDay(report.period.to) });

  return {
    title: t('report.title'),
    province: t('report.province'),
    system: t('app.name'),
    period: name ? `${name} (${dates})` : dates,
    filters: filterWords(input),
    printed: t('report.printed', { day: formatDay(input.today) }),
    responses: t('report.responses', { n: formatCount(report.responses, lang) }),
    previous: dashboard.previousSummary,
    provisionalNote: dashboard.provisionalNote,
    cards: report.indicators.map((answered, i) => {
      const card = dashboard.cards[i];
      // The figure that heads the dashboard's card heads the report's (weighted by dossiers when the counts cover enough).
      const ind = headedBy(answered, report.dossiers.weighted.get(answered.code));
      return {
        ...sentence(ind, input),
        name: pick(lang, ind.nameVi, ind.nameEn),
        value: card?.value ?? '',
        verdict: card?.verdict ?? '',
        served: card ? [card.served.other, card.served.uncovered, card.served.rate].filter(Boolean) : [],
        verdictClass: verdictClass(ind.verdict),
        provisional: card?.provisional ?? '',
        provisionalCi: card?.provisionalCi ?? '',
        settle: card?.settle ?? '',
        elements: card?.elements ?? '',
        noOpinion: card?.noOpinion ?? '',
        noOpinionWarning: card?.noOpinionWarning ?? '',
        change: card?.change ?? '',
      };
    }),
    comprehensive: dashboard.comprehensive,
    servedSummary: dashboard.servedSummary,
    served: {
      ...dashboard.served,
      table: {
        // The section's heading names the table (report.ejs): no second title inside it.
        caption: '',
        label: t('served.title'),
        head: [t('report.served.indicator'), t('dash.value'), t('report.served.basis'), t('report.served.target'), t('dash.verdict')],
        rows: dashboard.served.cards.map((c) => [c.name, c.value, c.basis, c.target, c.provisional ? `${c.verdict} (${c.provisional})` : c.verdict]),
      },
    },
    trends: report.indicators.map((ind, i) => ({
      id: `trend-${ind.code}`,
      name: pick(lang, ind.nameVi, ind.nameEn),
      chart: lineChart({
        labels: report.trend.map((m) => formatMonth(m.month)),
        values: report.trend.map((m) => chartPercent(m.indicators[i]?.value ?? null)),
        target: ind.target,
        targetLabel: t('dash.target.line'),
        format: percent,
      }),
    })),
    trendTable: {
      caption: t('report.trend.table'),
      head: [t('dash.month'), ...report.indicators.map((ind) => pick(lang, ind.nameVi, ind.nameEn))],
      rows: report.trend.map((m) => [
        formatMonth(m.month),
        ...m.indicators.map((ind) => (ind.value === null ? '—' : `${formatPercent(ind.value, lang)}% (${formatCount(ind.n, lang)})`)),
      ]),
    },
    fieldChart: barChart({
      labels: report.byField.map((f) => pick(lang, f.field.name_vi, f.field.name_en)),
      values: report.byField.map((f) => chartPercent(f.overall.value)),
      format: percent,
    }),
    fieldTable: {
      caption: t('report.field.table'),
      head: dashboard.byField.withCounts
        ? [t('dash.field'), t('dash.overall'), t('dash.interval'), t('dash.responses'), t('served.col.resolved'), t('served.col.rate'), t('served.col.on_time')]
        : [t('dash.field'), t('dash.overall'), t('dash.interval'), t('dash.responses')],
      rows: dashboard.byField.rows.map((r) =>
        dashboard.byField.withCounts ? [r.name, r.value, r.ci, r.responses, r.served.dossiers, r.served.rate, r.served.onTime] : [r.name, r.value, r.ci, r.responses],
      ),
    },
    // One table per kind of unit, each against its own target, as on the dashboard.
    ranking: {
      tables: dashboard.ranking.sections.map((section) => ({
        // The section's own heading and target come first (report.ejs): no caption inside the table.
        title: section.title,
        caption: '',
        label: `${t('dash.by.unit')}: ${section.title}`,
        intro: `${section.target} ${section.coverage}`,
        notes: [section.compared, section.silent ? `${section.silent.title}: ${section.silent.names.join(', ')}.` : ''].filter(Boolean),
        head: section.head,
        rows: section.rows.map((r) => [
          String(r.rank),
          r.name,
          r.responses,
          ...(section.showServed ? [r.served.dossiers, r.served.rate] : []),
          r.standardised,
          r.overall.value,
          r.overall.ci,
          // The SIPAS column without the dashboard's "Không ý kiến" note: a province's 130 rows must stay a few pages.
          ...(section.showSipas ? [r.sipas.value, r.sipas.ci] : []),
          [r.verdict, r.ownVerdict].filter(Boolean).join('. '),
          ...(section.showServed ? [r.served.onTime] : []),
        ]),
      })),
      notes: dashboard.ranking.notes,
    },
    questionTables: dashboard.questionGroups.map((g) => ({
      caption: g.title,
      head: [t('dash.question'), '1', '2', '3', '4', '5', t('scale.none'), 'n', t('dash.rate')],
      rows: g.rows.map((r) => [r.label, ...r.shares, r.noOpinion, r.n, r.rate]),
    })),
    choiceTables: [...dashboard.expectations, ...dashboard.otherChoices].map((e) => ({
      caption: `${e.title} — ${e.respondents}`,
      head: [t('dash.option'), t('dash.chosen'), t('dash.share')],
      rows: e.rows.map((r) => [r.label, r.count, r.share]),
    })),
    method: t('dash.method'),
    backToDashboard: input.query ? `/dashboard?${input.query}` : '/dashboard',
  };
}

export type ReportView = ReturnType<typeof presentReport>;
