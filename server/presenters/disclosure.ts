/**
 * The public page's view model: plain words for citizens, every published percentage also as a
 * machine-readable <data value> (0..100, full precision, like the API), and no number at all for a
 * group that is withheld (server/figures/disclosure.ts decides which). /cong-khai.csv is written from
 * the same view model (disclosureCsv), so the file can never show a figure the page withholds.
 * The dossier tables (issue 20) are counts of every dossier, shown for every group with counts and
 * said to be counts, not survey results; /cong-khai.csv keeps the survey's figures only.
 */
import type { HiddenReason } from '../../analytics/suppression.ts';
import type { Verdict } from '../../analytics/verdict.ts';
import { type Lang, pick, type Translate } from '../i18n/index.ts';
import type { ReportContext } from '../figures/context.ts';
import type { DisclosedDossierGroup, DisclosedDossiers, DisclosedGroup, DisclosedPeriod, DisclosedTarget } from '../figures/disclosure.ts';
import type { DossierIndicatorResult } from '../figures/dossiers.ts';
import type { UnitKind } from '../../db/schema.ts';
import { BOM, type CsvFormat, csvLine } from '../exports/csv.ts';
import { localDay } from '../../analytics/time.ts';
import { formatCount, formatDay, formatMonth, formatPercent } from './format.ts';
import { publicVerdictText, verdictClass } from './verdict.ts';

const ROMAN = ['I', 'II', 'III', 'IV'];

interface Figure {
  /** What is shown where the number would be: the percentage, or why there is none. */
  value: string;
  /** The percentage 0..100 at full precision; '' when nothing is published. */
  data: string;
  /** Respondents, in words, and the number itself (null when withheld). */
  n: string;
  count: number | null;
  verdict: string;
  verdictClass: string;
  /** What the public CSV says of the figure: shown, or why not. */
  status: 'published' | 'too_few' | 'withheld' | 'no_data';
}

function figure(
  result: { value: number | null; n: number; verdict: Verdict | null; target: number | null },
  hidden: HiddenReason | null,
  lang: Lang,
  t: Translate,
  minN: number,
): Figure {
  const none = { data: '', n: '', count: null, verdict: '', verdictClass: '' };
  if (result.n === 0 && hidden === null) return { value: t('public.no.data'), ...none, status: 'no_data' };
  if (hidden !== null || result.value === null || result.n < minN) {
    const withheld = hidden === 'complementary';
    return { value: withheld ? t('public.withheld') : t('public.too.few'), ...none, status: withheld ? 'withheld' : 'too_few' };
  }
  const target = result.target === null ? '' : formatPercent(result.target / 100, lang, 0);
  const verdict = result.verdict === 'inconclusive' && result.target !== null ? unsettledText(result.value, result.target, target, t) : publicVerdictText(result.verdict, target, t);
  return {
    value: `${formatPercent(result.value, lang)}%`,
    data: String(result.value * 100),
    n: t('public.n', { n: formatCount(result.n, lang) }),
    count: result.n,
    verdict,
    verdictClass: verdictClass(result.verdict),
    status: 'published',
  };
}

/**
 * How far from its target, in percentage points, an unsettled value may be and still be called
 * "sát chỉ tiêu" (close to the target) on the public page; the page states it (public.method).
 */
export const CLOSE_POINTS = 2;

/**
 * An unsettled (inconclusive) verdict in plain words (issue 21, item 3): "close to the target" only
 * when the value is within CLOSE_POINTS percentage points of it, otherwise below or above it, with
 * not yet enough responses to be sure. `value` is 0..1, `threshold` a percent.
 */
function unsettledText(value: number, threshold: number, target: string, t: Translate): string {
  const points = value * 100 - threshold;
  // A hair's tolerance, so that 85% against 87% (2 points exactly) counts as within, whatever the float.
  if (Math.abs(points) <= CLOSE_POINTS + 1e-9) return t('public.verdict.inconclusive', { target });
  return t(points < 0 ? 'public.verdict.inconclusive.below' : 'public.verdict.inconclusive.above', { target });
}

/**
 * Where the period's targets come from, in lines: "Chỉ tiêu năm 2025 theo QĐ 2228/…" for a confirmed
 * one, "Chỉ tiêu năm 2026 tạm lấy theo năm 2025, chưa được tỉnh xác nhận" for an unconfirmed copy
 * (whose stored source, "… / copied from 2025", is never shown). Targets saying the same share one
 * line; a line that is not true of every target names the indicators it is about.
 */
function targetLines(targets: DisclosedTarget[], lang: Lang, t: Translate): string[] {
  const lines = new Map<string, { text: string; names: string[] }>();
  for (const tg of targets) {
    const text = tg.confirmed
      ? t('public.targets.source', { year: tg.year, source: tg.source })
      : tg.copiedFrom !== null
        ? t('public.targets.copied', { year: tg.year, from: tg.copiedFrom })
        : t('public.targets.unconfirmed', { year: tg.year });
    const line = lines.get(text) ?? { text, names: [] };
    line.names.push(pick(lang, tg.nameVi, tg.nameEn));
    lines.set(text, line);
  }
  if (lines.size <= 1) return [...lines.values()].map((l) => l.text);
  return [...lines.values()].map((l) => `${l.names.join('; ')}: ${l.text}`);
}

/** A dossier share in a cell: the percentage (and its machine-readable value), and met or not in words. */
function dossierShare(d: DossierIndicatorResult | null, lang: Lang, t: Translate) {
  if (!d || d.value === null) return { value: '—', data: '', verdict: '', verdictClass: '' };
  return {
    value: `${formatPercent(d.value, lang, 2)}%`,
    data: String(d.value * 100),
    verdict: d.verdict === null ? '' : t(d.verdict === 'met' ? 'public.dossiers.met' : 'public.dossiers.not_met'),
    verdictClass: verdictClass(d.verdict),
  };
}

/** The period's two dossier tables (by kind of unit, by field); null when the period has no counts. */
function presentDossiers(d: DisclosedDossiers | null, heading: string, ctx: ReportContext, lang: Lang, t: Translate) {
  if (d === null) return null;
  const pct = (target: number) => formatPercent(target / 100, lang, 0);
  const head = [
    d.onTimeTarget === null ? t('public.dossiers.col.on_time.none') : t('public.dossiers.col.on_time', { target: pct(d.onTimeTarget) }),
    d.onlineTarget === null ? t('public.dossiers.col.online.none') : t('public.dossiers.col.online', { target: pct(d.onlineTarget) }),
    t('public.dossiers.col.resolved'),
  ];
  const row = (g: DisclosedDossierGroup, key: string, name: string) => ({
    key,
    name,
    onTime: dossierShare(g.onTime, lang, t),
    online: dossierShare(g.online, lang, t),
    resolved: formatCount(g.resolved, lang),
    resolvedData: String(g.resolved),
  });
  const table = (by: 'kind' | 'field', caption: string, first: string, rows: ReturnType<typeof row>[]) => ({ by, caption: `${caption}, ${heading}`, head: [first, ...head], rows });
  return {
    title: t('public.dossiers.title'),
    counted: t('public.dossiers.counted'),
    tables: [
      table(
        'kind',
        t('public.dossiers.by.kind'),
        t('public.dossiers.col.kind'),
        d.kinds.map((g) => row(g, `kind:${g.key}`, t(`public.kind.${g.key as UnitKind}`))),
      ),
      table(
        'field',
        t('public.dossiers.by.field'),
        t('public.dossiers.col.field'),
        d.fields.map((g) => {
          const field = ctx.fieldById.get(Number(g.key));
          return row(g, `field:${field?.code ?? g.key}`, field ? pick(lang, field.name_vi, field.name_en) : g.key);
        }),
      ),
    ].filter((x) => x.rows.length > 0),
  };
}

export function presentDisclosure(input: { periods: DisclosedPeriod[]; ctx: ReportContext; lang: Lang; t: Translate; minN: number }) {
  const { periods, ctx, lang, t, minN } = input;
  const group = (g: DisclosedGroup, key: string, name: string) => ({
    key,
    name,
    ...figure({ value: g.judgement.overall.value, n: g.judgement.overall.n, verdict: g.judgement.verdict, target: g.judgement.target }, g.hidden, lang, t, minN),
  });
  const withheld = periods.some((p) => [...p.indicators, ...p.kinds, ...p.fields].some((x) => x.hidden === 'complementary'));
  /** A period's names for people: month '11/2026', quarter 'III/2026' (Vietnamese) or 'Q3 2026', year '2025'. */
  const named = (period: DisclosedPeriod['period']) => {
    const year = period.from.slice(0, 4);
    const q = Math.floor((Number(period.from.slice(5, 7)) - 1) / 3) + 1;
    return { month: formatMonth(period.from.slice(0, 7)), quarterVi: `${ROMAN[q - 1] ?? q}/${year}`, quarterEn: `Q${q} ${year}`, year };
  };
  const shown = Object.fromEntries(periods.map((p) => [p.key, named(p.period)]));
  return {
    title: t('public.title'),
    intro: t('public.intro'),
    updated: t('public.updated', {
      month: shown.month?.month ?? '',
      quarterVi: shown.quarter?.quarterVi ?? '',
      quarterEn: shown.quarter?.quarterEn ?? '',
      year: shown.year?.year ?? '',
    }),
    periods: periods.map((p) => {
      const name = named(p.period);
      const heading =
        p.key === 'month' ? t('reports.month', { month: name.month }) : p.key === 'quarter' ? t('public.quarter', name) : t('public.year', { year: name.year });
      return {
        id: `period-${p.key}`,
        key: p.key,
        from: p.period.from,
        to: p.period.to,
        heading,
        dates: t('report.dates', { from: formatDay(p.period.from), to: formatDay(p.period.to) }),
        published: t('public.published', { day: formatDay(localDay(new Date(p.publishedAt))) }),
        provisional: p.provisional ? t('public.provisional', { level: formatPercent(p.confidence.level, lang) }) : '',
        indicators: p.indicators.map(({ result, hidden }) => ({
          code: result.code,
          name: pick(lang, result.nameVi, result.nameEn),
          ...figure(result, hidden, lang, t, minN),
        })),
        kinds: p.kinds.map((g) => group(g, `kind:${g.key}`, t(`public.kind.${g.key as UnitKind}`))),
        fields: p.fields.map((g) => {
          const field = ctx.fieldById.get(Number(g.key));
          return group(g, `field:${field?.code ?? g.key}`, field ? pick(lang, field.name_vi, field.name_en) : g.key);
        }),
        targets: targetLines(p.targets, lang, t),
        dossiers: presentDossiers(p.dossiers, heading, ctx, lang, t),
      };
    }),
    noteFew: t('public.note.few', { min: minN }),
    noteWithheld: withheld ? t('public.note.withheld') : '',
    noteFixed: t('public.note.fixed'),
    method: t('public.method', { points: CLOSE_POINTS }),
    csvHref: '/cong-khai.csv',
    csvLink: t('public.csv'),
  };
}

export type DisclosureView = ReturnType<typeof presentDisclosure>;

export const DISCLOSURE_CSV_COLUMNS = ['period', 'period_from', 'period_to', 'group_by', 'group_code', 'group_name', 'status', 'n', 'value', 'verdict_text'] as const;

/**
 * /cong-khai.csv: exactly the figures of the page, one row per indicator and group per period, for
 * anyone. A withheld figure is a row with its reason and no number, so the file tells a reader
 * nothing the page does not (the same suppression decides both).
 */
export function disclosureCsv(view: DisclosureView, format: CsvFormat): string {
  let text = BOM + csvLine(DISCLOSURE_CSV_COLUMNS, format);
  for (const p of view.periods) {
    const rows = [
      ...p.indicators.map((i) => ({ by: 'indicator', code: i.code, name: i.name, f: i })),
      ...p.kinds.map((g) => ({ by: 'kind', code: g.key.slice('kind:'.length), name: g.name, f: g })),
      ...p.fields.map((g) => ({ by: 'field', code: g.key.slice('field:'.length), name: g.name, f: g })),
    ];
    for (const { by, code, name, f } of rows) {
      const shown = f.status === 'published';
      text += csvLine([p.key, p.from, p.to, by, code, name, f.status, shown ? f.count : null, shown ? Number(f.data) : null, shown ? f.verdict : ''], format);
    }
  }
  return text;
}
