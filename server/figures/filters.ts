/**
 * The dashboard's and the API's filters, from the query string: period (preset or from/to),
 * unit (code), field (code), desk (id), channel, suspect. Scope is checked separately, against
 * the session's user, never taken from here.
 */
import { PERIOD_PRESETS, type Period, type PeriodPreset, presetPeriod, quarterPeriod } from '../../analytics/periods.ts';
import { isValidDay } from '../../analytics/time.ts';
import type { Channel } from '../../db/schema.ts';
import type { MessageKey } from '../i18n/index.ts';
import { parsePersonDay } from '../presenters/format.ts';
import type { ReportContext } from './context.ts';

export const CHANNELS: readonly Channel[] = ['qr', 'kiosk', 'web', 'paper'];

export interface Filters {
  /** A preset, 'custom' (from/to), or a calendar quarter 'YYYY-Qn'. */
  preset: PeriodPreset | 'custom' | `${number}-Q${number}`;
  period: Period;
  unitId: number | null;
  fieldId: number | null;
  deskId: number | null;
  channel: Channel | null;
  includeSuspect: boolean;
}

/** The form field a refusal is about, so the dashboard can put the message next to it. */
export type FilterField = 'from' | 'to' | 'unit' | 'field' | 'desk' | 'channel';

export interface FilterProblem {
  field: FilterField;
  message: MessageKey;
  params?: Record<string, string>;
}

export type FilterResult = { ok: true; filters: Filters } | ({ ok: false } & FilterProblem);

/**
 * How days are written in the query: 'iso' (yyyy-mm-dd, the API, exports, the command line and every
 * link the app builds) or 'person' (the dashboard's form: dd/mm/yyyy as typed, ISO still accepted so
 * bookmarks and the app's own links keep working).
 */
export type DayFormat = 'iso' | 'person';

export const DEFAULT_PRESET: PeriodPreset = 'year';

function text(value: unknown): string {
  return typeof value === 'string' ? value.trim() : '';
}

/** Which days a query's from/to name; a day that is not valid stays as typed (to be refused). */
function dayOf(value: string, format: DayFormat): string {
  if (format === 'iso' || value === '') return value;
  return parsePersonDay(value) ?? value;
}

export function parseFilters(query: Record<string, unknown>, today: string, ctx: ReportContext, format: DayFormat = 'iso'): FilterResult {
  const fromText = text(query.from);
  const toText = text(query.to);
  const from = dayOf(fromText, format);
  const to = dayOf(toText, format);
  const presetParam = text(query.period);
  const quarter = quarterPeriod(presetParam, today);
  const isPreset = PERIOD_PRESETS.includes(presetParam as PeriodPreset) || quarter !== null;
  // A period that does not exist ('2026-Q5', 'tuan') is refused, not silently read as the year so far.
  if (presetParam !== '' && !isPreset && presetParam !== 'custom') return { ok: false, field: 'from', message: 'filter.error.period', params: { value: presetParam.slice(0, 40) } };
  // The form sends the dates it showed in `shown`: dates changed by hand win over the preset
  // still selected next to them, and an untouched pair follows a newly chosen preset.
  const shown = text(query.shown);
  const [shownFrom = '', shownTo = ''] = shown.split('_');
  const datesEdited = shown !== '' && (dayOf(shownFrom, format) !== from || dayOf(shownTo, format) !== to);
  let preset: Filters['preset'] = isPreset ? (presetParam as Filters['preset']) : DEFAULT_PRESET;
  let period: Period;
  if (quarter && !datesEdited) {
    period = quarter;
  } else if ((!isPreset || datesEdited) && (from !== '' || to !== '' || presetParam === 'custom')) {
    const dateError: MessageKey = format === 'person' ? 'filter.error.date.person' : 'filter.error.date';
    if (from === '') return { ok: false, field: 'from', message: 'filter.error.partial' };
    if (to === '') return { ok: false, field: 'to', message: 'filter.error.partial' };
    if (!isValidDay(from)) return { ok: false, field: 'from', message: dateError, params: { value: fromText } };
    if (!isValidDay(to)) return { ok: false, field: 'to', message: dateError, params: { value: toText } };
    if (from > to) return { ok: false, field: 'from', message: 'filter.error.order' };
    preset = 'custom';
    period = { from, to };
  } else {
    period = presetPeriod(isPreset && !quarter ? (presetParam as PeriodPreset) : DEFAULT_PRESET, today);
    if (!isPreset || quarter) preset = DEFAULT_PRESET;
  }

  const unitCode = text(query.unit);
  const unit = unitCode === '' ? null : ctx.units.find((u) => u.code === unitCode);
  if (unit === undefined) return { ok: false, field: 'unit', message: 'filter.error.unknown', params: { name: unitCode } };

  const fieldCode = text(query.field);
  const field = fieldCode === '' ? null : ctx.fields.find((f) => f.code === fieldCode);
  if (field === undefined) return { ok: false, field: 'field', message: 'filter.error.unknown', params: { name: fieldCode } };

  const deskParam = text(query.desk);
  const desk = deskParam === '' ? null : ctx.desks.find((d) => String(d.id) === deskParam);
  if (desk === undefined) return { ok: false, field: 'desk', message: 'filter.error.unknown', params: { name: deskParam } };

  const channelParam = text(query.channel);
  if (channelParam !== '' && !CHANNELS.includes(channelParam as Channel)) {
    return { ok: false, field: 'channel', message: 'filter.error.unknown', params: { name: channelParam } };
  }

  return {
    ok: true,
    filters: {
      preset,
      period,
      unitId: unit?.id ?? null,
      fieldId: field?.id ?? null,
      deskId: desk?.id ?? null,
      channel: channelParam === '' ? null : (channelParam as Channel),
      includeSuspect: text(query.suspect) === '1',
    },
  };
}

/** Months between a period and the one it is compared with; null for a custom range (same length before). */
export function comparisonMonths(preset: Filters['preset']): number | null {
  if (preset === 'month') return 1;
  if (preset === 'year' || preset === '12m') return 12;
  if (preset === 'custom') return null;
  return 3; // this quarter, or a calendar quarter
}

/** The query string that reproduces these filters (bookmarkable, shareable). */
export function filtersQuery(f: Filters, ctx: ReportContext, lang: string): URLSearchParams {
  const q = new URLSearchParams();
  if (f.preset === 'custom') {
    q.set('from', f.period.from);
    q.set('to', f.period.to);
  } else q.set('period', f.preset);
  const unit = f.unitId === null ? undefined : ctx.unitById.get(f.unitId);
  if (unit) q.set('unit', unit.code);
  const field = f.fieldId === null ? undefined : ctx.fieldById.get(f.fieldId);
  if (field) q.set('field', field.code);
  if (f.deskId !== null) q.set('desk', String(f.deskId));
  if (f.channel) q.set('channel', f.channel);
  if (f.includeSuspect) q.set('suspect', '1');
  if (lang === 'en') q.set('lang', 'en');
  return q;
}

/** What the dashboard's form shows: the filters, with the days as text (dd/mm/yyyy, or as typed after a refusal). */
export interface FormFilters {
  filters: Filters;
  from: string;
  to: string;
  /** The days the form showed when it was sent (see parseFilters). */
  shown: string;
}

/**
 * After a refusal, the filters to show again around the message: every value the form recognises
 * kept, an unknown one left unselected, the days exactly as typed so they can be corrected.
 */
export function keptFilters(query: Record<string, unknown>, today: string, ctx: ReportContext): FormFilters {
  const presetParam = text(query.period);
  const known = PERIOD_PRESETS.includes(presetParam as PeriodPreset) || quarterPeriod(presetParam, today) !== null || presetParam === 'custom';
  const channel = text(query.channel);
  return {
    filters: {
      preset: known ? (presetParam as Filters['preset']) : DEFAULT_PRESET,
      period: presetPeriod(DEFAULT_PRESET, today),
      unitId: ctx.units.find((u) => u.code === text(query.unit))?.id ?? null,
      fieldId: ctx.fields.find((f) => f.code === text(query.field))?.id ?? null,
      deskId: ctx.desks.find((d) => String(d.id) === text(query.desk))?.id ?? null,
      channel: CHANNELS.includes(channel as Channel) ? (channel as Channel) : null,
      includeSuspect: text(query.suspect) === '1',
    },
    from: text(query.from),
    to: text(query.to),
    shown: text(query.shown),
  };
}
