/**
 * The files officials open (issue 21, item 5): the .xlsx workbooks read back with exceljs (every
 * sheet, Vietnamese headers and text, numbers as numbers, percentages and days formatted), the
 * format=vn CSV in Vietnamese with rounded values and only the indicators that apply, the standard
 * CSV unchanged, and file names that never collide.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './support/app.ts';
import { buildDesk, shortAnswers, submitSurvey } from './support/builders.ts';
import { sipas } from './support/cli.ts';
import { DIALECTS } from './support/dialects.ts';
import { buildToken, buildUser } from './support/staff.ts';

type Row = Record<string, string>;

function bytes(res: request.Response, done: (error: Error | null, body: Buffer) => void): void {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => done(null, Buffer.concat(chunks)));
}

const records = (body: Buffer, delimiter = ','): Row[] => parse<Row>(body, { bom: true, columns: true, delimiter });

async function workbook(body: Buffer): Promise<ExcelJS.Workbook> {
  const book = new ExcelJS.Workbook();
  await book.xlsx.load(body as unknown as ArrayBuffer);
  return book;
}

/** A sheet as header → cell, one object per row below the header. */
function sheetRows(sheet: ExcelJS.Worksheet): { header: string[]; rows: Map<string, ExcelJS.Cell>[] } {
  const header = (sheet.getRow(1).values as unknown[]).slice(1).map(String);
  const rows: Map<string, ExcelJS.Cell>[] = [];
  for (let r = 2; r <= sheet.rowCount; r++) {
    const row = sheet.getRow(r);
    rows.push(new Map(header.map((h, i) => [h, row.getCell(i + 1)])));
  }
  return { header, rows };
}

const JUNE = 'from=2025-06-01&to=2025-06-30';
const COMMENT = 'Thái độ phục vụ rất tốt, cảm ơn Ủy ban'.normalize('NFD');

describe.each(DIALECTS)('on %s', (dialect) => {
  let t: TestApp;
  let token: string;
  let dir: string;

  const download = (url: string) => request(t.app).get(url).set('Authorization', `Bearer ${token}`).buffer(true).parse(bytes);

  beforeAll(async () => {
    t = await startTestApp(dialect);
    dir = mkdtempSync(join(tmpdir(), 'sipas-xlsx-'));
    const vinh = await buildDesk(t.db, t.ready.secret, { unitCode: '16681' });
    const anhSon = await buildDesk(t.db, t.ready.secret, { unitCode: '17329' });
    for (let i = 0; i < 3; i++) expect((await submitSurvey(t.app, vinh.url, shortAnswers({ comment: COMMENT, overall: String(3 + (i % 3)) }))).status).toBe(303);
    expect((await submitSurvey(t.app, anhSon.url, shortAnswers({ comment: '=1+1' }))).status).toBe(303);
    token = await buildToken(t.db, await buildUser(t.db, 'admin', 'admin', null));
  });
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await t.close();
  });

  it('the standard CSV, the Excel-Vietnamese CSV and the workbook have three different names', async () => {
    const names: string[] = [];
    // One after the other: a server writes at most two files at once.
    for (const path of ['indicators.csv?group=unit', 'indicators.csv?group=unit&format=vn', 'indicators.xlsx?group=unit']) {
      names.push(String((await download(`/export/${path}&${JUNE}`)).headers['content-disposition']));
    }
    expect(names).toEqual([
      'attachment; filename="sipas-indicators-unit-toan-tinh-2025-06-01-2025-06-30.csv"',
      'attachment; filename="sipas-indicators-unit-toan-tinh-2025-06-01-2025-06-30-excel-vn.csv"',
      'attachment; filename="sipas-indicators-unit-toan-tinh-2025-06-01-2025-06-30.xlsx"',
    ]);
  });

  it('responses.xlsx: Vietnamese headers, a frozen header row, days as dates shown dd/mm/yyyy, ratings as numbers, comments whole', async () => {
    const res = await download(`/export/responses.xlsx?${JUNE}`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    const book = await workbook(res.body as Buffer);
    expect(book.worksheets.map((s) => s.name)).toEqual(['Phiếu khảo sát']);
    const sheet = book.worksheets[0]!;
    expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    const { header, rows } = sheetRows(sheet);
    expect(header.slice(0, 4)).toEqual(['Mã phiếu', 'Thời điểm gửi', 'Ngày gửi', 'Mã đơn vị']);
    expect(header).toContain('Góp ý');
    expect(rows).toHaveLength(4);
    const row = rows.find((r) => r.get('Mã đơn vị')?.value === '16681')!;
    const day = row.get('Ngày gửi')!;
    expect(day.value).toBeInstanceOf(Date);
    expect(day.numFmt).toBe('dd/mm/yyyy');
    expect(row.get('Thời điểm gửi')!.numFmt).toBe('dd/mm/yyyy hh:mm:ss');
    expect(row.get('Câu a (0 = Không ý kiến)')!.value).toBe(5);
    expect(row.get('Câu e (0 = Không ý kiến)')!.value).toBe(0);
    expect(row.get('Kênh')!.value).toBe('Mã QR');
    expect(row.get('Góp ý')!.value).toBe(COMMENT.normalize('NFC'));
    // Text in a workbook is text: a comment that looks like a formula is not run and needs no apostrophe.
    const anhSon = rows.find((r) => r.get('Mã đơn vị')?.value === '17329')!;
    expect(anhSon.get('Góp ý')!.value).toBe('=1+1');
    expect(sheet.getColumn(1).width).toBeGreaterThanOrEqual(10);
  });

  it('indicators.xlsx: only the indicators that apply, percentages as numbers with a percent format at full precision', async () => {
    const standard = records((await download(`/export/indicators.csv?${JUNE}&group=unit`)).body as Buffer);
    // The standard file keeps its rows: every indicator of every unit, health and education with n = 0.
    expect(standard).toHaveLength(8);
    expect(standard.filter((r) => r.indicator_code === 'health_education').map((r) => r.n)).toEqual(['0', '0']);

    const book = await workbook((await download(`/export/indicators.xlsx?${JUNE}&group=unit`)).body as Buffer);
    expect(book.worksheets.map((s) => s.name)).toEqual(['Chỉ số']);
    const { header, rows } = sheetRows(book.worksheets[0]!);
    expect(header).toContain('Giá trị (%)');
    expect(header).toContain('Kết luận');
    expect(rows).toHaveLength(6);
    expect(rows.some((r) => (r.get('Chỉ số')?.text ?? '').includes('y tế'))).toBe(false);
    const tthc = standard.find((r) => r.group_code === '16681' && r.indicator_code === 'tthc')!;
    const row = rows.find((r) => r.get('Mã đơn vị')?.value === '16681' && r.get('Chỉ số')?.value === tthc.indicator_name)!;
    expect(row.get('Số người trả lời')!.value).toBe(3);
    const value = row.get('Giá trị (%)')!;
    expect(typeof value.value).toBe('number');
    expect(value.value).toBeCloseTo(Number(tthc.value) / 100, 12);
    expect(value.numFmt).toBe('0.0%');
    expect(row.get('Kết luận')!.value).toBe(tthc.verdict_text);
  });

  it('format=vn: Vietnamese headers (English with lang=en), values rounded, days dd/mm/yyyy, no row for an indicator that does not apply', async () => {
    const standard = records((await download(`/export/indicators.csv?${JUNE}&group=unit`)).body as Buffer);
    const vn = records((await download(`/export/indicators.csv?${JUNE}&group=unit&format=vn`)).body as Buffer, ';');
    expect(Object.keys(vn[0]!).slice(0, 5)).toEqual(['Từ ngày', 'Đến ngày', 'Mã đơn vị', 'Đơn vị', 'Chỉ số']);
    expect(vn).toHaveLength(6);
    expect(vn[0]!['Từ ngày']).toBe('01/06/2025');
    const tthc = standard.find((r) => r.group_code === '16681' && r.indicator_code === 'tthc')!;
    const row = vn.find((r) => r['Mã đơn vị'] === '16681' && r['Chỉ số'] === tthc.indicator_name)!;
    // 3 respondents, overall 3, 4, 5: 66.666…% in the standard file, 66,7 here.
    expect(tthc.value).toMatch(/^66\.6{6,}/);
    expect(row['Giá trị (%)']).toBe('66,7');
    for (const r of vn) for (const cell of Object.values(r)) expect(cell).not.toMatch(/^-?\d+,\d{2,}$/);
    expect(Object.values(row)).not.toContain('insufficient');

    const en = records((await download(`/export/indicators.csv?${JUNE}&group=unit&format=vn&lang=en`)).body as Buffer, ';');
    expect(Object.keys(en[0]!).slice(0, 5)).toEqual(['From', 'To', 'Unit code', 'Unit', 'Indicator']);
  });

  it('questions and dossier counts as workbooks; the command line writes the same workbook', async () => {
    const questions = await workbook((await download(`/export/questions.xlsx?${JUNE}`)).body as Buffer);
    const { header, rows } = sheetRows(questions.getWorksheet('Câu hỏi')!);
    expect(header).toContain('Rất hài lòng (5)');
    const a = rows.find((r) => r.get('Câu')?.value === 'a' && r.get('Phiên bản')?.value !== null)!;
    expect(a.get('Rất hài lòng (5)')!.value).toBe(4);
    expect(a.get('Tỷ lệ hài lòng (%)')!.value).toBe(1);

    const dossiers = await workbook((await download(`/export/dossiers.xlsx?${JUNE}`)).body as Buffer);
    expect(sheetRows(dossiers.worksheets[0]!).header).toEqual([
      'Ngày', 'Mã đơn vị', 'Mã quầy', 'Mã lĩnh vực', 'Kênh', 'Tiếp nhận', 'Đã giải quyết', 'Đúng hạn', 'Quá hạn', 'Đã xin lỗi', 'Tồn quá hạn', 'Phản ánh kiến nghị',
    ]);

    const file = join(dir, 'june.xlsx');
    const res = sipas(['export', 'responses', '--from', '2025-06-01', '--to', '2025-06-30', '--format', 'xlsx', '--out', file], { DATABASE_URL: t.config.databaseUrl });
    expect(res.status).toBe(0);
    const fromCli = sheetRows((await workbook(readFileSync(file))).worksheets[0]!);
    expect(fromCli.rows).toHaveLength(4);
    expect(fromCli.header[0]).toBe('Mã phiếu');
  });
});
