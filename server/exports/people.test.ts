/** The people's cells: rounded as people round, days and times day first, counts kept whole in a column of percentages. */
import { describe, expect, it } from 'vitest';
import { VIETNAMESE_CSV } from './csv.ts';
import { peopleCsvCell, roundFor, xlsxFormatOf, xlsxValue } from './people.ts';

describe('cells for people', () => {
  it('percentages to one decimal, half away from zero; counts whole', () => {
    expect(roundFor('percent', 66.66666666666667)).toBe(66.7);
    expect(roundFor('percent', 88.25)).toBe(88.3);
    expect(roundFor('percent', -0.05)).toBe(-0.1);
    expect(roundFor('int', 12.5)).toBe(13);
    expect(peopleCsvCell(88.3495145631068, 'percent', VIETNAMESE_CSV)).toBe('88,3');
    expect(peopleCsvCell(100, 'percent', VIETNAMESE_CSV)).toBe('100');
  });

  it('days and times as dd/mm/yyyy in the CSV, dates in the workbook', () => {
    expect(peopleCsvCell('2025-06-01', 'day', VIETNAMESE_CSV)).toBe('01/06/2025');
    expect(peopleCsvCell('2025-06-15T17:05:09+07:00', 'time', VIETNAMESE_CSV)).toBe('15/06/2025 17:05:09');
    expect(xlsxValue('2025-06-01', 'day')).toEqual(new Date(Date.UTC(2025, 5, 1)));
    expect(xlsxValue('2025-06-15T17:05:09+07:00', 'time')).toEqual(new Date(Date.UTC(2025, 5, 15, 17, 5, 9)));
  });

  it('a percentage is a share in the workbook; a count in a column of percentages keeps its own format', () => {
    expect(xlsxValue(87.5, 'percent')).toBe(0.875);
    const backlog = { kind: 'int' as const, value: 3 };
    expect(xlsxValue(backlog, 'percent')).toBe(3);
    expect(xlsxFormatOf(backlog, 'percent')).toBe('General');
    expect(peopleCsvCell(backlog, 'percent', VIETNAMESE_CSV)).toBe('3');
  });
});
