/**
 * The dashboard's ranking as finished sections, one per kind of unit (figures/dashboard.ts): title,
 * the target that applies, how many units sent responses, the chart, the table, and the units with
 * none in the period named, because a ranking that leaves out the silent units overstates coverage.
 */
import { PRIOR_ANSWERS } from '../../analytics/standardise.ts';
import { type MeasureResult } from '../../analytics/proportion.ts';
import { type Lang, pick, type Translate } from '../i18n/index.ts';
import type { DashboardReport, UnitSection } from '../figures/dashboard.ts';
import { chartPercent, formatCount, formatInterval, formatPercent } from './format.ts';
import { servedCells } from './served.ts';
import { verdictClass, verdictText } from './verdict.ts';

function cells(m: MeasureResult, lang: Lang) {
  return { value: m.value === null ? '—' : `${formatPercent(m.value, lang)}%`, ci: formatInterval(m.ci, lang), n: formatCount(m.n, lang) };
}

/** Up to this many ranked units, a section's table is open; beyond, it folds behind its top and bottom. */
const RANKING_OPEN_UP_TO = 15;
/** Units named at each end of a folded section on a phone. */
const HIGHLIGHT = 5;
/** Up to this many ranked units, the chart draws them all; beyond, CHART_END at each end. */
const CHART_ALL = 24;
const CHART_END = 10;

function presentSection(section: UnitSection, lang: Lang, t: Translate, minN: number) {
  // SIPAS covers administrative procedures only: hospitals and schools have no column of dashes.
  const showSipas = section.indicator?.code === 'tthc';
  const judged = section.ranked.filter((u) => u.ownVerdict !== null && u.ownVerdict !== 'insufficient').length;
  const total = section.ranked.length + section.withoutResponses.length;
  const title = t(`units.kind.${section.key}`);
  // Dossier columns only where some unit of the section has counts: hospitals and schools usually have none.
  const showServed = section.ranked.some((u) => u.served !== null && u.served.dossiers.rows > 0);
  // Only units with enough responses for a verdict get a rank and a bar; the others are named apart
  // with their count (a department is not "2nd" on 5 responses).
  const rankable = section.ranked.filter((u) => u.overall.n >= minN);
  const few = section.ranked.filter((u) => u.overall.n < minN);
  const rows = rankable.map((u, index) => ({
    rank: index + 1,
    name: u.unit.name,
    responses: formatCount(u.responses, lang),
    served: {
      ...servedCells(u.served, lang),
      // On time over the fields the plan's target covers (administrative procedures), judged against it.
      onTime: u.onTime?.value == null ? '—' : `${formatPercent(u.onTime.value, lang)}%`,
      onTimeClass: verdictClass(u.onTime?.verdict ?? null),
    },
    standardised: u.standardised.value === null ? '—' : `${formatPercent(u.standardised.value, lang)}%`,
    overall: cells(u.overall, lang),
    sipas: {
      ...cells(u.sipas, lang),
      // Beside the index, as on the cards: the share of "Không ý kiến" and the value if they were all dissatisfied.
      noOpinion:
        u.sipas.value === null || u.sipasNoOpinion.share === null || u.sipasNoOpinion.worst === null
          ? ''
          : t('noopinion.cell', { share: formatPercent(u.sipasNoOpinion.share, lang), worst: formatPercent(u.sipasNoOpinion.worst, lang) }),
    },
    verdict: verdictText(u.verdict, t, minN),
    verdictClass: verdictClass(u.verdict),
    // The unit's own interval may say more than the table allows itself to claim: say so.
    ownVerdict: u.ownVerdict !== null && u.ownVerdict !== u.verdict ? t('dash.own.verdict', { verdict: verdictText(u.ownVerdict, t, minN) }) : '',
  }));
  const charted = rankable.length > CHART_ALL ? [...rankable.slice(0, CHART_END), ...rankable.slice(-CHART_END)] : rankable;
  return {
    id: `ranking-${section.key}`,
    key: section.key,
    title,
    target:
      section.indicator && section.target !== null
        ? t('ranking.target', { indicator: pick(lang, section.indicator.name_vi, section.indicator.name_en), target: formatPercent(section.target / 100, lang, 0) })
        : t('ranking.no.target'),
    coverage: t('ranking.coverage', { answered: formatCount(section.ranked.length, lang), total: formatCount(total, lang) }),
    compared: judged === 0 ? '' : judged === 1 ? t('ranking.compared.one') : t('ranking.compared', { n: formatCount(judged, lang) }),
    // A long table is folded behind its top and bottom (a phone's list) and the chart; a short one stays open.
    folded: rows.length > RANKING_OPEN_UP_TO,
    all: t('ranking.all', { n: formatCount(rows.length, lang) }),
    search: t('ranking.search'),
    highlights:
      rows.length > RANKING_OPEN_UP_TO
        ? {
            top: { title: t('ranking.top', { n: formatCount(HIGHLIGHT, lang) }), rows: rows.slice(0, HIGHLIGHT) },
            bottom: { title: t('ranking.bottom', { n: formatCount(HIGHLIGHT, lang) }), rows: rows.slice(-HIGHLIGHT) },
          }
        : null,
    few:
      few.length === 0
        ? null
        : {
            title: t('ranking.few', { n: formatCount(few.length, lang), min: formatCount(minN, lang) }),
            names: few.map((u) => t('ranking.few.item', { name: u.unit.name, n: formatCount(u.overall.n, lang) })),
            open: few.length <= 10,
          },
    showSipas,
    showServed,
    head: [
      t('dash.rank'),
      t('dash.unit'),
      t('dash.responses'),
      ...(showServed ? [t('served.col.resolved'), t('served.col.rate')] : []),
      t('dash.standardised'),
      t('dash.overall.raw'),
      t('dash.interval'),
      ...(showSipas ? [t('dash.sipas'), t('dash.interval')] : []),
      t('dash.verdict'),
      ...(showServed ? [t('served.col.on_time')] : []),
    ],
    rows,
    // On a phone the section is a list (name, responses, value, verdict) instead of the wide table.
    list: rows.map((r) => ({ rank: r.rank, name: r.name, facts: `${t('dash.n', { n: r.responses })} · ${r.standardised}`, verdict: r.verdict, verdictClass: r.verdictClass })),
    chart:
      rankable.length > 1
        ? {
            tall: charted.length > 8,
            label: `${title}. ${t('dash.chart.ranking')}`,
            // A chart of 130 hairline bars says nothing: past CHART_ALL it draws the top and the bottom, the table has all.
            note: charted.length < rankable.length ? t('ranking.chart.ends', { n: formatCount(CHART_END, lang), total: formatCount(rankable.length, lang) }) : '',
            data: JSON.stringify({
              kind: 'bars',
              labels: charted.map((u) => u.unit.name),
              series: [
                { label: t('dash.standardised'), values: charted.map((u) => chartPercent(u.standardised.value)) },
                { label: t('dash.overall.raw'), values: charted.map((u) => chartPercent(u.overall.value)) },
              ],
              // Bars draw no target line (dashboard.js); the section's target is written above the chart.
              target: null,
              targetLabel: '',
            }),
          }
        : null,
    silent:
      section.withoutResponses.length === 0
        ? null
        : {
            title: t('ranking.silent', { n: formatCount(section.withoutResponses.length, lang) }),
            // A silent unit that served citizens says how many: "1.240 hồ sơ, chưa có phiếu nào".
            names: section.withoutResponses
              .map((u) => {
                const resolved = section.silentDossiers.get(u.id);
                return resolved === undefined ? u.name : t('served.silent.item', { name: u.name, d: formatCount(resolved, lang) });
              })
              .sort(new Intl.Collator('vi').compare),
            // A short list is read at a glance; a hundred communes stay folded until asked for.
            open: section.withoutResponses.length <= 10,
          },
  };
}

export function presentRanking(report: DashboardReport, lang: Lang, t: Translate, minN: number) {
  return {
    sections: report.unitSections.map((s) => presentSection(s, lang, t, minN)),
    notes: [
      t('dash.ranking.order', { k: formatCount(PRIOR_ANSWERS, lang) }),
      t('dash.ranking.multiplicity', { alpha: formatPercent(report.confidence.alpha, lang, report.provisional ? 2 : 1) }),
      ...(report.provisional ? [t('dash.provisional.table', { level: formatPercent(report.confidence.level, lang) })] : []),
    ],
  };
}

export type RankingView = ReturnType<typeof presentRanking>;
