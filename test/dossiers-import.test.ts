/**
 * Dossier counts imported as a province office would (issue 20, item 1), on both databases: a file
 * is written whole or not at all, with one audit entry in the same transaction; importing the same
 * days and desks again replaces them; a check writes nothing; a manager imports only for the desks of
 * the units they manage, and learns nothing of other units' desks; no day after the day of the
 * import; every resolved dossier on time or late; `sipas dossiers import` streams the same files
 * (a larger one spans several pieces) and says each problem with its file and line.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCountsFile } from '../server/dossiers/counts-file.ts';
import { importDossierCounts } from '../server/dossiers/import-counts.ts';
import { ensureDemoDesks } from '../db/seed/demo.ts';
import { startTestApp, type TestApp } from './support/app.ts';
import { buildDesk } from './support/builders.ts';
import { sipas } from './support/cli.ts';
import { withoutAuditLog } from './support/audit.ts';
import { DIALECTS } from './support/dialects.ts';
import { readable as textOf } from './support/html.ts';
import { launchBrowser, listen, overflowsHorizontally, seriousViolations } from './support/browser.ts';
import { buildToken, buildUser, signInBrowser } from './support/staff.ts';

const HEADER = 'day,unit,desk,field,channel,received,resolved,on_time,late,apologised,backlog,complaints';
const WARD = '16681'; // Phường Thành Vinh
const OTHER = '17110'; // Phường Hoàng Mai

const file = (...rows: string[]) => readCountsFile(new TextEncoder().encode([HEADER, ...rows].join('\n')));
const operator = { kind: 'operator' } as const;

describe.each(DIALECTS)('on %s', (dialect) => {
  let t: TestApp;
  const stored = () => t.db.selectFrom('dossier_counts').selectAll().orderBy('day').orderBy('channel').orderBy('desk_id').execute();
  const audits = () => t.db.selectFrom('audit_log').select(['action', 'subject', 'detail', 'user_id']).where('action', '=', 'dossiers.import').execute();

  beforeAll(async () => {
    t = await startTestApp(dialect);
    // "Today" for the page and the API: their rows are of late 2026, and no day after today is taken.
    t.clock.now = new Date('2026-12-05T03:00:00Z');
    await buildDesk(t.db, t.ready.secret, { unitCode: WARD, code: 'MC1', fields: ['dat-dai', 'tu-phap-ho-tich'] });
    await buildDesk(t.db, t.ready.secret, { unitCode: OTHER, code: 'MC1', fields: ['dat-dai'] });
  }, 120_000);
  afterAll(() => t?.close());

  it('writes a file whole with one audit entry; the same days and desks again replace it; a check writes nothing', async () => {
    const first = file(
      `2026-11-02,${WARD},MC1,dat-dai,in_person,12,10,9,1,1,0,0`,
      `2026-11-02,${WARD},MC1,dat-dai,online,30,28,28,0,0,2,1`,
      `2026-11-03,${WARD},MC1,tu-phap-ho-tich,post,3,3,2,1,0,0,0`,
      `2026-11-02,${OTHER},MC1,dat-dai,in_person,5,5,5,0,0,0,0`,
    );
    expect(first.problems).toEqual([]);
    const done = await importDossierCounts(t.db, operator, first.lines, { via: 'cli', fileName: 'thang-11.csv' }, '2026-12-01T02:00:00.000Z');
    expect(done).toEqual({ ok: true, written: true, summary: { rows: 4, desks: 2, from: '2026-11-02', to: '2026-11-03', replaced: 0, received: 50, resolved: 46 } });
    expect(await stored()).toHaveLength(4);
    expect(await audits()).toEqual([{ action: 'dossiers.import', subject: 'thang-11.csv', detail: 'cli: 4 rows, 2 desks, 2026-11-02..2026-11-03, 0 replaced', user_id: null }]);

    // The ward's 2 November again, corrected: its two rows of that day are replaced by the one sent;
    // its 3 November and the other ward's desk are untouched.
    const again = file(`2026-11-02,${WARD},MC1,dat-dai,in_person,14,12,11,1,1,0,0`);
    const check = await importDossierCounts(t.db, operator, again.lines, { via: 'cli' }, '2026-12-02T02:00:00.000Z', { checkOnly: true });
    expect(check).toMatchObject({ ok: true, written: false, summary: { rows: 1, replaced: 2 } });
    expect(await stored()).toHaveLength(4);
    expect(await audits()).toHaveLength(1);

    expect(await importDossierCounts(t.db, operator, again.lines, { via: 'cli' }, '2026-12-02T02:00:00.000Z')).toMatchObject({ ok: true, summary: { replaced: 2 } });
    const rows = await stored();
    expect(rows.map((r) => [r.day, r.channel, r.received, r.resolved])).toEqual([
      ['2026-11-02', 'in_person', 14, 12],
      ['2026-11-02', 'in_person', 5, 5],
      ['2026-11-03', 'post', 3, 3],
    ]);
    expect(await audits()).toHaveLength(2);
  });

  it('refuses unknown codes and the desks of another unit for a manager, naming each line, and writes nothing', async () => {
    const before = await stored();
    const manager = { kind: 'staff', staff: { id: 1, username: 'ql', displayName: 'QL', role: 'manager', unitId: await unitId(WARD), paperEntry: false } } as const;
    const lines = file(
      `2026-11-05,${WARD},MC1,dat-dai,in_person,1,1,1,0,0,0,0`,
      `2026-11-05,${OTHER},MC1,dat-dai,in_person,1,1,1,0,0,0,0`,
      `2026-11-05,99999,MC1,dat-dai,in_person,1,1,1,0,0,0,0`,
      `2026-11-05,${WARD},MC9,dat-dai,in_person,1,1,1,0,0,0,0`,
      `2026-11-05,${WARD},MC1,khong-co,in_person,1,1,1,0,0,0,0`,
      // Another unit's desk that does not exist reads as one that does: a manager cannot probe
      // which desk codes other units have.
      `2026-11-05,${OTHER},MC9,dat-dai,in_person,1,1,1,0,0,0,0`,
    ).lines;
    expect(await importDossierCounts(t.db, manager, lines, { via: 'upload' }, '2026-12-03T02:00:00.000Z')).toEqual({
      ok: false,
      status: 422,
      problems: [
        { line: 3, code: 'not-your-unit', value: OTHER },
        { line: 4, code: 'unknown-unit', value: '99999' },
        { line: 5, code: 'unknown-desk', unit: WARD, value: 'MC9' },
        { line: 6, code: 'unknown-field', value: 'khong-co' },
        { line: 7, code: 'not-your-unit', value: OTHER },
      ],
    });
    // The operator (every unit) is told the unit has no such desk, naming the unit.
    expect(await importDossierCounts(t.db, operator, lines.slice(-1), { via: 'cli' }, '2026-12-03T02:00:00.000Z')).toEqual({
      ok: false,
      status: 422,
      problems: [{ line: 7, code: 'unknown-desk', unit: OTHER, value: 'MC9' }],
    });
    const viewer = { kind: 'staff', staff: { ...manager.staff, role: 'viewer' } } as const;
    expect(await importDossierCounts(t.db, viewer, lines.slice(0, 1), { via: 'upload' }, '2026-12-03T02:00:00.000Z')).toEqual({ ok: false, status: 403 });
    expect(await stored()).toEqual(before);
  });

  it('writes no count when its audit entry cannot be written', async () => {
    const before = await stored();
    const lines = file(`2026-11-06,${WARD},MC1,dat-dai,in_person,1,1,1,0,0,0,0`).lines;
    await withoutAuditLog(t.db, () => expect(importDossierCounts(t.db, operator, lines, { via: 'cli' }, '2026-12-03T02:00:00.000Z')).rejects.toThrow());
    expect(await stored()).toEqual(before);
  });

  it('refuses a day after the local day of the import, naming its line; today itself is taken', async () => {
    const before = await stored();
    const rows = file(`2026-12-05,${WARD},MC1,dat-dai,online,2,2,2,0,0,0,0`, `06/12/2026,${WARD},MC1,dat-dai,online,2,2,2,0,0,0,0`).lines;
    // 23:30 on 5 December in Vinh (16:30 UTC): the 6th has not come yet, and nothing is written.
    expect(await importDossierCounts(t.db, operator, rows, { via: 'cli' }, '2026-12-05T16:30:00.000Z')).toEqual({
      ok: false,
      status: 422,
      problems: [{ line: 3, code: 'future-day', value: '2026-12-06' }],
    });
    expect(await stored()).toEqual(before);
    // Half an hour later it is the 6th in Vinh, though still the 5th in UTC: both days are taken.
    expect(await importDossierCounts(t.db, operator, rows, { via: 'cli' }, '2026-12-05T17:00:00.000Z', { checkOnly: true })).toMatchObject({ ok: true, summary: { rows: 2 } });
  });

  it('refuses a row given twice (codes as written) and one whose on time and late do not add up to resolved, writing nothing', async () => {
    const before = await stored();
    const read = file(
      `2026-11-07,${WARD},MC1,dat-dai,online,50,45,40,3,0,0,0`,
      `2026-11-07,${WARD},MC1,dat-dai,in_person,3,3,3,0,0,0,0`,
      `07/11/2026,${WARD},MC1,dat-dai,trực tiếp,4,4,4,0,0,0,0`,
    );
    expect(await importDossierCounts(t.db, operator, read.lines, { via: 'cli' }, '2026-12-03T02:00:00.000Z', { found: read.problems })).toEqual({
      ok: false,
      status: 422,
      problems: [
        { line: 2, code: 'resolved-split', onTime: 40, late: 3, resolved: 45 },
        { line: 4, code: 'repeated-key', first: 3 },
      ],
    });
    expect(await stored()).toEqual(before);
  });

  it('sipas dossiers import: an Excel-saved file imports; a wrong one names file and line and writes nothing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sipas-dossiers-'));
    const good = join(dir, 'thang-10.csv');
    // As Excel saves it: a BOM, semicolons, CRLF, and a semicolon after the last header.
    writeFileSync(good, `\uFEFFNgày;Mã đơn vị;Mã quầy;Mã lĩnh vực;Kênh;Tiếp nhận;Đã giải quyết;Đúng hạn;Quá hạn;Đã xin lỗi;Tồn quá hạn;Phản ánh kiến nghị;\r\n15/10/2026;${WARD};MC1;dat-dai;Trực tuyến;7;6;6;0;0;0;0\r\n`);
    const env = { DATABASE_URL: t.config.databaseUrl, BASE_URL: 'https://khaosat.nghean.example' };
    const ok = sipas(['dossiers', 'import', good], env);
    expect(ok.stderr).toContain('Đã nhập / imported 1 rows, 1 desks, 15/10/2026–15/10/2026');
    expect(ok.status).toBe(0);
    expect(await t.db.selectFrom('dossier_counts').select(['received', 'channel']).where('day', '=', '2026-10-15').execute()).toEqual([{ received: 7, channel: 'online' }]);

    const bad = join(dir, 'sai.csv');
    writeFileSync(bad, `${HEADER}\n2026-10-16,${WARD},MC1,dat-dai,online,7,6,6,1,0,0,0\n`);
    const refused = sipas(['dossiers', 'import', bad], env);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain(
      `${bad}:2: Đúng hạn (6) + Quá hạn (1) phải bằng Đã giải quyết (6); nếu phần mềm xuất riêng cột «Trước hạn», hãy cộng cột đó vào «Đúng hạn» trước khi nhập / on time (6) + late (1) must equal resolved (6); if the software exports a separate "early" column (Trước hạn), add it into "on time" before importing`,
    );
    expect(await t.db.selectFrom('dossier_counts').select('day').where('day', '=', '2026-10-16').execute()).toEqual([]);

    // A day to come (the command's clock is the real one), and a file whose rows are all blank.
    const later = join(dir, 'sau.csv');
    writeFileSync(later, `${HEADER}\n01/01/2099,${WARD},MC1,dat-dai,online,7,6,6,0,0,0,0\n`);
    const future = sipas(['dossiers', 'import', later], env);
    expect(future.status).toBe(1);
    expect(future.stderr).toContain(`${later}:2: ngày 01/01/2099 chưa đến; chỉ nhập được số liệu của những ngày đã qua và hôm nay / the day 01/01/2099 has not come yet; only past days and today can be imported`);
    const blank = join(dir, 'trong.csv');
    writeFileSync(blank, `${HEADER}\n,,,,,,,,,,,\n\n,,,,,,,,,,,\n`);
    for (const args of [['dossiers', 'import', blank], ['dossiers', 'import', blank, '--check']]) {
      const none = sipas(args, env);
      expect(none.status).toBe(1);
      expect(none.stderr).toContain(`${blank}:1: tệp không có dòng số liệu nào (chỉ có dòng tiêu đề, hoặc các dòng đều trống) / the file has no rows of counts (only the header, or blank rows)`);
      expect(none.stderr).toContain('tệp không có dòng số liệu nào, không dòng nào được nhập / the file has no rows, nothing imported');
      expect(none.stderr).not.toContain('0 lỗi');
    }
  }, 120_000);

  it('sipas dossiers import streams a file of several pieces: a row repeated at its end refuses it whole; a file split by field replaces the other field too', async () => {
    const desks = ['S1', 'S2', 'S3'];
    for (const code of desks) await buildDesk(t.db, t.ready.secret, { unitCode: WARD, code, fields: ['dat-dai', 'tu-phap-ho-tich'] });
    const dir = mkdtempSync(join(tmpdir(), 'sipas-dossiers-'));
    const rows: string[] = [];
    for (let d = 0; d < 1300; d++) {
      const day = new Date(Date.UTC(2023, 0, 1) + d * 86_400_000).toISOString().slice(0, 10);
      for (const desk of desks) for (const field of ['dat-dai', 'tu-phap-ho-tich']) for (const channel of ['1', '2', '3']) rows.push(`${day},${WARD},${desk},${field},${channel},3,3,2,1,1,0,0`);
    }
    expect(rows.length).toBe(23_400);
    const env = { DATABASE_URL: t.config.databaseUrl, BASE_URL: 'https://khaosat.nghean.example' };
    const atDesks = async () =>
      Number((await t.db.selectFrom('dossier_counts').innerJoin('desks', 'desks.id', 'dossier_counts.desk_id').select((eb) => eb.fn.countAll<number>().as('n')).where('desks.code', 'in', desks).executeTakeFirstOrThrow()).n);

    const twice = join(dir, 'nam-lap.csv');
    writeFileSync(twice, [HEADER, ...rows, rows[0]].join('\n'));
    expect(readFileSync(twice).byteLength).toBeGreaterThan(1024 * 1024);
    const refused = sipas(['dossiers', 'import', twice], env);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain(`${twice}:23402: trùng ngày, quầy, lĩnh vực và kênh với dòng 2 / same day, desk, field and channel as line 2`);
    expect(refused.stderr).toContain('1 lỗi, không dòng nào được nhập / 1 problems, nothing imported');
    expect(await atDesks()).toBe(0);

    const year = join(dir, 'nam.csv');
    writeFileSync(year, [HEADER, ...rows].join('\n'));
    const ok = sipas(['dossiers', 'import', year], env);
    expect(ok.stderr).toContain('Đã nhập / imported 23400 rows, 3 desks, 01/01/2023–23/07/2026; thay / replaced 0');
    expect(ok.status).toBe(0);
    expect(await atDesks()).toBe(23_400);

    // Only the land field, as a second part: it would replace every field of its days and desks.
    const half = join(dir, 'dat-dai.csv');
    writeFileSync(half, [HEADER, ...rows.filter((r) => r.includes(',dat-dai,'))].join('\n'));
    const check = sipas(['dossiers', 'import', half, '--check'], env);
    expect(check.status).toBe(0);
    expect(check.stderr).toContain('Would replace 23400 rows (every field and channel of these days and desks).');
    expect(await atDesks()).toBe(23_400);
  }, 180_000);

  it('imports the sample file of docs/dossiers.md at the demo desks it names', async () => {
    await ensureDemoDesks(t.db, '2026-12-01T00:00:00.000Z');
    const read = readCountsFile(readFileSync(join(import.meta.dirname, '..', 'docs', 'samples', 'dossier-counts.csv')));
    expect(read.problems).toEqual([]);
    const done = await importDossierCounts(t.db, operator, read.lines, { via: 'cli', fileName: 'dossier-counts.csv' }, '2026-12-03T02:00:00.000Z');
    expect(done).toMatchObject({ ok: true, summary: { rows: 4, desks: 2, from: '2026-11-02', to: '2026-11-03', received: 56, resolved: 52 } });
  }, 120_000);

  describe('the upload page', () => {
    const csv = (...rows: string[]) => ({ file: { content: Buffer.from(`\uFEFF${[HEADER, ...rows].join('\r\n')}\r\n`), filename: 'thang-12.csv', contentType: 'text/csv' } });

    beforeAll(async () => {
      await buildUser(t.db, 'ql-ward', 'manager', WARD);
      await buildUser(t.db, 'xem-ward', 'viewer', WARD);
    });

    it('checks without writing, then imports with a message; a manager is refused the desks of another unit, by line', async () => {
      const manager = await t.staff('ql-ward');
      const row = `01/12/2026,${WARD},MC1,dat-dai,trực tiếp,8,6,5,1,1,0,0`;
      const checked = await manager.upload('/admin/dossiers', { intent: 'check' }, csv(row));
      expect(checked.status).toBe(200);
      expect(textOf(checked.text)).toContain('Tệp hợp lệ. Bấm «Nhập số liệu» (chọn lại tệp) để nhập vào hệ thống.');
      expect(textOf(checked.text)).toContain('1 dòng, 1 quầy, từ 01/12/2026 đến 01/12/2026: 8 hồ sơ tiếp nhận, 6 hồ sơ đã giải quyết.');
      expect(await t.db.selectFrom('dossier_counts').select('day').where('day', '=', '2026-12-01').execute()).toEqual([]);

      const imported = await manager.upload('/admin/dossiers', { intent: 'import' }, csv(row));
      expect(imported.status).toBe(303);
      const after = await manager.get('/admin/dossiers').expect(200);
      expect(textOf(after.text)).toContain('Đã nhập 1 dòng số liệu hồ sơ (1 quầy, 01/12/2026 – 01/12/2026); thay 0 dòng cũ.');
      expect(await t.db.selectFrom('dossier_counts').select(['received', 'late']).where('day', '=', '2026-12-01').execute()).toEqual([{ received: 8, late: 1 }]);

      const refused = await manager.upload('/admin/dossiers', { intent: 'import' }, csv(row.replace('8,6,5', '9,6,5'), `01/12/2026,${OTHER},MC1,dat-dai,1,3,3,3,0,0,0,0`));
      expect(refused.status).toBe(422);
      expect(textOf(refused.text)).toContain('Tệp chưa được nhập: có 1 lỗi.');
      expect(textOf(refused.text)).toContain(`Dòng 3: đơn vị «${OTHER}» không thuộc phạm vi Ông/Bà quản lý`);
      expect(await t.db.selectFrom('dossier_counts').select(['received']).where('day', '=', '2026-12-01').execute()).toEqual([{ received: 8 }]);
    });

    it('says before importing that a file replaces every field and channel of its days and desks, and keeps the file name as written', async () => {
      const manager = await t.staff('ql-ward');
      const first = await manager.upload('/admin/dossiers', { intent: 'import' }, csv(`04/12/2026,${WARD},MC1,dat-dai,1,4,4,4,0,0,0,0`, `04/12/2026,${WARD},MC1,tu-phap-ho-tich,2,2,2,2,0,0,0,0`));
      expect(first.status).toBe(303);
      // A second part of the same day and desk, of one field only: the preview says both stored rows go.
      const name = 'số liệu tháng 12 – lĩnh vực đất đai.csv';
      const part = { file: { content: Buffer.from(`${HEADER}\n04/12/2026,${WARD},MC1,dat-dai,1,5,5,5,0,0,0,0\n`), filename: name, contentType: 'text/csv' } };
      const checked = await manager.upload('/admin/dossiers', { intent: 'check' }, part);
      expect(checked.status).toBe(200);
      expect(textOf(checked.text)).toContain(`Tệp «${name}»`);
      expect(textOf(checked.text)).toContain('Sẽ thay toàn bộ 2 dòng đang có của các ngày và quầy này, mọi lĩnh vực và kênh');
      expect(textOf(checked.text)).toContain('hãy chia theo ngày hoặc theo quầy, không chia theo lĩnh vực hay kênh');
      expect((await manager.upload('/admin/dossiers', { intent: 'import' }, part)).status).toBe(303);
      expect(await t.db.selectFrom('dossier_counts').select('received').where('day', '=', '2026-12-04').execute()).toEqual([{ received: 5 }]);
      expect(await t.db.selectFrom('audit_log').select('subject').where('action', '=', 'dossiers.import').orderBy('id', 'desc').executeTakeFirstOrThrow()).toEqual({ subject: name });
    });

    it('offers a template of the manager\'s own desks whose counts are blank, so it cannot be imported unchanged', async () => {
      const manager = await t.staff('ql-ward');
      const page = await manager.get('/admin/dossiers').expect(200);
      expect(textOf(page.text)).toContain('các ô số hồ sơ để trống để Ông/Bà điền, nên tệp mẫu chưa điền sẽ không nhập được');
      const sample = await manager.get('/admin/dossiers/sample.csv').expect(200);
      const [, first] = sample.text.replace(/^\uFEFF/, '').split('\r\n');
      expect(first).toMatch(new RegExp(`^05/12/2026,${WARD},[^,]+,[^,]+,trực tiếp,,,,,,,$`));
      const before = await stored();
      const refused = await manager.upload('/admin/dossiers', { intent: 'import' }, { file: { content: Buffer.from(sample.text), filename: 'sipas-dossier-counts-sample.csv', contentType: 'text/csv' } });
      expect(refused.status).toBe(422);
      // One problem per line of the template, not one per blank count.
      expect(textOf(refused.text)).toContain('Dòng 2: chưa điền số hồ sơ nào: ghi số hồ sơ vào các cột từ «Tiếp nhận» đến «Phản ánh kiến nghị», hoặc 0 nếu không có');
      expect(textOf(refused.text)).not.toContain('cột «Tiếp nhận» đang để trống');
      expect(await stored()).toEqual(before);
    });

    it('in a browser at 360 and 1366 px: a wrong row is named by its line next to the form, nothing overflows, axe-core finds nothing serious', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'sipas-dossiers-'));
      const path = join(dir, 'thang-12.csv');
      writeFileSync(path, `\uFEFF${HEADER}\r\n03/12/2026,${WARD},MC1,dat-dai,trực tiếp,8,6,5,0,0,0,0\r\n`);
      const server = await listen(t.app);
      try {
        for (const width of [360, 1366]) {
          const browser = await launchBrowser({ bypassCSP: true, width, height: 800 });
          try {
            const page = await browser.context.newPage();
            await signInBrowser(page, server.url, 'ql-ward');
            await page.goto(`${server.url}/admin/dossiers`);
            await page.setInputFiles('#dossier-file', path);
            await page.click('button[value=check]');
            await expect.poll(() => page.locator('body').innerText()).toContain('Dòng 2: Đúng hạn (5) + Quá hạn (0) phải bằng Đã giải quyết (6)');
            expect(await overflowsHorizontally(page)).toBe(false);
            expect(await seriousViolations(page)).toEqual([]);
          } finally {
            await browser.close();
          }
        }
      } finally {
        await server.close();
      }
      expect(await t.db.selectFrom('dossier_counts').select('day').where('day', '=', '2026-12-03').execute()).toEqual([]);
    }, 60_000);

    it('refuses a file over the limit whole, naming the limit, and a viewer before reading anything', async () => {
      const manager = await t.staff('ql-ward');
      const big = Buffer.alloc(16 * 1024 * 1024 + 1, 'x');
      const tooLarge = await manager.upload('/admin/dossiers', { intent: 'check' }, { file: { content: big, filename: 'lon.csv', contentType: 'text/csv' } });
      expect(tooLarge.status).toBe(413);
      expect(textOf(tooLarge.text)).toContain('Dòng 1: tệp lớn hơn giới hạn 16 MB; hãy chia theo ngày hoặc theo quầy (không chia theo lĩnh vực hay kênh');
      const viewer = await t.staff('xem-ward');
      expect((await viewer.get('/admin/dossiers')).status).toBe(403);
    });
  });

  describe('PUT /api/v1/dossier-counts', () => {
    const row = (over: Record<string, unknown> = {}) => ({
      day: '2026-12-02', unit: WARD, desk: 'MC1', field: 'dat-dai', channel: 'online',
      received: 30, resolved: 28, on_time: 27, late: 1, apologised: 1, backlog: 0, complaints: 0, ...over,
    });
    const put = (token: string, body: unknown) => request(t.app).put('/api/v1/dossier-counts').set('Authorization', `Bearer ${token}`).send(body as object);
    let counts: string;
    let readOnly: string;

    beforeAll(async () => {
      const manager = await buildUser(t.db, 'ql-api', 'manager', WARD);
      counts = await buildToken(t.db, manager, t.clock.now, 30, 'read,counts');
      readOnly = await buildToken(t.db, manager, t.clock.now, 30, 'read');
    });

    it('writes a batch; the same batch again changes nothing; a row it does not name stays', async () => {
      const first = await put(counts, { rows: [row(), row({ channel: 'trực tiếp', received: 5, resolved: 5, on_time: 5, late: 0, apologised: 0 })] }).expect(200);
      expect(first.body).toEqual({ rows: 2, desks: 1, from: '2026-12-02', to: '2026-12-02', replaced: 0 });
      const again = await put(counts, { rows: [row(), row({ channel: 'trực tiếp', received: 5, resolved: 5, on_time: 5, late: 0, apologised: 0 })] }).expect(200);
      expect(again.body).toMatchObject({ rows: 2, replaced: 2 });
      // Only the online row, corrected: the in-person row of the same day and desk is left as it was.
      await put(counts, { rows: [row({ received: 31 })] }).expect(200);
      const stored = await t.db.selectFrom('dossier_counts').select(['channel', 'received']).where('day', '=', '2026-12-02').orderBy('channel').execute();
      expect(stored).toEqual([{ channel: 'in_person', received: 5 }, { channel: 'online', received: 31 }]);
      expect(await t.db.selectFrom('audit_log').select('detail').where('action', '=', 'dossiers.import').where('detail', 'like', 'api:%').execute()).toHaveLength(3);
    });

    it('refuses a batch with a wrong row, naming it, and writes none of it; a token without the permission writes nothing', async () => {
      const refused = await put(counts, {
        rows: [row({ day: '2026-12-03' }), row({ day: '2026-12-03', desk: 'MC1', unit: OTHER }), row({ day: '2026-12-03', late: 3 }), row({ day: '2026-12-06' })],
      }).expect(422);
      expect(refused.body).toEqual({
        error: 'Chưa ghi số liệu nào: có 3 lỗi.',
        problems: [
          { row: 2, message: `đơn vị «${OTHER}» không thuộc phạm vi Ông/Bà quản lý` },
          { row: 3, message: 'Đúng hạn (27) + Quá hạn (3) phải bằng Đã giải quyết (28); nếu phần mềm xuất riêng cột «Trước hạn», hãy cộng cột đó vào «Đúng hạn» trước khi nhập' },
          { row: 4, message: 'ngày 06/12/2026 chưa đến; chỉ nhập được số liệu của những ngày đã qua và hôm nay' },
        ],
      });
      expect((await put(readOnly, { rows: [row({ day: '2026-12-03' })] }).expect(403)).body.error).toContain('"counts"');
      await put(counts, { rows: [] }).expect(400);
      await request(t.app).put('/api/v1/dossier-counts').send({ rows: [row({ day: '2026-12-03' })] }).expect(401);
      expect(await t.db.selectFrom('dossier_counts').select('day').where('day', '=', '2026-12-03').execute()).toEqual([]);
    });
  });

  async function unitId(code: string): Promise<number> {
    return (await t.db.selectFrom('units').select('id').where('code', '=', code).executeTakeFirstOrThrow()).id;
  }
});
