import { describe, expect, it } from 'vitest';
import type { ReportContext } from './context.ts';
import { parseFilters } from './filters.ts';

const ctx = {
  units: [{ id: 7, code: '16681', name: 'Phường Thành Vinh', kind: 'ward', parent_id: 1, active: 1, created_at: '' }],
  fields: [{ id: 3, code: 'dat-dai', name_vi: 'Đất đai', name_en: 'Land', field_group: 'tthc', position: 0 }],
  desks: [{ id: 11, name: 'Quầy 1', code: 'Q1', unitId: 7, unitName: 'Phường Thành Vinh' }],
} as unknown as ReportContext;
const today = '2025-08-20';

function period(query: Record<string, string>) {
  const result = parseFilters(query, today, ctx);
  if (!result.ok) throw new Error(result.message);
  return { preset: result.filters.preset, ...result.filters.period };
}

describe('the period in the dashboard form (which works without JavaScript)', () => {
  it('defaults to this year', () => {
    expect(period({})).toEqual({ preset: 'year', from: '2025-01-01', to: '2025-08-20' });
  });

  it('a newly chosen preset wins over the dates the form still shows', () => {
    expect(period({ period: 'month', from: '2025-01-01', to: '2025-08-20', shown: '2025-01-01_2025-08-20' })).toEqual({
      preset: 'month',
      from: '2025-08-01',
      to: '2025-08-20',
    });
  });

  it('dates changed by hand win over the preset still selected', () => {
    expect(period({ period: 'year', from: '2025-03-01', to: '2025-03-31', shown: '2025-01-01_2025-08-20' })).toEqual({
      preset: 'custom',
      from: '2025-03-01',
      to: '2025-03-31',
    });
  });

  it('a bookmarked link with only dates, or only a quarter', () => {
    expect(period({ from: '2025-02-01', to: '2025-02-28' })).toEqual({ preset: 'custom', from: '2025-02-01', to: '2025-02-28' });
    expect(period({ period: '2025-Q1' })).toEqual({ preset: '2025-Q1', from: '2025-01-01', to: '2025-03-31' });
  });

  it('bad input is an error with a message, never a guess', () => {
    expect(parseFilters({ from: '2025-02-01' }, today, ctx)).toEqual({ ok: false, field: 'to', message: 'filter.error.partial' });
    expect(parseFilters({ from: '2025-02-30', to: '2025-03-01' }, today, ctx)).toEqual({ ok: false, field: 'from', message: 'filter.error.date', params: { value: '2025-02-30' } });
    expect(parseFilters({ from: '2025-03-02', to: '2025-03-01' }, today, ctx)).toEqual({ ok: false, field: 'from', message: 'filter.error.order' });
    expect(parseFilters({ unit: '99999' }, today, ctx)).toEqual({ ok: false, field: 'unit', message: 'filter.error.unknown', params: { name: '99999' } });
    expect(parseFilters({ channel: 'fax' }, today, ctx)).toMatchObject({ ok: false, message: 'filter.error.unknown' });
    // A quarter or preset that does not exist is refused, not read as the year so far.
    for (const value of ['2026-Q5', '2026-Q0', 'tuan', '2026']) {
      expect(parseFilters({ period: value }, today, ctx)).toEqual({ ok: false, field: 'from', message: 'filter.error.period', params: { value } });
    }
  });

  it('unit, field, desk, channel and suspect are read by their codes', () => {
    const result = parseFilters({ unit: '16681', field: 'dat-dai', desk: '11', channel: 'kiosk', suspect: '1' }, today, ctx);
    expect(result).toMatchObject({ ok: true, filters: { unitId: 7, fieldId: 3, deskId: 11, channel: 'kiosk', includeSuspect: true } });
  });
});

describe('refusals name the field, so the dashboard can put the message next to it', () => {
  const refusal = (query: Record<string, string>, format: 'iso' | 'person' = 'person') => {
    const result = parseFilters(query, today, ctx, format);
    return result.ok ? null : { field: result.field, message: result.message };
  };

  it('a day that does not exist, an end before the start, a missing day, an unknown unit', () => {
    expect(refusal({ from: '30/02/2025', to: '31/03/2025' })).toEqual({ field: 'from', message: 'filter.error.date.person' });
    expect(refusal({ from: '01/03/2025', to: '31/13/2025' })).toEqual({ field: 'to', message: 'filter.error.date.person' });
    expect(refusal({ from: '01/04/2025', to: '31/03/2025' })).toEqual({ field: 'from', message: 'filter.error.order' });
    expect(refusal({ period: 'custom', from: '01/04/2025' })).toEqual({ field: 'to', message: 'filter.error.partial' });
    expect(refusal({ unit: 'khong-co' })).toEqual({ field: 'unit', message: 'filter.error.unknown' });
  });

  it('the API and exports read ISO days only; the dashboard reads dd/mm/yyyy and ISO alike', () => {
    expect(refusal({ from: '01/04/2025', to: '30/06/2025' }, 'iso')).toEqual({ field: 'from', message: 'filter.error.date' });
    expect(period({ from: '2025-04-01', to: '2025-06-30' })).toEqual({ preset: 'custom', from: '2025-04-01', to: '2025-06-30' });
    const typed = parseFilters({ from: '1/4/2025', to: '30/06/2025', shown: '01/01/2025_20/08/2025', period: 'year' }, today, ctx, 'person');
    expect(typed.ok && typed.filters.period).toEqual({ from: '2025-04-01', to: '2025-06-30' });
    // Dates left as the form showed them follow a newly chosen preset.
    const untouched = parseFilters({ from: '01/01/2025', to: '20/08/2025', shown: '01/01/2025_20/08/2025', period: 'month' }, today, ctx, 'person');
    expect(untouched.ok && untouched.filters.period).toEqual({ from: '2025-08-01', to: '2025-08-20' });
  });
});
