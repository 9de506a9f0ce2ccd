/** Targets, questionnaire versions and the audit log, as a provincial administrator keeps them. */
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './support/app.ts';
import { buildDesk, shortAnswers, submitSurvey } from './support/builders.ts';
import { DIALECTS } from './support/dialects.ts';
import { readable } from './support/html.ts';
import { buildUser, postForm, signIn } from './support/staff.ts';

describe.each(DIALECTS)('on %s', (dialect) => {
  let t: TestApp;
  let admin: Awaited<ReturnType<typeof signIn>>;
  beforeAll(async () => {
    t = await startTestApp(dialect);
    await buildUser(t.db, 'quantri', 'admin', null);
    admin = await signIn(t.app, 'quantri');
  });
  afterAll(() => t.close());

  const indicator = async (code: string) => String((await t.db.selectFrom('indicators').select('id').where('code', '=', code).executeTakeFirstOrThrow()).id);
  const target = async (code: string, year: number) =>
    t.db
      .selectFrom('targets')
      .innerJoin('indicators', 'indicators.id', 'targets.indicator_id')
      .select(['threshold', 'source', 'confirmed'])
      .where('indicators.code', '=', code)
      .where('valid_from', '=', `${year}-01-01`)
      .executeTakeFirst();

  describe('targets', () => {
    it('shows 2025 as decided by 2228/QĐ-UBND and 2026 as copies waiting for confirmation', async () => {
      const raw = (await admin.get('/admin/targets').expect(200)).text;
      const page = readable(raw);
      // A copy's stored placeholder ("… / copied from 2025") in words an official reads.
      expect(raw).toContain('value="Tạm lấy theo chỉ tiêu năm 2025 (chưa có quyết định cho năm 2026)"');
      expect(raw).not.toContain('copied from');
      // Four satisfaction targets and the plan's five dossier targets (issue 20).
      expect(page).toContain('Có 9 chỉ tiêu đang tạm lấy theo năm trước');
      expect(page).toContain('2025 · Tỷ lệ hồ sơ TTHC giải quyết đúng hạn');
      expect(page).toContain('Chỉ tiêu (số hồ sơ)');
      expect(page).toContain('2228/QĐ-UBND');
      expect(await target('tthc', 2026)).toMatchObject({ threshold: 87, confirmed: 0 });
      expect(await target('tthc', 2025)).toMatchObject({ confirmed: 1 });
    });

    it('a wrong number or a missing source is shown next to that row and nothing is saved; a good one is saved, confirmed and audited', async () => {
      const bad = await postForm(admin, '/admin/targets', '/admin/targets', { indicator: await indicator('tthc'), year: '2026', threshold: '187', source: '' });
      expect(bad.status).toBe(422);
      const text = readable(bad.text);
      expect(text).toContain('Nhập một số lớn hơn 0 và nhỏ hơn 100');
      expect(text).toContain('Vui lòng ghi văn bản giao chỉ tiêu');
      expect(bad.text).toContain('value="187"');
      expect(await target('tthc', 2026)).toMatchObject({ threshold: 87, confirmed: 0 });

      const ok = await postForm(admin, '/admin/targets', '/admin/targets', { indicator: await indicator('tthc'), year: '2026', threshold: '88,5', source: 'Kế hoạch CCHC 2026' });
      expect(ok.status).toBe(303);
      expect(await target('tthc', 2026)).toEqual({ threshold: 88.5, source: 'Kế hoạch CCHC 2026', confirmed: 1 });
      const entry = await t.db.selectFrom('audit_log').selectAll().where('action', '=', 'target.save').executeTakeFirstOrThrow();
      expect(JSON.parse(entry.before_json ?? '{}')).toMatchObject({ threshold: 87, confirmed: false });
      expect(JSON.parse(entry.after_json ?? '{}')).toMatchObject({ threshold: 88.5, confirmed: true });
      // The dashboard judges 2026 against the new target.
      const api = await admin.get('/api/v1/indicators?from=2026-01-01&to=2026-03-31').expect(200);
      expect((api.body.indicators as { code: string; target: number }[]).find((i) => i.code === 'tthc')?.target).toBe(88.5);
    });

    it('a dossier target reads "at least" (100% allowed) and the backlog a whole number of dossiers (0 allowed)', async () => {
      const apologies = await postForm(admin, '/admin/targets', '/admin/targets', { indicator: await indicator('late_apologised'), year: '2026', threshold: '100', source: 'Kế hoạch CCHC 2026' });
      expect(apologies.status).toBe(303);
      expect(await target('late_apologised', 2026)).toMatchObject({ threshold: 100, confirmed: 1 });
      const half = await postForm(admin, '/admin/targets', '/admin/targets', { indicator: await indicator('backlog'), year: '2026', threshold: '1,5', source: 'Kế hoạch CCHC 2026' });
      expect(half.status).toBe(422);
      expect(readable(half.text)).toContain('Nhập một số hồ sơ nguyên, từ 0 trở lên');
      expect(await target('backlog', 2026)).toMatchObject({ threshold: 0, confirmed: 0 });
      const none = await postForm(admin, '/admin/targets', '/admin/targets', { indicator: await indicator('backlog'), year: '2026', threshold: '0', source: 'Kế hoạch CCHC 2026' });
      expect(none.status).toBe(303);
      expect(await target('backlog', 2026)).toMatchObject({ threshold: 0, confirmed: 1 });
      // A satisfaction target of 100% still means nothing: "above 100%" cannot be met.
      const full = await postForm(admin, '/admin/targets', '/admin/targets', { indicator: await indicator('sipas'), year: '2026', threshold: '100', source: 'x' });
      expect(full.status).toBe(422);
    });

    it('adds the next year as unconfirmed copies of the latest', async () => {
      await postForm(admin, '/admin/targets', '/admin/targets/year', { year: '2027' }).then((r) => expect(r.status).toBe(303));
      expect(await target('tthc', 2027)).toMatchObject({ threshold: 88.5, confirmed: 0 });
      expect(await target('sipas', 2027)).toMatchObject({ threshold: 90, confirmed: 0 });
    });
  });

  describe('questionnaires', () => {
    const latest = async (code: string) => t.db.selectFrom('questionnaires').selectAll().where('code', '=', code).orderBy('version', 'desc').executeTakeFirstOrThrow();

    it('a new version is copied from the current one, edited while nobody has answered it, and previewed exactly as citizens see it', async () => {
      const v1 = await latest('tthc-short');
      const created = await postForm(admin, `/admin/questionnaires/${v1.id}`, `/admin/questionnaires/${v1.id}/new-version`, {});
      expect(created.status).toBe(303);
      const v2 = await latest('tthc-short');
      expect(v2.version).toBe(v1.version + 1);
      expect(v2.locked).toBe(0);
      const questions = await t.db.selectFrom('questions').selectAll().where('questionnaire_id', '=', v2.id).orderBy('position').execute();
      const first = questions[0]!;
      const fields: Record<string, string> = { title_vi: 'Phiếu ngắn (bản 2)', title_en: 'Short form (v2)', intro_vi: v2.intro_vi, intro_en: v2.intro_en };
      for (const e of await t.db.selectFrom('elements').selectAll().where('questionnaire_id', '=', v2.id).execute()) {
        fields[`element_${e.id}_vi`] = e.name_vi;
        fields[`element_${e.id}_en`] = e.name_en;
      }
      for (const q of questions) {
        fields[`q_${q.id}_position`] = String(q.position + 1);
        fields[`q_${q.id}_vi`] = q.id === first.id ? 'Nơi tiếp đón có đủ chỗ ngồi không?' : q.text_vi;
        fields[`q_${q.id}_en`] = q.text_en;
        fields[`q_${q.id}_short_vi`] = q.id === first.id ? 'Chỗ ngồi' : '';
        fields[`q_${q.id}_short_en`] = '';
        if (q.element_code && q.role === 'criterion') fields[`q_${q.id}_element`] = q.element_code;
        if (q.required) fields[`q_${q.id}_required`] = '1';
      }
      const saved = await postForm(admin, `/admin/questionnaires/${v2.id}`, `/admin/questionnaires/${v2.id}`, fields);
      expect(saved.status).toBe(303);
      expect(await t.db.selectFrom('questions').select(['text_vi', 'short_vi']).where('id', '=', first.id).executeTakeFirstOrThrow()).toEqual({
        text_vi: 'Nơi tiếp đón có đủ chỗ ngồi không?',
        short_vi: 'Chỗ ngồi',
      });
      const preview = await admin.get(`/admin/questionnaires/${v2.id}/preview`).expect(200);
      expect(preview.text).toContain('Nơi tiếp đón có đủ chỗ ngồi không?');
      expect(preview.text).toContain('Phiếu ngắn (bản 2)');
      expect(preview.text).toMatch(/<button class="button button--primary button--block" type="submit" disabled>/);

      // A duplicated order is refused next to both questions, and nothing is saved.
      const clash = { ...fields, [`q_${questions[1]!.id}_position`]: '1' };
      const refused = await postForm(admin, `/admin/questionnaires/${v2.id}`, `/admin/questionnaires/${v2.id}`, clash);
      expect(refused.status).toBe(422);
      expect(readable(refused.text).match(/Hai câu hỏi không được cùng thứ tự\./g)).toHaveLength(2);
    });

    it('a desk moves to the new version explicitly; once answered, the version is locked and the editor says so', async () => {
      const v2 = await latest('tthc-short');
      const desk = await buildDesk(t.db, t.ready.secret, { unitCode: '16681', version: 1 });
      const before = await request(t.app).get(desk.url).expect(200);
      expect(before.text).not.toContain('Nơi tiếp đón có đủ chỗ ngồi không?');
      const fieldId = String((await t.db.selectFrom('fields').select('id').where('code', '=', 'dat-dai').executeTakeFirstOrThrow()).id);
      await postForm(admin, `/admin/desks/${desk.id}`, `/admin/desks/${desk.id}`, { name: 'Quầy 1', fields: fieldId, questionnaire: String(v2.id) });
      const after = await request(t.app).get(desk.url).expect(200);
      expect(after.text).toContain('Nơi tiếp đón có đủ chỗ ngồi không?');

      await submitSurvey(t.app, desk.url, shortAnswers()).then((r) => expect(r.status).toBe(303));
      const editor = await admin.get(`/admin/questionnaires/${v2.id}`).expect(200);
      expect(readable(editor.text)).toContain('Phiên bản này đã có người trả lời nên không sửa được nữa');
      expect(editor.text).toMatch(/<fieldset class="panel stack" disabled>/);
      const refused = await postForm(admin, `/admin/questionnaires/${v2.id}`, `/admin/questionnaires/${v2.id}`, { title_vi: 'Đổi sau khi có phiếu', title_en: 'x' });
      expect(refused.status).toBe(409);
      expect((await latest('tthc-short')).title_vi).toBe('Phiếu ngắn (bản 2)');
    });
  });

  describe('the audit log', () => {
    it('lists changes and sign-ins with who, when, what, before and after, filtered by person, day and kind, 50 a page', async () => {
      const page = (await admin.get('/admin/audit').expect(200)).text;
      const all = readable(page);
      // Actions in words, not the stored codes.
      expect(page).toContain('<td>Lưu chỉ tiêu</td>');
      expect(all).not.toContain('target.save');
      expect((await admin.get('/admin/audit?lang=en').expect(200)).text).toContain('<td>Targets saved</td>');
      expect(all).toContain('Cán bộ quantri (quantri)');
      expect(all).toMatch(/Trước: \{"threshold":87/);
      const logins = (await admin.get('/admin/audit?action=login').expect(200)).text;
      expect(logins).toContain('<td>Đăng nhập</td>');
      expect(logins).not.toContain('<td>Lưu chỉ tiêu</td>');
      const byUser = (await admin.get('/admin/audit?user=quantri&action=questionnaire').expect(200)).text;
      expect(byUser).toContain('<td>Sửa mẫu phiếu</td>');
      // A new version's subject and detail in words, not "tthc-short v3" and "copied from v2".
      const versions = readable((await admin.get('/admin/audit?action=questionnaire').expect(200)).text);
      expect(versions).toMatch(/tthc-short, phiên bản \d/);
      expect(versions).toMatch(/sao chép từ phiên bản \d/);
      expect(versions).not.toContain('copied from');
      const future = readable((await admin.get('/admin/audit?from=01/01/2099').expect(200)).text);
      expect(future).toContain('0 mục');
      const bad = readable((await admin.get('/admin/audit?from=31/02/2026').expect(200)).text);
      expect(bad).toContain('Ngày không hợp lệ');

      for (let i = 0; i < 60; i++) await t.db.insertInto('audit_log').values({ at: new Date(Date.UTC(2026, 0, 1, 0, i)).toISOString(), user_id: null, action: 'login.failed', subject: `thu${i}`, detail: '' }).execute();
      const first = await admin.get('/admin/audit?action=login').expect(200);
      expect(first.text.match(/<tr>\s*<th scope="row"/g)).toHaveLength(50);
      expect(first.text).toContain('rel="next"');
      const second = await admin.get('/admin/audit?action=login&page=2').expect(200);
      expect(second.text).toContain('rel="prev"');
    });
  });
});
