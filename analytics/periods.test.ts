import { describe, expect, it } from 'vitest';
import { comparisonPeriod, daysIn, hasEnded, monthsOf, presetPeriod, previousPeriod, quarterPeriod, recentQuarters, rollupSpans, shiftMonths } from './periods.ts';

describe('period presets (local days)', () => {
  it('this month, quarter, year and the last 12 months end today', () => {
    expect(presetPeriod('month', '2025-08-20')).toEqual({ from: '2025-08-01', to: '2025-08-20' });
    expect(presetPeriod('quarter', '2025-08-20')).toEqual({ from: '2025-07-01', to: '2025-08-20' });
    expect(presetPeriod('year', '2025-08-20')).toEqual({ from: '2025-01-01', to: '2025-08-20' });
    expect(presetPeriod('12m', '2025-08-20')).toEqual({ from: '2024-09-01', to: '2025-08-20' });
    expect(presetPeriod('12m', '2025-01-05')).toEqual({ from: '2024-02-01', to: '2025-01-05' });
  });

  it('the previous period has the same length and ends the day before', () => {
    expect(previousPeriod({ from: '2025-04-01', to: '2025-06-30' })).toEqual({ from: '2024-12-31', to: '2025-03-31' });
    expect(daysIn({ from: '2025-04-01', to: '2025-06-30' })).toBe(91);
  });

  it('lists the months a period touches, across a year end', () => {
    expect(monthsOf({ from: '2024-11-15', to: '2025-02-01' })).toEqual(['2024-11', '2024-12', '2025-01', '2025-02']);
    expect(monthsOf({ from: '2025-03-01', to: '2025-03-31' })).toEqual(['2025-03']);
  });
});

describe('calendar quarters', () => {
  it('a finished quarter is whole; the running one ends today; a future one does not exist', () => {
    expect(quarterPeriod('2025-Q2', '2025-08-20')).toEqual({ from: '2025-04-01', to: '2025-06-30' });
    expect(quarterPeriod('2025-Q3', '2025-08-20')).toEqual({ from: '2025-07-01', to: '2025-08-20' });
    expect(quarterPeriod('2025-Q4', '2025-08-20')).toBeNull();
    expect(quarterPeriod('2024-Q4', '2025-08-20')).toEqual({ from: '2024-10-01', to: '2024-12-31' });
    expect(quarterPeriod('2025-Q5', '2025-08-20')).toBeNull();
    expect(recentQuarters('2025-02-10', 3)).toEqual(['2025-Q1', '2024-Q4', '2024-Q3']);
  });
});

describe('the period a view is compared with', () => {
  it('shifts presets by whole calendar units, keeping month ends', () => {
    expect(comparisonPeriod({ from: '2026-07-01', to: '2026-09-30' }, 3)).toEqual({ from: '2026-04-01', to: '2026-06-30' });
    expect(comparisonPeriod({ from: '2026-10-01', to: '2026-11-25' }, 3)).toEqual({ from: '2026-07-01', to: '2026-08-25' });
    expect(comparisonPeriod({ from: '2026-01-01', to: '2026-11-25' }, 12)).toEqual({ from: '2025-01-01', to: '2025-11-25' });
    expect(comparisonPeriod({ from: '2026-03-01', to: '2026-03-31' }, 1)).toEqual({ from: '2026-02-01', to: '2026-02-28' });
    expect(comparisonPeriod({ from: '2024-02-01', to: '2024-02-29' }, 12)).toEqual({ from: '2023-02-01', to: '2023-02-28' });
    expect(shiftMonths('2026-05-30', 3)).toBe('2026-02-28');
    expect(shiftMonths('2026-01-15', -1)).toBe('2026-02-15');
  });

  it('a custom range is compared with the same number of days just before it', () => {
    expect(comparisonPeriod({ from: '2025-06-10', to: '2025-06-19' }, null)).toEqual({ from: '2025-05-31', to: '2025-06-09' });
  });
});

describe('rollup spans', () => {
  it('a year to date: whole months from the monthly rollups, this month from the daily ones', () => {
    expect(rollupSpans({ from: '2025-01-01', to: '2025-08-20' })).toEqual([
      { grain: 'month', from: '2025-01', to: '2025-07' },
      { grain: 'day', from: '2025-08-01', to: '2025-08-20' },
    ]);
  });

  it('a whole quarter is three months; ragged ends on both sides are days', () => {
    expect(rollupSpans({ from: '2025-04-01', to: '2025-06-30' })).toEqual([{ grain: 'month', from: '2025-04', to: '2025-06' }]);
    expect(rollupSpans({ from: '2025-03-15', to: '2025-07-10' })).toEqual([
      { grain: 'day', from: '2025-03-15', to: '2025-03-31' },
      { grain: 'month', from: '2025-04', to: '2025-06' },
      { grain: 'day', from: '2025-07-01', to: '2025-07-10' },
    ]);
  });

  it('less than a whole month stays in days, across a month end too', () => {
    expect(rollupSpans({ from: '2025-06-10', to: '2025-06-19' })).toEqual([{ grain: 'day', from: '2025-06-10', to: '2025-06-19' }]);
    expect(rollupSpans({ from: '2025-06-10', to: '2025-07-19' })).toEqual([{ grain: 'day', from: '2025-06-10', to: '2025-07-19' }]);
    expect(rollupSpans({ from: '2024-12-01', to: '2025-01-31' })).toEqual([{ grain: 'month', from: '2024-12', to: '2025-01' }]);
  });
});

describe('whether a period has ended (verdicts before that are provisional)', () => {
  it('ends after its last local day; this month, this quarter and the year so far have not', () => {
    expect(hasEnded({ from: '2025-04-01', to: '2025-06-30' }, '2025-07-01')).toBe(true);
    expect(hasEnded({ from: '2025-04-01', to: '2025-06-30' }, '2025-06-30')).toBe(false);
    expect(hasEnded(presetPeriod('year', '2025-08-20'), '2025-08-20')).toBe(false);
    expect(hasEnded(quarterPeriod('2025-Q2', '2025-08-20') ?? { from: '', to: '9999' }, '2025-08-20')).toBe(true);
  });
});
