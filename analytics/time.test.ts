import { describe, expect, it } from 'vitest';
import { addDays, formatDay, isValidDay, localDay, localTimestamp, monthOf, quarterOf, startOfLocalDay } from './time.ts';

describe('days in Asia/Ho_Chi_Minh', () => {
  it('a UTC evening is already the next day in Vinh', () => {
    expect(localDay(new Date('2025-12-31T16:59:59Z'))).toBe('2025-12-31');
    expect(localDay(new Date('2025-12-31T17:00:00Z'))).toBe('2026-01-01');
  });

  it('does not depend on the server TZ (tests run with TZ=America/New_York)', () => {
    expect(process.env.TZ).toBe('America/New_York');
    expect(localDay(new Date('2025-03-09T06:30:00Z'))).toBe('2025-03-09');
  });

  it('writes an instant as local time with its offset (what the CSV export shows)', () => {
    expect(localTimestamp(new Date('2025-06-15T03:00:00.123Z'))).toBe('2025-06-15T10:00:00+07:00');
    expect(localTimestamp(new Date('2025-12-31T17:30:00Z'))).toBe('2026-01-01T00:30:00+07:00');
  });

  it('months, quarters and the start of a day', () => {
    expect(monthOf('2025-07-01')).toBe('2025-07');
    expect(quarterOf('2025-03-31')).toBe('2025-Q1');
    expect(quarterOf('2025-04-01')).toBe('2025-Q2');
    expect(quarterOf('2025-12-31')).toBe('2025-Q4');
    expect(startOfLocalDay('2025-01-01').toISOString()).toBe('2024-12-31T17:00:00.000Z');
  });

  it('formats dd/mm/yyyy for people and validates ISO days', () => {
    expect(formatDay('2025-07-01')).toBe('01/07/2025');
    expect(addDays('2025-02-28', 1)).toBe('2025-03-01');
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(isValidDay('2025-02-29')).toBe(false);
    expect(isValidDay('2025-13-01')).toBe(false);
    expect(isValidDay('2025-06-15')).toBe(true);
  });
});
