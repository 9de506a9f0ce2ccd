/** /admin/units as an administrator, a manager and a viewer would use it: the tree, unit forms, CSV import and export. */
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'csv-parse/sync';
import { startTestApp, type TestApp } from './support/app.ts';
import { buildDesk, shortAnswers, submitSurvey } from './support/builders.ts';
import { countRows } from './support/db.ts';
import { DIALECTS } from './support/dialects.ts';
import { readable } from './support/html.ts';
import type { StaffMember } from './support/actors.ts';
import { buildUser, signIn } from './support/staff.ts';

const unitId = async (t: TestApp, code: string) => (await t.db.selectFrom('units').select('id').where('code', '=', code).executeTakeFirstOrThrow()).id;

describe.each(DIALECTS)('on %s', (dialect) => {
  let t: TestApp;
  let admin: StaffMember;
  beforeAll(async () => {
    t = await startTestApp(dialect);
    await buildUser(t.db, 'quantri', 'admin', null);
    await buildUser(t.db, 'quanly.vinh', 'manager', '16681');
    await buildUser(t.db, 'xem.vinh', 'viewer', '16681');
    admin = await t.staff('quantri');
  });
  afterAll(() => t.close());

  describe('who may open it', () => {
    it('a viewer gets 403 on every administration page; an anonymous visitor is sent to sign in', async () => {
      const viewer = await signIn(t.app, 'xem.vinh');
      for (const path of ['/admin', '/admin/units', '/admin/users', '/admin/targets', '/admin/audit']) await viewer.get(path).expect(403);
      await request(t.app).get('/admin/units').expect(303).expect('location', '/login?next=%2Fadmin%2Funits');
    });

    it('a manager sees only their own unit in the tree, cannot create units, and gets 403 on another unit', async () => {
      const manager = await signIn(t.app, 'quanly.vinh');
      const tree = await manager.get('/admin/units').expect(200);
      expect(tree.text).toContain('Phường Thành Vinh');
      expect(tree.text).not.toContain('Xã Anh Sơn');
      expect(tree.text).not.toContain('Thêm đơn vị');
      await manager.get('/admin/units/new').expect(403);
      await manager.get(`/admin/units/${await unitId(t, '17329')}`).expect(403);
      await manager.get(`/admin/units/${await unitId(t, '16681')}`).expect(200);
      await manager.get('/admin/targets').expect(403);
    });
  });

  describe('the tree and the unit form', () => {
    it('shows all 164 units under the province, in Vietnamese order', async () => {
      const page = await admin.get('/admin/units').expect(200);
      expect(page.text.match(/class="tree__name depth-/g)).toHaveLength(164);
      expect(page.text.indexOf('Tỉnh Nghệ An')).toBeLessThan(page.text.indexOf('Sở Tư pháp'));
    });

    it('creating a unit with mistakes shows each message next to its field and keeps what was typed; a good one is created and audited', async () => {
      const bad = await admin.post('/admin/units', { code: 'xã mới', name: '', kind: 'castle', parent: '' }, '/admin/units/new');
      expect(bad.status).toBe(422);
      expect(bad.text).toContain('Mã chỉ gồm chữ không dấu');
      expect(bad.text).toContain('Vui lòng nhập tên đơn vị');
      expect(bad.text).toContain('Vui lòng chọn loại đơn vị');
      expect(bad.text).toContain('value="xã mới"');
      expect(bad.text).toMatch(/aria-invalid="true"/);
      const before = await countRows(t.db, 'units');
      const taken = await admin.post('/admin/units', { code: '16681', name: 'Trùng mã', kind: 'ward', parent: '' }, '/admin/units/new');
      expect(taken.status).toBe(422);
      expect(taken.text).toContain('Mã 16681 đã được dùng');
      // A name a spreadsheet would run, refused here as the CSV import refuses it (full-width forms too).
      for (const name of ['=HYPERLINK("http://x","bấm")', '＋cmd', '@SUM(1)']) {
        const formula = await admin.post('/admin/units', { code: 'CONG-THUC', name, kind: 'ward', parent: '' }, '/admin/units/new');
        expect(formula.status).toBe(422);
        expect(formula.text).toContain('Tên đơn vị không được bắt đầu bằng = + - @');
      }
      expect(await countRows(t.db, 'units')).toBe(before);

      const province = String(await unitId(t, '40'));
      const ok = await admin.post('/admin/units', { code: 'TT-THU', name: 'Trung tâm thử nghiệm', kind: 'department', parent: province }, '/admin/units/new');
      expect(ok.status).toBe(303);
      const created = await t.db.selectFrom('units').selectAll().where('code', '=', 'TT-THU').executeTakeFirstOrThrow();
      expect(created).toMatchObject({ name: 'Trung tâm thử nghiệm', kind: 'department', parent_id: Number(province) });
      const entry = await t.db.selectFrom('audit_log').selectAll().where('action', '=', 'unit.create').executeTakeFirstOrThrow();
      expect(JSON.parse(entry.after_json ?? '{}')).toMatchObject({ code: 'TT-THU', name: 'Trung tâm thử nghiệm' });
      const page = await admin.get(ok.headers.location as string).expect(200);
      expect(page.text).toContain('Đã thêm đơn vị Trung tâm thử nghiệm.');
    });

    it('proposes a new unit’s code from its name (the hint says so), and a code left empty is that proposal, made free when taken', async () => {
      const form = await admin.get('/admin/units/new').expect(200);
      expect(readable(form.text)).toContain('Đề xuất từ tên đơn vị (ví dụ Sở Tư pháp → so-tu-phap), sửa được; để trống thì dùng mã đề xuất.');
      // The name comes first, the code after it; the page's script proposes a code free of these (public/js/unit-form.js).
      expect(form.text.indexOf('name="name"')).toBeLessThan(form.text.indexOf('name="code"'));
      expect(form.text).toMatch(/data-unit-codes-taken="[^"]*\bso-tu-phap\b/);
      expect(form.text).toContain('<script src="/js/unit-form.js" defer></script>');
      const province = String(await unitId(t, '40'));
      const saved = await admin.post('/admin/units', { code: '', name: 'Sở Tư pháp', kind: 'department', parent: province }, '/admin/units/new');
      expect(saved.status).toBe(303);
      const created = await t.db.selectFrom('units').selectAll().where('name', '=', 'Sở Tư pháp').where('code', '!=', 'so-tu-phap').executeTakeFirstOrThrow();
      expect(created.code).toBe('so-tu-phap-2');
      await admin.post(`/admin/units/${created.id}/delete`, {}, `/admin/units/${created.id}`).then((r) => expect(r.status).toBe(303));
    });

    it('a new desk’s form ticks the field of its unit’s kind: “Giáo dục” at a school, “Y tế” at a hospital, none at a commune; the script knows each questionnaire’s field', async () => {
      const checked = (html: string) => [...html.matchAll(/id="field-([a-z-]+)" name="fields" value="\d+" checked/g)].map((m) => m[1]);
      const school = await admin.get(`/admin/units/${await unitId(t, 'truong-thpt-chuyen-phan-boi-chau')}`).expect(200);
      expect(checked(school.text)).toEqual(['giao-duc']);
      const hospital = await admin.get(`/admin/units/${await unitId(t, 'benh-vien-huu-nghi-da-khoa-nghe-an')}`).expect(200);
      expect(checked(hospital.text)).toEqual(['y-te']);
      const commune = await admin.get(`/admin/units/${await unitId(t, '17329')}`).expect(200);
      expect(checked(commune.text)).toEqual([]);
      const fieldId = async (code: string) => String((await t.db.selectFrom('fields').select('id').where('code', '=', code).executeTakeFirstOrThrow()).id);
      const education = await t.db.selectFrom('questionnaires').select('id').where('kind', '=', 'education').executeTakeFirstOrThrow();
      const map = JSON.parse(/data-desk-fields-by-questionnaire="([^"]*)"/.exec(commune.text)?.[1]?.replaceAll('&#34;', '"') ?? '{}') as Record<string, string[]>;
      expect(map[String(education.id)]).toEqual([await fieldId('giao-duc')]);
      expect(commune.text).toContain('<script src="/js/desk-form.js" defer></script>');
    });

    it('editing refuses a parent below the unit itself, and records the state before and after', async () => {
      const ward = await unitId(t, '16681');
      const province = await unitId(t, '40');
      const cycle = await admin.post(`/admin/units/${province}`, { name: 'Tỉnh Nghệ An', kind: 'province', parent: String(ward) }, `/admin/units/${province}/edit`);
      expect(cycle.status).toBe(422);
      expect(cycle.text).toContain('Không thể chọn chính đơn vị này');
      await admin.post(`/admin/units/${ward}`, { name: 'Phường Thành Vinh (mới)', kind: 'ward', parent: String(province) }, `/admin/units/${ward}/edit`).then((r) => expect(r.status).toBe(303));
      const entry = await t.db.selectFrom('audit_log').selectAll().where('action', '=', 'unit.update').executeTakeFirstOrThrow();
      expect(JSON.parse(entry.before_json ?? '{}')).toMatchObject({ name: 'Phường Thành Vinh' });
      expect(JSON.parse(entry.after_json ?? '{}')).toMatchObject({ name: 'Phường Thành Vinh (mới)' });
      await admin.post(`/admin/units/${ward}`, { name: 'Phường Thành Vinh', kind: 'ward', parent: String(province) }, `/admin/units/${ward}/edit`);
    });

    it('a unit with desks or responses is never deleted, only deactivated, which stops its QR codes', async () => {
      const desk = await buildDesk(t.db, t.ready.secret, { unitCode: '17380', code: 'DEL' });
      await submitSurvey(t.app, desk.url, shortAnswers()).then((r) => expect(r.status).toBe(303));
      const id = await unitId(t, '17380');
      const refused = await admin.post(`/admin/units/${id}/delete`, {}, `/admin/units/${id}`);
      expect(refused.status).toBe(409);
      expect(refused.text).toContain('chỉ có thể ngừng hoạt động, không xóa');
      expect(await t.db.selectFrom('units').select('id').where('id', '=', id).executeTakeFirst()).toBeDefined();

      await admin.post(`/admin/units/${id}/active`, { active: '0' }, `/admin/units/${id}`).then((r) => expect(r.status).toBe(303));
      await request(t.app).get(desk.url).expect(404);
      await admin.post(`/admin/units/${id}/active`, { active: '1' }, `/admin/units/${id}`);
      await request(t.app).get(desk.url).expect(200);

      const empty = await unitId(t, 'TT-THU');
      await admin.post(`/admin/units/${empty}/delete`, {}, `/admin/units/${empty}`).then((r) => expect(r.status).toBe(303));
      expect(await t.db.selectFrom('units').select('id').where('id', '=', empty).executeTakeFirst()).toBeUndefined();
    });
  });

  describe('units as CSV', () => {
    async function importFile(content: Buffer | string, name = 'units.csv') {
      return admin.upload('/admin/units/import', {}, { file: { content, filename: name, contentType: 'text/csv' } }, '/admin/units');
    }

    it('exports the same columns as db/seed/units.csv, UTF-8 with BOM and CRLF, that Excel and csv-parse read back', async () => {
      const res = await admin.get('/admin/units/export.csv').expect(200);
      expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
      expect(res.headers['content-disposition']).toMatch(/^attachment; filename="sipas-units-\d{4}-\d{2}-\d{2}\.csv"$/);
      expect(res.text.startsWith('\uFEFFcode,name,kind,parent_code\r\n')).toBe(true);
      const rows = parse<Record<string, string>>(res.text, { bom: true, columns: true });
      expect(rows).toHaveLength(await countRows(t.db, 'units'));
      expect(rows.find((r) => r.name === 'Sở Văn hóa, Thể thao và Du lịch')).toMatchObject({ kind: 'department', parent_code: '40' });
    });

    it('imports a file with a BOM and CRLF: new units created, existing ones updated, parents in any order', async () => {
      const csv = '\uFEFFcode,name,kind,parent_code\r\nTRUONG-MOI,Trường THPT Mới,school,TTGD\r\nTTGD,"Trung tâm Giáo dục, thử nghiệm",department,40\r\n17380,Xã Yên Xuân,commune,40\r\n';
      const res = await importFile(csv);
      expect(res.status).toBe(303);
      const page = await admin.get('/admin/units').expect(200);
      expect(page.text).toContain('2 đơn vị mới, 0 đơn vị cập nhật, 1 đơn vị không đổi');
      const child = await t.db.selectFrom('units').selectAll().where('code', '=', 'TRUONG-MOI').executeTakeFirstOrThrow();
      expect(child.parent_id).toBe(await unitId(t, 'TTGD'));
      expect((await t.db.selectFrom('units').select('name').where('code', '=', 'TTGD').executeTakeFirstOrThrow()).name).toBe('Trung tâm Giáo dục, thử nghiệm');
    });

    it('refuses a bad file whole, listing every problem with its line, and changes nothing', async () => {
      const before = await countRows(t.db, 'units');
      const cases: [string | Buffer, RegExp[]][] = [
        ['name,code,kind\nA,B,ward\n', [/Dòng 1: dòng tiêu đề phải là "code,name,kind,parent_code"/]],
        ['code,name,kind,parent_code\nX1,Xã Một,commune,40,thừa\nX2,Xã Hai,commune,40\nX2,Xã Hai lần nữa,commune,40\nX3,Xã Ba,commune,KHONG-CO\nX4,Xã Bốn,lâu đài,40\n', [
          /Dòng 2: cần 4 cột, dòng này có 5 cột/,
          /Dòng 4: mã "X2" bị trùng \(đã có ở dòng 3\)/,
          /Dòng 6: loại "lâu đài" không hợp lệ/,
        ]],
        ['code,name,kind,parent_code\nX5,Xã Năm,commune,KHONG-CO\n', [/Dòng 2: đơn vị cấp trên "KHONG-CO" của X5 không có/]],
        [Buffer.from('code,name,kind,parent_code\nX6,X\xe3 S\xe1u,commune,40\n', 'latin1'), [/Dòng 1: tệp không phải UTF-8/]],
      ];
      for (const [content, messages] of cases) {
        const res = await importFile(content);
        expect(res.status).toBe(422);
        for (const m of messages) expect(readable(res.text)).toMatch(m);
        expect(res.text).toContain('Không có đơn vị nào bị thay đổi');
      }
      expect(await countRows(t.db, 'units')).toBe(before);
      const noFile = await admin.upload('/admin/units/import', {}, {}, '/admin/units');
      expect(noFile.status).toBe(422);
    });

    it('refuses what could hurt the server or a spreadsheet: too many rows, a chain too deep, a huge or formula name; quickly, and echoing no huge cell', async () => {
      const before = await countRows(t.db, 'units');
      // 20,000 units in one parent chain: refused by its size before any walk up the tree.
      const chain = ['code,name,kind,parent_code', ...Array.from({ length: 20_000 }, (_, i) => `C${i},Đơn vị ${i},department,${i === 0 ? '40' : `C${i - 1}`}`)].join('\n');
      const started = Date.now();
      const many = await importFile(chain);
      expect(Date.now() - started).toBeLessThan(5_000);
      expect(many.status).toBe(422);
      expect(readable(many.text)).toMatch(/Dòng 2002: tệp có hơn 2000 đơn vị; hãy chia thành nhiều tệp nhỏ hơn\./);
      // Eight in a chain: deeper than any province goes.
      const deep = ['code,name,kind,parent_code', ...Array.from({ length: 8 }, (_, i) => `D${i},Đơn vị sâu ${i},department,${i === 0 ? '40' : `D${i - 1}`}`)].join('\n');
      const tooDeep = await importFile(deep);
      expect(tooDeep.status).toBe(422);
      expect(readable(tooDeep.text)).toMatch(/Dòng 8: D6 nằm sâu quá 6 cấp dưới tỉnh\./);
      const long = `code,name,kind,parent_code\nL1,${'Đ'.repeat(300_000)},commune,40\nL2,=HYPERLINK("http://x"),commune,40\n${'K'.repeat(100_000)},Xã K,commune,40\n`;
      const refused = await importFile(long);
      expect(refused.status).toBe(422);
      const text = readable(refused.text);
      expect(text).toMatch(/Dòng 2: tên đơn vị dài quá 200 ký tự\./);
      expect(text).toMatch(/Dòng 3: tên đơn vị không được bắt đầu bằng = \+ - @/);
      expect(text).toMatch(/Dòng 4: mã "K{60}…" chỉ được gồm/);
      expect(refused.text.length).toBeLessThan(100_000);
      expect(await countRows(t.db, 'units')).toBe(before);
    });

    it('the export writes every cell through the formula guard', async () => {
      const id = await unitId(t, '16681');
      await t.db.updateTable('units').set({ name: '=HYPERLINK("http://x","bấm")' }).where('id', '=', id).execute();
      await t.db.updateTable('units').set({ name: "+cmd|' /C calc'!A0" }).where('code', '=', '17329').execute();
      try {
        const rows = parse<Record<string, string>>((await admin.get('/admin/units/export.csv').expect(200)).text, { bom: true, columns: true });
        expect(rows.find((r) => r.code === '16681')?.name).toBe(`'=HYPERLINK("http://x","bấm")`);
        expect(rows.find((r) => r.code === '17329')?.name).toBe("'+cmd|' /C calc'!A0");
      } finally {
        await t.db.updateTable('units').set({ name: 'Phường Thành Vinh' }).where('id', '=', id).execute();
        await t.db.updateTable('units').set({ name: 'Xã Anh Sơn' }).where('code', '=', '17329').execute();
      }
    });

    it('the largest file taken (2,000 units, six levels) is imported while citizens’ pages are answered, and the tree shows every unit under its parent', async () => {
      const desk = await buildDesk(t.db, t.ready.secret, { unitCode: '16681' });
      const before = await countRows(t.db, 'units');
      // 40 top units under the province, each heading a chain of five levels with ten units per level.
      const lines = ['code,name,kind,parent_code'];
      for (let top = 0; top < 40; top++) {
        lines.push(`B${top},Ban ${top},department,40`);
        for (let level = 1; level <= 5; level++) {
          for (let i = 0; i < (level === 5 ? 9 : 10); i++) lines.push(`B${top}-${level}-${i},Tổ ${top}.${level}.${i},department,${level === 1 ? `B${top}` : `B${top}-${level - 1}-0`}`);
        }
      }
      expect(lines.length - 1).toBe(2_000);
      const page = await admin.page('/admin/units');
      let importing = true;
      const imported = Promise.resolve(page.upload('/admin/units/import', {}, { file: { content: lines.join('\r\n'), filename: 'lon.csv', contentType: 'text/csv' } })).finally(() => (importing = false));
      // A citizen opening the survey again and again meanwhile: the longest wait for one page.
      const waits: number[] = [];
      for (let i = 0; i < 200 && (importing || waits.length === 0); i++) {
        const started = Date.now();
        await request(t.app).get(desk.url).expect(200);
        waits.push(Date.now() - started);
      }
      const res = await imported;
      expect(res.status).toBe(303);
      expect(await countRows(t.db, 'units')).toBe(before + 2_000);
      expect(waits.length).toBeGreaterThan(1);
      expect(Math.max(...waits)).toBeLessThan(1_000);
      // One audit event for the file, written with the units.
      const event = await t.db.selectFrom('audit_log').select(['subject', 'after_json']).where('action', '=', 'unit.import').orderBy('id', 'desc').executeTakeFirstOrThrow();
      expect(event.subject).toBe('lon.csv');
      expect(JSON.parse(event.after_json ?? '{}')).toMatchObject({ created: 2_000 });
      // The tree: every unit once, the deepest five levels below its top unit.
      const tree = await admin.get('/admin/units').expect(200);
      const codes = [...tree.text.matchAll(/class="tree__name depth-(\d)">[\s\S]*?<\/th>\s*<td>(B[\d-]+)<\/td>/g)].map((r) => `${r[2]}@${r[1]}`);
      expect(new Set(codes).size).toBe(2_000);
      const at = (code: string) => codes.findIndex((c) => c.startsWith(`${code}@`));
      expect(codes[at('B7')]).toBe('B7@1');
      expect(at('B7')).toBeLessThan(at('B7-1-0'));
      expect(at('B7-1-0')).toBeLessThan(at('B7-2-0'));
      expect(at('B7-4-0')).toBeLessThan(at('B7-5-8'));
      expect(at('B7-5-8')).toBeLessThan(at('B8'));
    }, 120_000);
  });
});
