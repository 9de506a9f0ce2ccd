/**
 * Every sentence about a verdict, once: the verdict in words and as a CSS class (the dashboard, the
 * report, the exports), what the value means against the target, how many more responses would
 * settle it, what "Không ý kiến" could change, and the public page's wording.
 */
import { isOnTarget } from '../../analytics/settle.ts';
import type { Verdict } from '../../analytics/verdict.ts';
import type { IndicatorResult } from '../figures/indicator-results.ts';
import type { Lang, Translate } from '../i18n/index.ts';
import { formatCount, formatPercent, roundForPeople } from './format.ts';

export function verdictText(v: Verdict | null, t: Translate, minN: number): string {
  if (v === null) return t('verdict.none');
  return v === 'insufficient' ? t('verdict.insufficient', { min: minN }) : t(`verdict.${v}`);
}

export function verdictClass(v: Verdict | null): string {
  return `verdict verdict--${v ?? 'none'}`;
}

/** The verdict in words, with "Tạm tính" after it where the dashboard's card shows that badge. */
export function verdictWithProvisional(ind: IndicatorResult, t: Translate, minN: number): string {
  const text = verdictText(ind.verdict, t, minN);
  return ind.provisional && ind.verdict !== null && ind.verdict !== 'insufficient' ? `${text} · ${t('verdict.provisional')}` : text;
}

/** What the value means against the target, in words an official can repeat after the number. */
export function verdictSaying(ind: IndicatorResult, lang: Lang, t: Translate, minN: number): string {
  if (ind.value === null) return '';
  if (ind.verdict === 'insufficient') return t('dash.says.insufficient', { n: formatCount(ind.n, lang), min: minN });
  if (ind.target === null || ind.verdict === null) return t('dash.says.no.target');
  const target = formatPercent(ind.target / 100, lang, 0);
  if (ind.verdict === 'met') return t('dash.says.met', { target });
  if (ind.verdict === 'not_met') return t('dash.says.not_met', { target });
  const gap = ind.value - ind.target / 100;
  // A floating hair off the target is on it, as for the settle figure.
  return t(isOnTarget(ind.value, ind.target / 100) ? 'dash.says.equal' : gap > 0 ? 'dash.says.above' : 'dash.says.below', { target });
}

/**
 * "If the rate stays where it is, about N more responses would settle it" (analytics/settle.ts), N
 * rounded for people; on the target, or past ten times the responses so far, the card says why not.
 */
export function settleText(ind: IndicatorResult, lang: Lang, t: Translate): string {
  if (ind.verdict !== 'inconclusive') return '';
  if (ind.settle === null || ind.settle.reason === 'on-target') return t('dash.settle.never');
  if (ind.settle.more === null) return t('dash.settle.far');
  return t(ind.settle.towards === 'met' ? 'dash.settle.met' : 'dash.settle.not_met', { n: formatCount(roundForPeople(ind.settle.more), lang) });
}

/**
 * Beside a composite (SIPAS index, item rate): the share of criterion answers "Không ý kiến" and the
 * value if all of them were dissatisfied (analytics/no-opinion.ts); and, when the verdict is "met"
 * but that value is not above the target, a warning in words. Empty for the overall rate.
 */
export function noOpinionWords(ind: IndicatorResult, lang: Lang, t: Translate): { line: string; warning: string } {
  if (ind.noOpinionShare === null || ind.valueIfNoOpinionDissatisfied === null) return { line: '', warning: '' };
  const index = ind.measure === 'sipas_index';
  const worst = formatPercent(ind.valueIfNoOpinionDissatisfied, lang);
  const line = t(index ? 'noopinion.line.index' : 'noopinion.line.rate', { share: formatPercent(ind.noOpinionShare, lang), worst });
  const warning =
    ind.worstCaseFailsTarget && ind.target !== null
      ? t(index ? 'noopinion.warning.index' : 'noopinion.warning.rate', { worst, target: formatPercent(ind.target / 100, lang, 0) })
      : '';
  return { line, warning };
}

/** The public page's verdict: plain words for citizens, none where the figure is not judged. */
export function publicVerdictText(v: Verdict | null, target: string, t: Translate): string {
  return v === null || v === 'insufficient' ? t('public.verdict.none') : t(`public.verdict.${v}`, { target });
}
