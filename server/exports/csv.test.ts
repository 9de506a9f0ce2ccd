import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { csvCell, csvLine, STANDARD_CSV, VIETNAMESE_CSV } from './csv.ts';

const read = (text: string, delimiter = ','): string[][] => parse(text, { delimiter });

describe('csv cells', () => {
  it('quotes separators, quotes and line breaks (RFC 4180) and a parser gets the text back', () => {
    const comment = 'Cán bộ nói "sẽ gọi lại", nhưng không gọi;\nchờ 2 tuần';
    const line = csvLine(['x', comment, 3], STANDARD_CSV);
    expect(line).toBe('x,"Cán bộ nói ""sẽ gọi lại"", nhưng không gọi;\nchờ 2 tuần",3\r\n');
    expect(read(line)).toEqual([['x', comment, '3']]);
    // With ';' between cells, the ';' in the text is what needs the quotes.
    expect(read(csvLine(['a;b', 'c,d'], VIETNAMESE_CSV), ';')).toEqual([['a;b', 'c,d']]);
  });

  it('turns combining Vietnamese (NFD) into precomposed (NFC)', () => {
    const nfd = 'Thái độ phục vụ'.normalize('NFD');
    expect(nfd).not.toBe('Thái độ phục vụ');
    expect(csvCell(nfd, STANDARD_CSV)).toBe('Thái độ phục vụ');
  });

  it.each([
    ['=HYPERLINK("http://x","bấm")', `"'=HYPERLINK(""http://x"",""bấm"")"`],
    ['+1+2', "'+1+2"],
    ['-2+3', "'-2+3"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['\t=1+1', "'\t=1+1"],
    ['\r=1+1', `"'\r=1+1"`],
    ['＝HYPERLINK("http://x")', `"'＝HYPERLINK(""http://x"")"`],
    ['＋cmd', "'＋cmd"],
    ['－1', "'－1"],
    ['＠SUM(A1)', "'＠SUM(A1)"],
  ])('neutralises a cell starting like a formula: %j', (text, cell) => {
    expect(csvCell(text, STANDARD_CSV)).toBe(cell);
  });

  it('leaves numbers, and text that is just a negative number, as numbers', () => {
    expect(csvCell(-12.5, STANDARD_CSV)).toBe('-12.5');
    expect(csvCell('-12.5', STANDARD_CSV)).toBe('-12.5');
    expect(csvCell('-3', STANDARD_CSV)).toBe('-3');
    expect(csvCell(88.3495145631068, STANDARD_CSV)).toBe('88.3495145631068');
  });

  it('format=vn writes decimal commas', () => {
    expect(csvCell(88.3495145631068, VIETNAMESE_CSV)).toBe('88,3495145631068');
    expect(csvLine([1.5, 'x', null], VIETNAMESE_CSV)).toBe('1,5;x;\r\n');
  });
});
