/**
 * The dashboard's and the API's filters, from the query string: period (preset or from/to),
 * unit (code), field (code), desk (id), channel, suspect. Scope is checked separately, against
 * the session's user, never taken from here.
 */
import { PERIOD_PRESETS, type Period, type PeriodPreset, presetPeriod, quarterPeriod } from '../../analytics/periods.ts';
import { isValidDay } from '../../analytics/time.ts';
import type { Channel } from '../../db/schema.ts';
import type { MessageKey } from '../i18n/index.ts';
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

export type FilterResult = { ok: true; filters: Filters } | { ok: false; message: MessageKey; params?: Record<string, string> };

export const DEFAULT_PRESET: PeriodPreset = 'year';

function text(value: unknown): string {
  return typeof value === 'string' ? value.trim() : '';
}

export function parseFilters(query: Record<string, unknown>, today: string, ctx: ReportContext): FilterResult {
  const from = text(query.from);
  const to = text(query.to);
  const presetParam = text(query.period);
  const quarter = quarterPeriod(presetParam, today);
  const isPreset = PERIOD_PRESETS.includes(presetParam as PeriodPreset) || quarter !== null;
  // The form sends the dates it showed in `shown`: dates changed by hand win over the preset
  // still selected next to them, and an untouched pair follows a newly chosen preset.
  const shown = text(query.shown);
  const datesEdited = shown !== '' && shown !== `${from}_${to}`;
  let preset: Filters['preset'] = isPreset ? (presetParam as Filters['preset']) : DEFAULT_PRESET;
  let period: Period;
  if (quarter && !datesEdited) {
    period = quarter;
  } else if ((!isPreset || datesEdited) && (from !== '' || to !== '' || presetParam === 'custom')) {
    if (from === '' || to === '') return { ok: false, message: 'filter.error.partial' };
    if (!isValidDay(from) || !isValidDay(to)) return { ok: false, message: 'filter.error.date' };
    if (from > to) return { ok: false, message: 'filter.error.order' };
    preset = 'custom';
    period = { from, to };
  } else {
    period = presetPeriod(isPreset && !quarter ? (presetParam as PeriodPreset) : DEFAULT_PRESET, today);
    if (!isPreset || quarter) preset = DEFAULT_PRESET;
  }

  const unitCode = text(query.unit);
  const unit = unitCode === '' ? null : ctx.units.find((u) => u.code === unitCode);
  if (unit === undefined) return { ok: false, message: 'filter.error.unknown', params: { name: unitCode } };

  const fieldCode = text(query.field);
  const field = fieldCode === '' ? null : ctx.fields.find((f) => f.code === fieldCode);
  if (field === undefined) return { ok: false, message: 'filter.error.unknown', params: { name: fieldCode } };

  const deskParam = text(query.desk);
  const desk = deskParam === '' ? null : ctx.desks.find((d) => String(d.id) === deskParam);
  if (desk === undefined) return { ok: false, message: 'filter.error.unknown', params: { name: deskParam } };

  const channelParam = text(query.channel);
  if (channelParam !== '' && !CHANNELS.includes(channelParam as Channel)) {
    return { ok: false, message: 'filter.error.unknown', params: { name: channelParam } };
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
