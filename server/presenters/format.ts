/** Numbers and dates for people: Vietnamese uses a decimal comma and a dot for thousands. */
import { formatDay, isValidDay } from '../../analytics/time.ts';
import type { Interval } from '../../analytics/proportion.ts';
import type { Lang } from '../i18n/index.ts';

const locales: Record<Lang, string> = { vi: 'vi-VN', en: 'en-GB' };

/**
 * One formatter per language and number of digits: toLocaleString builds a new Intl.NumberFormat at
 * every call, which was most of a dashboard's time (a thousand percentages a page).
 */
const formatters = new Map<string, Intl.NumberFormat>();

function formatter(lang: Lang, digits: number | null): Intl.NumberFormat {
  const key = `${lang}|${digits ?? ''}`;
  let f = formatters.get(key);
  if (!f) {
    f = new Intl.NumberFormat(locales[lang], digits === null ? {} : { minimumFractionDigits: digits, maximumFractionDigits: digits });
    formatters.set(key, f);
  }
  return f;
}

export function formatPercent(share: number | null, lang: Lang, digits = 1): string {
  if (share === null) return '—';
  return formatter(lang, digits).format(share * 100);
}

export function formatCount(n: number, lang: Lang): string {
  return formatter(lang, null).format(n);
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

/**
 * A count as people say an estimate: exact below 100, else to two significant figures
 * (168.978 → 170.000, 1.234 → 1.200), so a planning figure does not pretend to precision.
 */
export function roundForPeople(n: number): number {
  if (n < 100) return n;
  const step = 10 ** (Math.floor(Math.log10(n)) - 1);
  return Math.round(n / step) * step;
}

/** A percentage rounded for a chart axis: charts show shape, tables show the exact numbers. */
export function chartPercent(share: number | null): number | null {
  return share === null ? null : Math.round(share * 1000) / 10;
}

/** An instant as people in Vinh read it: 'dd/mm/yyyy hh:mm' in Asia/Ho_Chi_Minh, whatever the server's TZ. */
export function formatDateTime(iso: string, _lang: Lang): string {
  const local = new Date(Date.parse(iso) + 7 * 60 * 60 * 1000).toISOString();
  return `${formatDay(local.slice(0, 10))} ${local.slice(11, 16)}`;
}

/**
 * A local day typed as dd/mm/yyyy (or ISO yyyy-mm-dd), as 'YYYY-MM-DD'; null when it is no real day.
 * '.' and '-' also separate day, month and year: a phone's number pad has no '/'.
 */
export function parsePersonDay(value: string): string | null {
  const vn = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(value.trim());
  const iso = vn ? `${vn[3]}-${vn[2]?.padStart(2, '0')}-${vn[1]?.padStart(2, '0')}` : value.trim();
  return isValidDay(iso) ? iso : null;
}
