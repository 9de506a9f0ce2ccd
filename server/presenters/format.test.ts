import { describe, expect, it } from 'vitest';
import { formatCount, parsePersonDay, roundForPeople } from './format.ts';

describe('numbers and days for people', () => {
  it('rounds an estimate of responses the way people say it: exact below 100, else two significant figures', () => {
    expect(roundForPeople(57)).toBe(57);
    expect(roundForPeople(143)).toBe(140);
    expect(roundForPeople(1_234)).toBe(1_200);
    expect(formatCount(roundForPeople(168_978), 'vi')).toBe('170.000');
    expect(formatCount(roundForPeople(415_553), 'vi')).toBe('420.000');
    expect(roundForPeople(995)).toBe(1_000);
  });

  it('reads a day typed as dd/mm/yyyy, with . or - between (a phone number pad has no /), or ISO', () => {
    expect(parsePersonDay('26/11/2026')).toBe('2026-11-26');
    expect(parsePersonDay('1/4/2025')).toBe('2025-04-01');
    expect(parsePersonDay('30.06.2025')).toBe('2025-06-30');
    expect(parsePersonDay('30-06-2025')).toBe('2025-06-30');
    expect(parsePersonDay('2025-06-30')).toBe('2025-06-30');
    expect(parsePersonDay('30/02/2025')).toBeNull();
    expect(parsePersonDay('11/26/2026')).toBeNull();
  });
});
