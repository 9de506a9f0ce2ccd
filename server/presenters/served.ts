/**
 * Why: the dashboard and the printable report say, beside every satisfaction figure, how many of
 * the citizens served answered and what the figure is when each desk counts by the dossiers it
 * resolved (issue 20); and they show the plan's dossier targets as what they are, counts of every
 * dossier, met or not, with no interval. Every word and number of those parts is made here.
 */
import { monthsOf } from '../../analytics/periods.ts';
import { WEIGHTED_HEADS_AT, type DossierFigures, type DossierIndicatorResult, type WeightedIndicator } from '../figures/dossiers.ts';
import type { ReportContext } from '../figures/context.ts';
import type { DashboardReport } from '../figures/dashboard.ts';
import type { IndicatorResult } from '../figures/indicator-results.ts';
import { type Lang, pick, type Translate } from '../i18n/index.ts';
import { chartPercent, formatCount, formatInterval, formatMonth, formatPercent } from './format.ts';
import { verdictClass, verdictText } from './verdict.ts';

/** The share of dossiers not covered from which a card marks it as a warning. */
const UNCOVERED_FLAG = 0.05;

const pct = (share: number | null, lang: Lang) => (share === null ? '—' : `${formatPercent(share, lang)}%`);

/** A weighted figure as an indicator result, so a card can head with it exactly as with the figure as answered. */
export function headedBy(ind: IndicatorResult, w: WeightedIndicator | undefined): IndicatorResult {
  if (!w?.heads) return ind;
  return { ...ind, value: w.result.value, n: w.result.n, nEff: w.result.nEff, ci: w.result.ci, verdict: w.verdict, verdictCi: w.verdictCi, settle: null };
}

/** The lines a satisfaction card adds about the dossiers: the other figure, what it leaves out, the response rate. */
export function servedLines(ind: IndicatorResult, w: WeightedIndicator | undefined, lang: Lang, t: Translate, minN: number) {
  if (!w) return { other: '', uncovered: '', uncoveredFlag: false, rate: '', neff: '', insufficient: '' };
  const r = w.result;
  const ci = r.ci ? formatInterval(r.ci, lang) : '—';
  const other = w.heads
    ? t('served.answered', { value: pct(ind.value, lang), ci: formatInterval(ind.ci, lang), verdict: verdictText(ind.verdict, t, minN) })
    : r.value === null
      ? t('served.weighted.none')
      : t('served.weighted', { value: pct(r.value, lang), ci, verdict: weightedVerdictText(w, lang, t, minN) });
  return {
    other,
    uncovered: r.uncoveredShare !== null && r.uncoveredShare > 0 ? t('served.uncovered', { share: formatPercent(r.uncoveredShare, lang) }) : '',
    // Marked like a warning from 5% of the dossiers: a few desks without a poster yet are said, not flagged.
    uncoveredFlag: r.uncoveredShare !== null && r.uncoveredShare >= UNCOVERED_FLAG,
    rate: r.dossiers > 0 ? t('served.rate', { n: formatCount(w.responses, lang), d: formatCount(r.dossiers, lang), rate: formatPercent(w.responses / r.dossiers, lang) }) : '',
    neff: w.heads && r.value !== null ? t('served.neff', { neff: formatPercent(r.nEff / 100, lang) }) : '',
    insufficient: w.heads && w.verdict === 'insufficient' ? t('served.says.insufficient', { neff: formatPercent(r.nEff / 100, lang), min: minN }) : '',
  };
}

/** The weighted verdict in words: "too few" is said of the effective size, not of the responses. */
function weightedVerdictText(w: WeightedIndicator, lang: Lang, t: Translate, minN: number): string {
  if (w.verdict === 'insufficient') return t('served.says.insufficient', { neff: formatPercent(w.result.nEff / 100, lang), min: minN });
  return verdictText(w.verdict, t, minN);
}

/** A dossier target in words: "từ 95% trở lên", "100%", "không quá 0 hồ sơ". */
function targetWords(d: DossierIndicatorResult, lang: Lang, t: Translate): string {
  if (d.target === null) return t('dash.no.target');
  if (d.rule.unit === 'dossiers') return d.target === 0 ? t('served.target.none') : t('served.target.at_most', { target: formatCount(d.target, lang) });
  if (d.target >= 100) return t('served.target.all');
  return t('served.target.at_least', { target: formatPercent(d.target / 100, lang, 0) });
}

/** A running period's dossier verdict is "so far": the days to come may change it. */
function dossierVerdictText(d: DossierIndicatorResult, t: Translate, provisional: boolean): string {
  if (d.verdict === null) return t(d.target === null ? 'verdict.none' : 'served.verdict.none');
  return provisional ? t(`served.verdict.so_far.${d.verdict}`) : t(`verdict.${d.verdict}`);
}

function dossierCard(d: DossierIndicatorResult, lang: Lang, t: Translate, provisional: boolean) {
  const value =
    d.value === null
      ? d.nothingOwed
        ? t('served.nothing.owed.value')
        : t('served.verdict.none')
      : d.rule.unit === 'dossiers'
        ? t('served.dossiers', { n: formatCount(d.value, lang) })
        : pct(d.value, lang);
  let basis = '';
  if (d.nothingOwed) basis = t('served.nothing.owed');
  else if (d.value !== null && d.rule.unit === 'percent')
    basis = t(d.measure === 'apology_rate' ? 'served.basis.late' : 'served.basis', { part: formatCount(Math.round(d.value * d.base), lang), base: formatCount(d.base, lang) });
  else if (d.measure === 'backlog') basis = t('served.backlog.basis');
  return {
    code: d.code,
    name: pick(lang, d.nameVi, d.nameEn),
    value,
    basis,
    target: targetWords(d, lang, t),
    source: d.targetSource ?? '',
    verdict: dossierVerdictText(d, t, provisional),
    verdictClass: verdictClass(d.verdict),
    provisional: provisional && d.verdict !== null ? t('verdict.provisional') : '',
  };
}

/** Satisfaction with procedures as answered, beside QĐ 766's score from complaints: one sentence on the gap. */
function gapSentence(dossiers: DossierFigures, indicators: IndicatorResult[], lang: Lang, t: Translate): string {
  const score = dossiers.indicators.find((d) => d.code === 'satisfaction_766');
  const answered = indicators.find((i) => i.code === 'tthc');
  // The figure that heads the procedures' card: weighted by dossiers when the counts cover enough.
  const asked = answered ? headedBy(answered, dossiers.weighted.get(answered.code)) : null;
  if (!score || score.value === null || !asked || asked.value === null) return '';
  return t('served.gap', { score: formatPercent(score.value, lang), asked: formatPercent(asked.value, lang) });
}

function deskName(ctx: ReportContext, deskId: number): string {
  const desk = ctx.desks.find((d) => d.id === deskId);
  return desk ? `${desk.unitName} · ${desk.name}` : String(deskId);
}

/** The dossier section of the dashboard: the plan's targets, response rates by desk, the desks where a side is missing. */
export function presentServed(report: DashboardReport, ctx: ReportContext, lang: Lang, t: Translate, opts: { importHref: string | null; minN: number }) {
  const d = report.dossiers;
  const desks = [...d.byDesk.values()]
    .filter((s) => s.dossiers.rows > 0)
    .sort((a, b) => (a.rate ?? Infinity) - (b.rate ?? Infinity) || b.dossiers.resolved - a.dossiers.resolved);
  const onTimeOf = (resolved: number, onTime: number) => (resolved > 0 ? pct(onTime / resolved, lang) : '—');
  const months = monthsOf(report.period);
  const trend = (code: 'on_time' | 'online_share', share: (m: DossierFigures['totals']) => number | null) => {
    const indicator = d.indicators.find((i) => i.code === code);
    const points = months.map((month) => ({ month, totals: d.months.get(month) ?? null }));
    const name = indicator ? pick(lang, indicator.nameVi, indicator.nameEn) : code;
    return {
      id: `trend-${code}`,
      name,
      summary: t('dash.chart.summary', { name }),
      chart: JSON.stringify({
        kind: 'trend',
        labels: points.map((p) => formatMonth(p.month)),
        series: [{ label: name, values: points.map((p) => chartPercent(p.totals ? share(p.totals) : null)) }],
        target: indicator?.target ?? null,
        targetLabel: t('dash.target.line'),
      }),
      rows: points.map((p) => [formatMonth(p.month), pct(p.totals ? share(p.totals) : null, lang), p.totals ? formatCount(p.totals.resolved, lang) : '—']),
    };
  };
  return {
    hasCounts: d.hasCounts,
    none: d.hasCounts ? '' : t('served.none'),
    counted: t('served.counted'),
    importHref: opts.importHref,
    summary: d.hasCounts
      ? t('served.summary', {
          d: formatCount(d.totals.resolved, lang),
          received: formatCount(d.totals.received, lang),
          n: formatCount(d.responses, lang),
          rate: formatPercent(d.responseRate, lang),
        })
      : '',
    // Only the targets whose fields the view has counts in: a health field is outside the plan's dossier targets.
    cards: d.hasCounts ? d.indicators.filter((i) => i.inScope).map((i) => dossierCard(i, lang, t, d.provisional)) : [],
    outOfScope: d.hasCounts && !d.indicators.some((i) => i.inScope) ? t('served.out.of.scope') : '',
    scope: d.hasCounts && d.indicators.some((i) => i.inScope) ? t('served.scope') : '',
    gap: d.hasCounts ? gapSentence(d, report.indicators, lang, t) : '',
    headsRule: t('served.heads.rule', { share: formatPercent(WEIGHTED_HEADS_AT, lang, 0), min: opts.minN }),
    trends: d.hasCounts
      ? [trend('on_time', (m) => (m.resolved > 0 ? m.onTime / m.resolved : null)), trend('online_share', (m) => (m.resolved > 0 ? m.resolvedOnline / m.resolved : null))]
      : [],
    rates: {
      head: [t('served.col.desk'), t('served.col.resolved'), t('dash.responses'), t('served.col.rate'), t('served.col.on_time')],
      rows: desks.map((s) => [deskName(ctx, s.deskId), formatCount(s.dossiers.resolved, lang), formatCount(s.responses, lang), pct(s.rate, lang), onTimeOf(s.dossiers.resolved, s.dossiers.onTime)]),
      // A province has hundreds of desks: the table stays folded past a screenful.
      open: desks.length <= 15,
      title: t('served.rates.title', { n: formatCount(desks.length, lang) }),
    },
    withoutResponses: {
      title: t('served.without.responses', { n: formatCount(d.withoutResponses.length, lang) }),
      items: d.withoutResponses.map((s) => t('served.without.responses.item', { desk: deskName(ctx, s.deskId), d: formatCount(s.dossiers.resolved, lang) })),
    },
    withoutCounts: {
      title: t('served.without.counts', { n: formatCount(d.withoutCounts.length, lang) }),
      items: d.withoutCounts.map((s) => t('served.without.counts.item', { desk: deskName(ctx, s.deskId), n: formatCount(s.responses, lang) })),
    },
  };
}

export type ServedView = ReturnType<typeof presentServed>;

/** Dossiers and response rate of one row of a table (a field, a unit), or dashes without counts. */
export function servedCells(row: { dossiers: { resolved: number; rows: number; onTime: number }; rate: number | null } | null | undefined, lang: Lang) {
  if (!row || row.dossiers.rows === 0) return { dossiers: '—', rate: '—', onTime: '—' };
  return {
    dossiers: formatCount(row.dossiers.resolved, lang),
    rate: pct(row.rate, lang),
    onTime: row.dossiers.resolved > 0 ? pct(row.dossiers.onTime / row.dossiers.resolved, lang) : '—',
  };
}
