import { describe, expect, it } from 'vitest';
import { comparisonPeriod, daysIn, isProvisional, monthsOf, presetPeriod, previousPeriod, quarterPeriod, recentQuarters, rollupSpans, shiftMonths, twelveMonthsEnding } from './periods.ts';

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

describe('whether verdicts on a period are provisional (99.9%) or final (95%): one rule for every surface', () => {
  const today = '2026-12-04';
  it('a period not yet ended is provisional: this month, this quarter, the year and the last 12 months so far, a range ending today or later', () => {
    for (const preset of ['month', 'quarter', 'year', '12m'] as const) expect(isProvisional(presetPeriod(preset, today), today), preset).toBe(true);
    expect(isProvisional({ from: '2026-10-01', to: '2026-12-31' }, today)).toBe(true);
    expect(isProvisional({ from: '2025-04-01', to: '2025-06-30' }, '2025-06-30')).toBe(true);
    expect(isProvisional({ from: '2026-12-01', to: '2026-12-31' }, '2026-12-31')).toBe(true);
  });

  it('a custom range ending inside the running year is provisional, even yesterday, last week or at the end of last month', () => {
    expect(isProvisional({ from: '2026-01-01', to: '2026-12-03' }, today)).toBe(true);
    expect(isProvisional({ from: '2026-01-01', to: '2026-11-27' }, today)).toBe(true);
    // "1 January to the end of last month", looked at again every month.
    expect(isProvisional({ from: '2026-01-01', to: '2026-11-30' }, today)).toBe(true);
    // A half year, two months, a rolling 12 months: not one month or quarter.
    expect(isProvisional({ from: '2026-01-01', to: '2026-06-30' }, today)).toBe(true);
    expect(isProvisional({ from: '2026-09-01', to: '2026-10-31' }, today)).toBe(true);
    expect(isProvisional({ from: '2025-12-01', to: '2026-11-30' }, today)).toBe(true);
    // Three whole months that are not a calendar quarter; a quarter missing its first day.
    expect(isProvisional({ from: '2026-02-01', to: '2026-04-30' }, today)).toBe(true);
    expect(isProvisional({ from: '2026-07-02', to: '2026-09-30' }, today)).toBe(true);
    // A month that crosses from last year into this one.
    expect(isProvisional({ from: '2025-12-01', to: '2026-01-31' }, today)).toBe(true);
  });

  it('a closed calendar month or quarter of the running year is final', () => {
    expect(isProvisional({ from: '2026-11-01', to: '2026-11-30' }, today)).toBe(false);
    expect(isProvisional({ from: '2026-02-01', to: '2026-02-28' }, today)).toBe(false);
    expect(isProvisional({ from: '2026-07-01', to: '2026-09-30' }, today)).toBe(false);
    expect(isProvisional(quarterPeriod('2026-Q3', today) ?? { from: '', to: '9999' }, today)).toBe(false);
    expect(isProvisional({ from: '2025-04-01', to: '2025-06-30' }, '2025-07-01')).toBe(false);
  });

  it('the same custom range once its year has closed is final', () => {
    expect(isProvisional({ from: '2026-01-01', to: '2026-12-03' }, '2027-01-01')).toBe(false);
    expect(isProvisional({ from: '2026-01-01', to: '2026-06-30' }, '2027-01-05')).toBe(false);
    expect(isProvisional({ from: '2025-12-05', to: '2026-12-03' }, '2027-01-05')).toBe(false);
    // The whole year, viewed on its last day, is still running.
    expect(isProvisional({ from: '2026-01-01', to: '2026-12-31' }, '2026-12-31')).toBe(true);
    expect(isProvisional({ from: '2026-01-01', to: '2026-12-31' }, '2027-01-01')).toBe(false);
  });
});

describe('the precision pool’s twelve months (issue 18: the "12 months" ran 11 to 12)', () => {
  it('are whole: 365 or 366 days ending on the view’s last day, whatever the day of the month', () => {
    expect(twelveMonthsEnding('2026-12-04')).toEqual({ from: '2025-12-05', to: '2026-12-04' });
    expect(twelveMonthsEnding('2026-11-30')).toEqual({ from: '2025-12-01', to: '2026-11-30' });
    expect(twelveMonthsEnding('2028-02-29')).toEqual({ from: '2027-03-01', to: '2028-02-29' });
    for (const to of ['2026-01-01', '2026-06-15', '2026-12-31', '2028-02-29', '2027-03-01']) {
      expect([365, 366]).toContain(daysIn(twelveMonthsEnding(to)));
    }
    // The '12m' preset, for people, still starts on the first of a month.
    expect(daysIn(presetPeriod('12m', '2026-12-04'))).toBe(338);
  });
});
