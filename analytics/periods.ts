/** Reporting periods as inclusive ranges of local days ('YYYY-MM-DD', Asia/Ho_Chi_Minh). */
import { addDays } from './time.ts';

export interface Period {
  from: string;
  to: string;
}

export type PeriodPreset = 'month' | 'quarter' | 'year' | '12m';
export const PERIOD_PRESETS: readonly PeriodPreset[] = ['month', 'quarter', 'year', '12m'];

function firstOfMonth(year: number, month: number): string {
  const d = new Date(Date.UTC(year, month - 1, 1));
  return d.toISOString().slice(0, 10);
}

/** The preset period that contains `today`, ending today. */
export function presetPeriod(preset: PeriodPreset, today: string): Period {
  const year = Number(today.slice(0, 4));
  const month = Number(today.slice(5, 7));
  switch (preset) {
    case 'month':
      return { from: firstOfMonth(year, month), to: today };
    case 'quarter':
      return { from: firstOfMonth(year, Math.floor((month - 1) / 3) * 3 + 1), to: today };
    case 'year':
      return { from: `${year}-01-01`, to: today };
    case '12m':
      return { from: firstOfMonth(year, month - 11), to: today };
  }
}

export function daysIn(period: Period): number {
  return Math.round((Date.parse(period.to) - Date.parse(period.from)) / 86_400_000) + 1;
}

/** The period of the same length that ends the day before this one starts. */
export function previousPeriod(period: Period): Period {
  const length = daysIn(period);
  return { from: addDays(period.from, -length), to: addDays(period.from, -1) };
}

/** Every month 'YYYY-MM' that the period touches, in order. */
export function monthsOf(period: Period): string[] {
  const months: string[] = [];
  let year = Number(period.from.slice(0, 4));
  let month = Number(period.from.slice(5, 7));
  const last = period.to.slice(0, 7);
  for (;;) {
    const key = `${year}-${String(month).padStart(2, '0')}`;
    months.push(key);
    if (key >= last || months.length > 600) break;
    month++;
    if (month > 12) {
      month = 1;
      year++;
    }
  }
  return months;
}

/** A calendar quarter 'YYYY-Qn' as local days; a quarter still running ends today. */
export function quarterPeriod(quarter: string, today: string): Period | null {
  const match = /^(\d{4})-Q([1-4])$/.exec(quarter);
  if (!match) return null;
  const year = Number(match[1]);
  const q = Number(match[2]);
  const from = `${year}-${String((q - 1) * 3 + 1).padStart(2, '0')}-01`;
  const end = new Date(Date.UTC(year, q * 3, 0)).toISOString().slice(0, 10);
  if (from > today) return null;
  return { from, to: end < today ? end : today };
}

/** The quarter containing `today` and the `count - 1` before it, newest first. */
export function recentQuarters(today: string, count: number): string[] {
  let year = Number(today.slice(0, 4));
  let q = Math.floor((Number(today.slice(5, 7)) - 1) / 3) + 1;
  const list: string[] = [];
  for (let i = 0; i < count; i++) {
    list.push(`${year}-Q${q}`);
    q--;
    if (q === 0) {
      q = 4;
      year--;
    }
  }
  return list;
}

function lastDayOfMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** A local day n months earlier (n may be negative); the last day of a month stays the last day. */
export function shiftMonths(day: string, n: number): string {
  const year = Number(day.slice(0, 4));
  const month = Number(day.slice(5, 7));
  const date = Number(day.slice(8, 10));
  const index = year * 12 + (month - 1) - n;
  const y = Math.floor(index / 12);
  const m = (index % 12) + 1;
  const last = lastDayOfMonth(y, m);
  const d = date === lastDayOfMonth(year, month) ? last : Math.min(date, last);
  return `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/**
 * The twelve months that end on `to`, whole: from the day after the same day a year earlier (the
 * precision pool, figures/precision.ts). Not the '12m' preset, which starts on the first of a month
 * and so runs 11 to 12 months (issue 18).
 */
export function twelveMonthsEnding(to: string): Period {
  return { from: addDays(shiftMonths(to, 12), 1), to };
}

/**
 * What a period is compared with: the same days one calendar unit earlier for the presets
 * (this month against last month, a quarter against the quarter before, this year against the
 * same days of last year), and the same number of days just before for a custom range.
 */
export function comparisonPeriod(period: Period, unitMonths: number | null): Period {
  if (unitMonths === null) return previousPeriod(period);
  return { from: shiftMonths(period.from, unitMonths), to: shiftMonths(period.to, unitMonths) };
}

export interface Span {
  /** 'month' spans are read from the monthly rollups ('YYYY-MM' bounds), 'day' spans from the daily ones. */
  grain: 'day' | 'month';
  from: string;
  to: string;
}

/**
 * Splits a period into whole months and the partial days at either end, so sums over a long
 * period read the small monthly rollups and only the ragged edges read daily rows.
 */
export function rollupSpans(period: Period): Span[] {
  const fromMonth = period.from.slice(0, 7);
  const toMonth = period.to.slice(0, 7);
  const startsOnFirst = period.from.endsWith('-01');
  const endsOnLast = period.to === lastDayOf(toMonth);
  const firstWhole = startsOnFirst ? fromMonth : nextMonth(fromMonth);
  const lastWhole = endsOnLast ? toMonth : previousMonth(toMonth);
  if (firstWhole > lastWhole) return [{ grain: 'day', ...period }];
  const spans: Span[] = [];
  if (!startsOnFirst) spans.push({ grain: 'day', from: period.from, to: lastDayOf(fromMonth) });
  spans.push({ grain: 'month', from: firstWhole, to: lastWhole });
  if (!endsOnLast) spans.push({ grain: 'day', from: `${toMonth}-01`, to: period.to });
  return spans;
}

function lastDayOf(month: string): string {
  const day = lastDayOfMonth(Number(month.slice(0, 4)), Number(month.slice(5, 7)));
  return `${month}-${String(day).padStart(2, '0')}`;
}

function nextMonth(month: string): string {
  return shiftMonths(`${month}-01`, -1).slice(0, 7);
}

function previousMonth(month: string): string {
  return shiftMonths(`${month}-01`, 1).slice(0, 7);
}

/** Exactly one whole calendar month, or one whole calendar quarter (January, April, July, October). */
function isWholeMonthOrQuarter(period: Period): boolean {
  if (!period.from.endsWith('-01') || period.to !== lastDayOf(period.to.slice(0, 7))) return false;
  const start = Number(period.from.slice(0, 4)) * 12 + Number(period.from.slice(5, 7)) - 1;
  const end = Number(period.to.slice(0, 4)) * 12 + Number(period.to.slice(5, 7)) - 1;
  const months = end - start + 1;
  return months === 1 || (months === 3 && start % 3 === 0);
}

/**
 * Whether verdicts on `period`, viewed on the local day `today`, are provisional ("tạm tính": read
 * from the 99.9% interval, analytics/verdict.ts) rather than final (95%). The one rule every surface
 * uses: the dashboard, the printable report, the API, the exports and the public page.
 *
 * A period is final only when it has ended (its last day is before today) AND either
 *   - its last day lies in a calendar year that has ended, or
 *   - it is exactly one whole calendar month or quarter (published once, never re-looked as it grows).
 * Everything else is provisional: the year, a quarter or a month to date, the last 12 months, and
 * any other range ending inside the running year — even one that ended yesterday or at the end of
 * last month, because "1 January to yesterday" looked at again every month is the same growing
 * figure looked at again and again, which is what the 99.9% rule guards against (issue 18: at 95%,
 * a true value on the target was called "met" at some look in 7.0–10.2% of years that way).
 */
export function isProvisional(period: Period, today: string): boolean {
  if (period.to >= today) return true;
  if (period.to.slice(0, 4) < today.slice(0, 4)) return false;
  return !isWholeMonthOrQuarter(period);
}
