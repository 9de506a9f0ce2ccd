/**
 * The public page's view model: plain words for citizens, every published percentage also as a
 * machine-readable <data value> (0..100, full precision, like the API), and no number at all for a
 * group that is withheld (server/reports/disclosure.ts decides which).
 */
import type { HiddenReason } from '../../analytics/suppression.ts';
import type { Verdict } from '../../analytics/verdict.ts';
import { type Lang, pick, type Translate } from '../i18n/index.ts';
import type { ReportContext } from '../reports/context.ts';
import type { DisclosedGroup, DisclosedPeriod } from '../reports/disclosure.ts';
import type { UnitKind } from '../../db/schema.ts';
import { formatCount, formatDay, formatPercent } from './format.ts';
import { verdictClass } from './verdict.ts';

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
}

function figure(
  result: { value: number | null; n: number; verdict: Verdict | null; target: number | null },
  hidden: HiddenReason | null,
  lang: Lang,
  t: Translate,
  minN: number,
): Figure {
  if (result.n === 0 && hidden === null) return { value: t('public.no.data'), data: '', n: '', count: null, verdict: '', verdictClass: '' };
  if (hidden !== null || result.value === null || result.n < minN) {
    return { value: hidden === 'complementary' ? t('public.withheld') : t('public.too.few'), data: '', n: '', count: null, verdict: '', verdictClass: '' };
  }
  const target = result.target === null ? '' : formatPercent(result.target / 100, lang, 0);
  const verdict = result.verdict === null || result.verdict === 'insufficient' ? t('public.verdict.none') : t(`public.verdict.${result.verdict}`, { target });
  return {
    value: `${formatPercent(result.value, lang)}%`,
    data: String(result.value * 100),
    n: t('public.n', { n: formatCount(result.n, lang) }),
    count: result.n,
    verdict,
    verdictClass: verdictClass(result.verdict),
  };
}

export function presentDisclosure(input: { periods: DisclosedPeriod[]; ctx: ReportContext; lang: Lang; t: Translate; minN: number; today: string }) {
  const { periods, ctx, lang, t, minN } = input;
  const group = (g: DisclosedGroup, key: string, name: string) => ({
    key,
    name,
    ...figure({ value: g.judgement.overall.value, n: g.judgement.overall.n, verdict: g.judgement.verdict, target: g.judgement.target }, g.hidden, lang, t, minN),
  });
  const withheld = periods.some((p) => [...p.indicators, ...p.kinds, ...p.fields].some((x) => x.hidden === 'complementary'));
  return {
    title: t('public.title'),
    intro: t('public.intro'),
    updated: t('public.updated', { day: formatDay(input.today) }),
    periods: periods.map((p) => {
      const year = p.period.from.slice(0, 4);
      const quarter = String(Math.floor((Number(p.period.from.slice(5, 7)) - 1) / 3) + 1);
      return {
        id: `period-${p.key}`,
        heading: p.key === 'quarter' ? t('dash.period.named.quarter', { q: quarter, year }) : t('public.year', { year }),
        dates: t('report.dates', { from: formatDay(p.period.from), to: formatDay(p.period.to) }),
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
      };
    }),
    noteFew: t('public.note.few', { min: minN }),
    noteWithheld: withheld ? t('public.note.withheld') : '',
    method: t('public.method'),
  };
}

export type DisclosureView = ReturnType<typeof presentDisclosure>;
