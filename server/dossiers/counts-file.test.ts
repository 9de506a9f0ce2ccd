/**
 * The dossier counts reader as the people who export these files would notice it: what Excel in
 * Vietnam saves (BOM, semicolons, dd/mm/yyyy, Vietnamese headers in another order, CRLF) reads as
 * the same rows as a plain ISO file, and every refusal names its line and writes no row.
 */
import { describe, expect, it } from 'vitest';
import { type CountsLine, type CountsProblem, CountsReader, parseChannel, parseDay, readCountsFile } from './counts-file.ts';

const bytes = (text: string) => new TextEncoder().encode(text);

const PLAIN = [
  'day,unit,desk,field,channel,received,resolved,on_time,late,apologised,backlog,complaints',
  '2026-11-02,16681,Q1,dat-dai,in_person,12,10,9,1,1,0,0',
  '2026-11-02,16681,Q1,dat-dai,online,30,28,28,0,0,2,1',
  '2026-11-03,16681,Q2,tu-phap-ho-tich,post,3,3,2,1,0,0,0',
].join('\n');

// The same rows as Excel saves them in Vietnam: BOM, semicolons, CRLF, Vietnamese headers in
// another order, dd/mm/yyyy days, channel words with accents (and one as QĐ 766's number).
const EXCEL =
  '\uFEFF' +
  [
    'Mã quầy;Ngày;Mã đơn vị;Mã lĩnh vực;Kênh;Tiếp nhận;Đã giải quyết;Đúng hạn;Quá hạn;Đã xin lỗi;Tồn quá hạn;Phản ánh kiến nghị',
    'Q1;02/11/2026;16681;dat-dai;Trực tiếp;12;10;9;1;1;0;0',
    'Q1;2/11/2026;16681;dat-dai;trực tuyến;30;28;28;0;0;2;1',
    'Q2;03/11/2026;16681;tu-phap-ho-tich;3;3;3;2;1;0;0;0',
    '',
  ].join('\r\n');

function problemsOf(text: string): CountsProblem[] {
  return readCountsFile(bytes(text)).problems;
}

describe('reading a file of dossier counts', () => {
  it('reads the Excel-saved variant as the same rows as the plain one', () => {
    const plain = readCountsFile(bytes(PLAIN));
    const excel = readCountsFile(bytes(EXCEL));
    expect(plain.problems).toEqual([]);
    expect(excel.problems).toEqual([]);
    expect(plain.lines).toHaveLength(3);
    expect(excel.lines).toEqual(plain.lines);
    expect(plain.lines[1]).toEqual({
      line: 3, day: '2026-11-02', unit: '16681', desk: 'Q1', field: 'dat-dai', channel: 'online',
      counts: { received: 30, resolved: 28, on_time: 28, late: 0, apologised: 0, backlog: 2, complaints: 1 },
    });
  });

  it('names the line of every refused row; the rows that read well are kept apart for the codes to be checked', () => {
    const header = PLAIN.split('\n')[0];
    const text = [
      header,
      '2026-11-02,16681,Q1,dat-dai,in_person,12,10,9,1,1,0,0', // line 2: fine
      '31/02/2026,16681,Q1,dat-dai,in_person,1,1,1,0,0,0,0', // 3: no such day
      '2026-11-02,16681,Q1,dat-dai,fax,1,1,1,0,0,0,0', // 4: unknown channel
      '2026-11-02,16681,Q1,dat-dai,online,1,-1,0,0,0,0,0', // 5: negative
      '2026-11-02,16681,Q1,dat-dai,post,5,4,3,2,0,0,0', // 6: on time + late > resolved
      '2026-11-02,16681,Q1,dat-dai,post,5,4,3,1,2,0,0', // 7: apologised > late
      '2026-11-02,16681,Q1,dat-dai,post,5,45,40,3,0,0,0', // 8: on time + late < resolved (an "early" column left out)
      '2026-11-02,16681,,dat-dai,online,1,1,1,0,0,0,0', // 9: blank desk
      '2026-11-02,16681,Q1,dat-dai,online', // 10: too few columns
      '2026-11-03,16681,Q1,dat-dai,online,,1,1,0,0,0,0', // 11: blank count
    ].join('\n');
    expect(problemsOf(text)).toEqual([
      { line: 3, code: 'day', value: '31/02/2026' },
      { line: 4, code: 'channel', value: 'fax' },
      { line: 5, code: 'count', column: 'resolved', value: '-1' },
      { line: 6, code: 'resolved-split', onTime: 3, late: 2, resolved: 4 },
      { line: 7, code: 'apologised-late', apologised: 2, late: 1 },
      { line: 8, code: 'resolved-split', onTime: 40, late: 3, resolved: 45 },
      { line: 9, code: 'blank', column: 'desk' },
      { line: 10, code: 'width', expected: 12, found: 5 },
      { line: 11, code: 'blank', column: 'received' },
    ]);
    expect(readCountsFile(bytes(text)).lines.map((l) => l.line)).toEqual([2]);
  });

  it('refuses a header it does not know, a missing column and a file that is not UTF-8, on line 1', () => {
    expect(problemsOf('day,unit,desk,field,channel,received,resolved,on_time,late,apologised,backlog,complaints,note\n2026-11-02,16681,Q1,dat-dai,1,1,1,1,0,0,0,0,x')).toEqual([
      { line: 1, code: 'unknown-column', header: 'note' },
    ]);
    expect(problemsOf('day,unit,desk,field,channel,received,resolved,on_time,late\n2026-11-02,16681,Q1,dat-dai,1,1,1,1,0')).toEqual([
      { line: 1, code: 'missing-columns', columns: ['apologised', 'backlog', 'complaints'] },
    ]);
    // "Ngày" in Windows-1258 (what Excel's plain "CSV" writes) is not UTF-8.
    expect(readCountsFile(new Uint8Array([0x4e, 0x67, 0xe0, 0x79, 0x0a])).problems).toEqual([{ line: 1, code: 'encoding' }]);
    expect(problemsOf(PLAIN.split('\n')[0] ?? '')).toEqual([{ line: 1, code: 'no-rows' }]);
    // Rows left blank (what Excel keeps after deleted rows) are no rows either.
    expect(problemsOf(`${PLAIN.split('\n')[0]}\n,,,,,,,,,,,\n, ,\n\n`)).toEqual([{ line: 1, code: 'no-rows' }]);
    expect(problemsOf('')).toEqual([{ line: 1, code: 'empty' }]);
  });

  it('does not take «Tồn đọng» (every pending dossier) for «Tồn quá hạn» (those past due)', () => {
    const header = PLAIN.split('\n')[0]?.replace('backlog', 'Tồn đọng');
    expect(problemsOf(`${header}\n2026-11-02,16681,Q1,dat-dai,1,1,1,1,0,0,0,0`)).toEqual([
      { line: 1, code: 'unknown-column', header: 'Tồn đọng' },
      { line: 1, code: 'missing-columns', columns: ['backlog'] },
    ]);
    expect(problemsOf(`${PLAIN.split('\n')[0]?.replace('backlog', 'Tồn quá hạn')}\n2026-11-02,16681,Q1,dat-dai,1,1,1,1,0,0,0,0`)).toEqual([]);
  });

  it('reads a header Excel saved with a delimiter at its end ("a;b;c;"), whether the rows have one or not', () => {
    const header = `${EXCEL.split('\r\n')[0]};`;
    const rows = EXCEL.split('\r\n').slice(1, 4);
    const withEnd = readCountsFile(bytes([header, ...rows.map((r) => `${r};`)].join('\r\n')));
    const without = readCountsFile(bytes([header, ...rows].join('\r\n')));
    expect(withEnd.problems).toEqual([]);
    expect(without.problems).toEqual([]);
    expect(withEnd.lines).toEqual(readCountsFile(bytes(PLAIN)).lines);
    expect(without.lines).toEqual(withEnd.lines);
  });

  it('reads the same rows whatever pieces the bytes arrive in, a letter split in two or a quoted cell across pieces', () => {
    const quoted = `${PLAIN}\n2026-11-04,"16681","Q1","dat-dai","in_person","1""0\n",0,0,0,0,0,0\n2026-11-04,16681,"Q,1",dat-dai,online,1,1,1,0,0,0,0`;
    for (const text of [EXCEL, quoted]) {
      const whole = readCountsFile(bytes(text));
      const lines: CountsLine[] = [];
      const problems: CountsProblem[] = [];
      const reader = new CountsReader((l) => lines.push(l), (p) => problems.push(p));
      const all = bytes(text);
      for (let i = 0; i < all.length; i++) reader.push(all.subarray(i, i + 1));
      reader.end();
      expect({ lines, problems }).toEqual(whole);
    }
    // The quoted rows: a doubled quote and a newline inside a cell shift the next line's number.
    expect(problemsOf(quoted)).toEqual([{ line: 5, code: 'count', column: 'received', value: '1"0' }]);
    expect(readCountsFile(bytes(quoted)).lines.at(-1)).toMatchObject({ line: 7, desk: 'Q,1' });
  });

  it('refuses a row with more cells than the header ("1,240" left unquoted), and takes blank extra cells', () => {
    const header = PLAIN.split('\n')[0];
    expect(problemsOf(`${header}\n2026-11-02,16681,MC1,dat-dai,1,1,240,10,9,1,0,0,0`)).toEqual([{ line: 2, code: 'width', expected: 12, found: 13 }]);
    expect(readCountsFile(bytes(`${header}\n2026-11-02,16681,MC1,dat-dai,1,1,1,1,0,0,0,0,,`)).problems).toEqual([]);
  });

  it('reads days and channels the ways people write them', () => {
    expect(parseDay('05/12/2026')).toBe('2026-12-05');
    // Always day first, as Excel writes it in Vietnam: 12/05/2026 is 12 May, never 5 December.
    expect(parseDay('12/05/2026')).toBe('2026-05-12');
    expect(parseDay('05/13/2026')).toBeNull();
    expect(parseDay('5/1/2026')).toBe('2026-01-05');
    expect(parseDay('2026-12-05')).toBe('2026-12-05');
    expect(parseDay('2026-13-01')).toBeNull();
    expect(parseDay('12/05/26')).toBeNull();
    expect(parseChannel('Bưu chính')).toBe('post');
    expect(parseChannel('TRUC TUYEN')).toBe('online');
    expect(parseChannel('1')).toBe('in_person');
    expect(parseChannel('4')).toBeNull();
  });
});
