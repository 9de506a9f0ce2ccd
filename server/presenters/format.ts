/** Numbers and dates for people: Vietnamese uses a decimal comma and a dot for thousands. */
import { formatDay } from '../../analytics/time.ts';
import type { Interval } from '../../analytics/proportion.ts';
import type { Lang } from '../i18n/index.ts';

const locales: Record<Lang, string> = { vi: 'vi-VN', en: 'en-GB' };

export function formatPercent(share: number | null, lang: Lang, digits = 1): string {
  if (share === null) return '—';
  return (share * 100).toLocaleString(locales[lang], { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

export function formatCount(n: number, lang: Lang): string {
  return n.toLocaleString(locales[lang]);
}

export function formatInterval(ci: Interval | null, lang: Lang): string {
  if (!ci) return '—';
  return `${formatPercent(ci.low, lang)}–${formatPercent(ci.high, lang)}%`;
}

export { formatDay };

/** 'YYYY-MM' as 'mm/yyyy'. */
export function formatMonth(month: string): string {
  return `${month.slice(5, 7)}/${month.slice(0, 4)}`;
}

/** A percentage rounded for a chart axis: charts show shape, tables show the exact numbers. */
export function chartPercent(share: number | null): number | null {
  return share === null ? null : Math.round(share * 1000) / 10;
}
