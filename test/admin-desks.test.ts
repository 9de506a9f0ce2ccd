/** Desks from the administration pages: create, edit, rotate the QR code, the QR images, posters and the kiosk. */
import { PNG } from 'pngjs';
import jsQR from 'jsqr';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './support/app.ts';
import { buildDesk, shortAnswers, submitSurvey } from './support/builders.ts';
import { launchBrowser, listen } from './support/browser.ts';
import { withoutAuditLog } from './support/audit.ts';
import { DIALECTS } from './support/dialects.ts';
import { signKioskToken } from '../server/tokens/tokens.ts';
import { readable } from './support/html.ts';
import { buildUser, postForm, signIn } from './support/staff.ts';

/** The text a QR image holds, read the way a phone's camera reads it. */
export function decodeQrPng(png: Buffer): string | null {
  const image = PNG.sync.read(png);
  return jsQR(new Uint8ClampedArray(image.data), image.width, image.height)?.data ?? null;
}

/** How many pages a PDF has (each page object is "/Type /Page"; the tree of them is "/Type /Pages"). */
export function pdfPages(pdf: Buffer): number {
  return (pdf.toString('latin1').match(/\/Type\s*\/Page(?!s)/g) ?? []).length;
}

describe.each(DIALECTS)('on %s', (dialect) => {
  let t: TestApp;
  let admin: Awaited<ReturnType<typeof signIn>>;
  let unitId: number;
  const fieldId = async (code: string) => String((await t.db.selectFrom('fields').select('id').where('code', '=', code).executeTakeFirstOrThrow()).id);
  const questionnaireId = async (code: string) =>
    String((await t.db.selectFrom('questionnaires').select('id').where('code', '=', code).orderBy('version', 'desc').executeTakeFirstOrThrow()).id);

  beforeAll(async () => {
    t = await startTestApp(dialect, { BASE_URL: 'http://khaosat.nghean.example' });
    await buildUser(t.db, 'quantri', 'admin', null);
    await buildUser(t.db, 'quanly.vinh', 'manager', '16681');
    admin = await signIn(t.app, 'quantri');
    unitId = (await t.db.selectFrom('units').select('id').where('code', '=', '17920').executeTakeFirstOrThrow()).id;
  });
  afterAll(() => t.close());

  async function createDesk(code: string, name: string, fields: string[]): Promise<number> {
    const res = await postForm(admin, `/admin/units/${unitId}`, `/admin/units/${unitId}/desks`, {
      code,
      name,
      fields: await Promise.all(fields.map(fieldId)),
      questionnaire: await questionnaireId('tthc-short'),
    });
    expect(res.status).toBe(303);
    return Number(/\/admin\/desks\/(\d+)/.exec(res.headers.location as string)?.[1]);
  }

  const deskPage = (id: number) => admin.get(`/admin/desks/${id}`).expect(200);
  const surveyPathOf = (html: string) => new URL(/<dt>Đường dẫn khảo sát \(trong mã QR\)<\/dt><dd><code class="copyable">([^<]+)<\/code>/.exec(html)?.[1] ?? '').pathname;

  it('adds a desk serving several fields, refuses one without a field or with a code in use, keeping what was typed', async () => {
    const missing = await postForm(admin, `/admin/units/${unitId}`, `/admin/units/${unitId}/desks`, { code: 'MC', name: 'Bộ phận Một cửa', questionnaire: await questionnaireId('tthc-short') });
    expect(missing.status).toBe(422);
    expect(missing.text).toContain('Vui lòng chọn ít nhất một lĩnh vực.');
    expect(missing.text).toContain('value="Bộ phận Một cửa"');
    const id = await createDesk('MC', 'Bộ phận Một cửa', ['dat-dai', 'tu-phap-ho-tich']);
    const again = await postForm(admin, `/admin/units/${unitId}`, `/admin/units/${unitId}/desks`, { code: 'MC', name: 'X', fields: await fieldId('dat-dai'), questionnaire: await questionnaireId('tthc-short') });
    expect(again.status).toBe(422);
    expect(readable(again.text)).toContain('Đơn vị đã có quầy mã MC.');

    const page = await deskPage(id);
    const survey = await request(t.app).get(surveyPathOf(page.text)).expect(200);
    expect(survey.text).toContain('name="field" value="dat-dai"');
    expect(survey.text).toContain('name="field" value="tu-phap-ho-tich"');
  });

  it('a desk and its audit entry are written together: when the entry cannot be written, no desk is created or changed', async () => {
    const id = await createDesk('HT', 'Quầy Hộ tịch', ['tu-phap-ho-tich']);
    const audited = await t.db.selectFrom('audit_log').select(['action', 'subject']).where('subject', '=', '17920/HT').execute();
    expect(audited).toEqual([{ action: 'desk.create', subject: '17920/HT' }]);
    // The audit log cannot be written for a moment (here: renamed away).
    const fields = { created: await fieldId('dat-dai'), changed: await fieldId('tu-phap-ho-tich') };
    const questionnaire = await questionnaireId('tthc-short');
    await withoutAuditLog(t.db, async () => {
      const created = await postForm(admin, `/admin/units/${unitId}`, `/admin/units/${unitId}/desks`, { code: 'KD', name: 'Quầy Kinh doanh', fields: fields.created, questionnaire });
      expect(created.status).toBe(500);
      const changed = await postForm(admin, `/admin/desks/${id}`, `/admin/desks/${id}`, { name: 'Tên mới', fields: fields.changed, questionnaire });
      expect(changed.status).toBe(500);
    });
    expect(await t.db.selectFrom('desks').select('id').where('code', '=', 'KD').executeTakeFirst()).toBeUndefined();
    expect((await t.db.selectFrom('desks').select('name').where('id', '=', id).executeTakeFirstOrThrow()).name).toBe('Quầy Hộ tịch');
  });

  it('edits the name, fields and questionnaire version of a desk; the survey follows at once', async () => {
    const id = await createDesk('DD', 'Quầy Đất đai', ['dat-dai']);
    const res = await postForm(admin, `/admin/desks/${id}`, `/admin/desks/${id}`, {
      name: 'Quầy Đất đai - Xây dựng',
      fields: [await fieldId('dat-dai'), await fieldId('xay-dung')],
      questionnaire: await questionnaireId('tthc-full'),
    });
    expect(res.status).toBe(303);
    const page = await deskPage(id);
    const survey = await request(t.app).get(surveyPathOf(page.text)).expect(200);
    expect(survey.text).toContain('Quầy Đất đai - Xây dựng');
    expect(survey.text).toContain('name="field" value="xay-dung"');
    // tthc-full has 22 criteria.
    expect(survey.text.match(/<fieldset class="question question--rating5/g)?.length).toBeGreaterThanOrEqual(22);
  });

  it('rotating the QR code (after a confirmation that says what happens) kills the printed code and the kiosk address; the new ones work', async () => {
    const id = await createDesk('TP', 'Quầy Tư pháp', ['tu-phap-ho-tich']);
    const before = await deskPage(id);
    const oldPath = surveyPathOf(before.text);
    const confirm = await admin.get(`/admin/desks/${id}/rotate`).expect(200);
    expect(readable(confirm.text)).toContain('mọi mã QR đã in của Quầy Tư pháp');
    await postForm(admin, `/admin/desks/${id}/rotate`, `/admin/desks/${id}/rotate`, {}).then((r) => expect(r.status).toBe(303));
    await request(t.app).get(oldPath).expect(404);
    const after = await deskPage(id);
    const newPath = surveyPathOf(after.text);
    expect(newPath).not.toBe(oldPath);
    await request(t.app).get(newPath).expect(200);
    expect(await t.db.selectFrom('audit_log').select('action').where('action', '=', 'desk.rotate').executeTakeFirst()).toBeDefined();
  });

  it('serves the QR code as SVG and as a PNG big enough for 6 cm at 300 dpi that decodes to the survey URL exactly', async () => {
    const id = await createDesk('QR', 'Quầy QR', ['dat-dai']);
    const url = `http://khaosat.nghean.example${surveyPathOf((await deskPage(id)).text)}`;
    const png = await admin.get(`/admin/desks/${id}/qr.png`).buffer(true).parse((res, done) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => done(null, Buffer.concat(chunks)));
    }).expect(200);
    expect(png.headers['content-type']).toBe('image/png');
    const body = png.body as Buffer;
    expect(PNG.sync.read(body).width).toBeGreaterThanOrEqual(709);
    expect(decodeQrPng(body)).toBe(url);
    const svg = await admin.get(`/admin/desks/${id}/qr.svg`).expect(200).expect('content-type', /image\/svg\+xml/);
    expect(String(svg.body ?? svg.text)).toContain('<svg');
    const manager = await signIn(t.app, 'quanly.vinh');
    await manager.get(`/admin/desks/${id}/qr.png`).expect(403);
  });

  it('the posters print one A4 page per active desk, with the unit, the desk, its fields, the instruction, the QR code and the URL', async () => {
    const server = await listen(t.app);
    const browser = await launchBrowser({ width: 1366 });
    try {
      // The session cookie, among the others the sign-in set (the login form's, the known browser's).
      const cookie = (await admin.get('/admin')).request.cookies.split(';').map((c) => c.trim()).find((c) => c.startsWith('sipas.sid=')) ?? '';
      const [name, value] = cookie.split('=');
      await browser.context.addCookies([{ name: name ?? '', value: value ?? '', url: server.url }]);
      const page = await browser.context.newPage();
      await page.goto(`${server.url}/admin/units/${unitId}/posters`);
      const posters = await page.locator('.poster').count();
      const active = await t.db.selectFrom('desks').select('id').where('unit_id', '=', unitId).where('active', '=', 1).execute();
      expect(posters).toBe(active.length);
      const text = await page.locator('.poster').first().innerText();
      expect(text).toContain('Quét mã QR bằng camera điện thoại hoặc Zalo để đánh giá — ẩn danh, khoảng 1 phút');
      expect(text).toContain('http://khaosat.nghean.example/q/');
      await page.waitForFunction(() => [...document.images].every((img) => img.complete && img.naturalWidth > 0));
      const pdf = await page.pdf({ format: 'A4', printBackground: true });
      expect(pdfPages(pdf)).toBe(active.length);
      expect(await page.locator('.posters__toolbar').isVisible()).toBe(true);
    } finally {
      await browser.close();
      await server.close();
    }
  }, 60_000);

  it('warns on the posters and the desk page when BASE_URL is an address phones cannot reach', async () => {
    const local = await startTestApp(dialect, { BASE_URL: 'http://localhost:3000' });
    try {
      await buildUser(local.db, 'quantri', 'admin', null);
      const agent = await signIn(local.app, 'quantri');
      const desk = await buildDesk(local.db, local.ready.secret, { unitCode: '16681' });
      const unit = (await local.db.selectFrom('units').select('id').where('code', '=', '16681').executeTakeFirstOrThrow()).id;
      expect(readable((await agent.get(`/admin/units/${unit}/posters`).expect(200)).text)).toContain('chỉ mở được trên chính máy chủ này');
      expect(readable((await agent.get(`/admin/desks/${desk.id}`).expect(200)).text)).toContain('điện thoại của người dân không mở được');
    } finally {
      await local.close();
    }
  });

  it('deactivating a desk stops its QR code; reactivating brings it back', async () => {
    const id = await createDesk('TAM', 'Quầy tạm', ['dat-dai']);
    const path = surveyPathOf((await deskPage(id)).text);
    await postForm(admin, `/admin/desks/${id}`, `/admin/desks/${id}/active`, { active: '0' });
    await request(t.app).get(path).expect(404);
    await postForm(admin, `/admin/desks/${id}`, `/admin/desks/${id}/active`, { active: '1' });
    await request(t.app).get(path).expect(200);
  });

  describe('the kiosk', () => {
    it('stores a submission from the counter tablet as channel kiosk; its thank-you page returns to an empty form after 8 seconds without JavaScript', async () => {
      const desk = await buildDesk(t.db, t.ready.secret, { unitCode: '16681', code: 'KIOSK' });
      // The desk's address from before tablets were registered one by one (test/kiosks.test.ts): it still works.
      const kioskPath = `/k/${signKioskToken(t.ready.secret, desk.id, 1)}`;
      expect(kioskPath).toMatch(/^\/k\//);
      const atKiosk = await t.citizen({ url: kioskPath }).take();
      const form = atKiosk.page;
      // Nothing on the kiosk leads away from the survey: no home link, no language link; the language
      // switch is a button of the kiosk's own form (its answers kept, the next citizen starts in Vietnamese).
      expect(form.text).not.toMatch(/<a [^>]*href="\/(\?lang=en)?"/);
      expect(form.text).not.toMatch(/<a [^>]*>English<\/a>/);
      expect(form.text).toMatch(/<button type="submit" class="site-header__lang[^"]*" form="survey-form"[^>]*>English<\/button>/);
      expect(/<form [^>]*id="survey-form"[^>]*>/.exec(form.text)?.[0]).toContain(`action="${kioskPath}"`);
      const res = await atKiosk.send(shortAnswers({ comment: 'Máy đánh giá dễ dùng.' })).expect(303);
      const stored = await t.db.selectFrom('responses').select(['channel']).where('desk_id', '=', desk.id).execute();
      expect(stored).toEqual([{ channel: 'kiosk' }]);
      const thanks = await request(t.app).get(res.headers.location as string).expect(200);
      expect(thanks.text).toContain(`<meta http-equiv="refresh" content="8;url=${kioskPath}">`);
      expect(thanks.headers['cache-control']).toBe('no-store');
      const next = await request(t.app).get(kioskPath).expect(200);
      expect(next.text).not.toContain('checked');
      expect(next.text).not.toContain('Máy đánh giá dễ dùng.');
      // A kiosk address is not a phone QR code, nor the other way round.
      await request(t.app).get(desk.url.replace('/q/', '/k/')).expect(404);
      await request(t.app).get(kioskPath.replace('/k/', '/q/')).expect(404);
      await submitSurvey(t.app, desk.url, shortAnswers()).then((r) => expect(r.status).toBe(303));
      expect((await t.db.selectFrom('responses').select('channel').where('desk_id', '=', desk.id).orderBy('id').execute()).map((r) => r.channel)).toEqual(['kiosk', 'qr']);
    });
  });
});
