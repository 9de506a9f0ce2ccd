/**
 * A desk's short address (issue 21, item 7): the poster prints `BASE_URL/q/7K3M-9PXA` under the QR code
 * instead of a 33-character token mixing I, l and 1. What a citizen would notice: the code typed in
 * any case, with or without the dash or spaces, on the address bar or in the home page's box, opens
 * that desk's form and the answers are counted there; a wrong code says so in their language; the
 * signed QR link keeps working; revoking the desk's posters ends the old short code as it ends the old
 * QR code, with the change in the audit log; desks of a database from before the change get a code.
 */
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateTo, migrateToLatest } from '../db/migrate.ts';
import { readShortCode, SHORT_CODE_ALPHABET } from '../db/short-codes.ts';
import type { StaffMember } from './support/actors.ts';
import { startTestApp, type TestApp } from './support/app.ts';
import { buildDesk, shortAnswers, type TestDesk } from './support/builders.ts';
import { withoutAuditLog } from './support/audit.ts';
import { DIALECTS } from './support/dialects.ts';
import { readable } from './support/html.ts';
import { buildUser } from './support/staff.ts';

const CODE = new RegExp(`^[${SHORT_CODE_ALPHABET}]{8}$`);

describe('reading what a citizen typed', () => {
  it('any case, spaces and dashes, or the whole address; nothing that cannot be a code', () => {
    for (const typed of ['7K3M9PXA', '7k3m-9pxa', ' 7K3M 9PXA ', '7k3m–9pxa', 'http://sipas.test/q/7k3m-9pxa', 'sipas.test/q/7K3M-9PXA/']) expect(readShortCode(typed)).toBe('7K3M9PXA');
    // Look-alikes are not in the alphabet (0/O, 1/I/L, 2/Z, 5/S, 8/B): a code read wrongly is refused, never another desk's.
    for (const typed of ['', '7K3M9PX', '7K3M9PXAA', '7K3M9PX0', '7K3M9PXO', '7K3M9PX1', '7K3M9PXI', '7K3M9PXL', '1.eIupdLh1ZS6AJiYzqKjxqw']) expect(readShortCode(typed)).toBeNull();
    for (const lookAlike of '0O1IL2Z5S8BQUVG') expect(SHORT_CODE_ALPHABET).not.toContain(lookAlike);
  });
});

describe.each(DIALECTS)('on %s', (dialect) => {
  let t: TestApp;
  let admin: StaffMember;
  let desk: TestDesk;
  const shortCode = async (id: number) => (await t.db.selectFrom('desks').select('short_code').where('id', '=', id).executeTakeFirstOrThrow()).short_code;
  const responsesAt = async (id: number) => (await t.db.selectFrom('responses').select('channel').where('desk_id', '=', id).execute()).map((r) => r.channel);

  beforeAll(async () => {
    t = await startTestApp(dialect);
    desk = await buildDesk(t.db, t.ready.secret, { code: 'NGAN' });
    await buildUser(t.db, 'quantri', 'admin', null);
    admin = await t.staff('quantri');
  });
  afterAll(() => t.close());

  it('every desk has its own random code of 8 symbols without look-alikes', async () => {
    const others = [await buildDesk(t.db, t.ready.secret), await buildDesk(t.db, t.ready.secret)];
    const codes = await Promise.all([desk, ...others].map((d) => shortCode(d.id)));
    for (const code of codes) expect(code).toMatch(CODE);
    expect(new Set(codes).size).toBe(codes.length);
  });

  it('typed by hand in small letters with a dash, the short address opens the desk’s form and the answers count for that desk', async () => {
    const code = await shortCode(desk.id);
    const typed = `/q/${code.slice(0, 4).toLowerCase()}-${code.slice(4).toLowerCase()}`;
    const page = await request(t.app).get(typed).expect(200);
    expect(readable(page.text)).toContain('Quầy');
    expect((await t.citizen({ url: typed }).submit(shortAnswers())).status).toBe(303);
    // With a space typed in the middle too.
    expect((await t.citizen({ url: `/q/${code.slice(0, 4)}%20${code.slice(4)}` }).submit(shortAnswers())).status).toBe(303);
    expect(await responsesAt(desk.id)).toEqual(['qr', 'qr']);
  });

  it('the long signed link in the QR code still opens the form', async () => {
    await request(t.app).get(desk.url).expect(200);
  });

  it('a wrong code gets the wrong-QR-code page, in Vietnamese or English, and nothing is written', async () => {
    const before = await responsesAt(desk.id);
    const vi = await request(t.app).get('/q/7K3M-9PXA').expect(404);
    expect(readable(vi.text)).toContain('Mã QR không hợp lệ');
    expect(vi.text).toContain('<a class="button" href="/">Về trang chủ</a>');
    const en = await request(t.app).get('/q/7k3m9pxa?lang=en').expect(404);
    expect(readable(en.text)).toContain('This QR code is not valid');
    // A short code is not a tablet's address.
    await request(t.app).get(`/k/${await shortCode(desk.id)}`).expect(404);
    expect(await responsesAt(desk.id)).toEqual(before);
  });

  it('the home page’s box takes the code as typed and opens the desk’s form', async () => {
    const code = await shortCode(desk.id);
    const typed = `${code.slice(0, 4).toLowerCase()} - ${code.slice(4).toLowerCase()}`;
    const res = await request(t.app).get(`/?ma=${encodeURIComponent(typed)}`).expect(303);
    expect(res.headers.location).toBe(`/q/${code}`);
    await request(t.app).get(String(res.headers.location)).expect(200);
    const en = await request(t.app).get(`/?lang=en&ma=${code}`).expect(303);
    expect(en.headers.location).toBe(`/q/${code}?lang=en`);
  });

  it('the home page’s box says what to type when the code is missing, malformed or unknown', async () => {
    const empty = await request(t.app).get('/?ma=').expect(422);
    expect(readable(empty.text)).toContain('Xin gõ mã của quầy: 8 chữ và số in dưới mã QR, ví dụ 7K3M-9PXA.');
    const malformed = await request(t.app).get('/?ma=1.eIupdLh1ZS6AJiYzqKjxqw').expect(422);
    expect(readable(malformed.text)).toContain('Mã này không đúng. Mã của quầy gồm 8 chữ và số in dưới mã QR');
    expect(malformed.text).toContain('value="1.eIupdLh1ZS6AJiYzqKjxqw"');
    expect(malformed.text).toContain('aria-invalid="true"');
    const unknown = await request(t.app).get('/?ma=7k3m9pxa').expect(404);
    expect(readable(unknown.text)).toContain('Không có quầy nào đang dùng mã 7K3M-9PXA.');
    const english = await request(t.app).get('/?lang=en&ma=7k3m9pxa').expect(404);
    expect(readable(english.text)).toContain('No desk uses the code 7K3M-9PXA.');
    expect(english.text).toContain('<input type="hidden" name="lang" value="en">');
  });

  it('the desk’s page and its poster show the short address in groups', async () => {
    const code = await shortCode(desk.id);
    const grouped = `${code.slice(0, 4)}-${code.slice(4)}`;
    const page = await admin.page(`/admin/desks/${desk.id}`);
    expect(readable(page.text)).toContain(`Địa chỉ ngắn để gõ tay (in dưới mã QR; chữ hoa hay thường đều được) http://sipas.test/q/${grouped}`);
    const unitId = (await t.db.selectFrom('desks').select('unit_id').where('id', '=', desk.id).executeTakeFirstOrThrow()).unit_id;
    const posters = await admin.get(`/admin/units/${unitId}/posters`).expect(200);
    expect(posters.text).toContain(`<p class="poster__short"><span class="poster__short-base">http://sipas.test/q/</span><strong class="poster__short-code">${grouped}</strong></p>`);
    // The long token is in the QR code, no longer printed for typing.
    expect(posters.text).not.toContain(`<p class="poster__url">`);
  });

  it('revoking the desk’s posters ends its short code too, gives it a new one, and logs both; refused whole without the audit log', async () => {
    const old = await shortCode(desk.id);
    const rotate = `/admin/desks/${desk.id}/rotate`;
    const page = await admin.page(rotate);
    await withoutAuditLog(t.db, () => page.post(rotate, {}).expect(500));
    expect(await shortCode(desk.id)).toBe(old);
    await request(t.app).get(`/q/${old}`).expect(200);

    expect((await admin.post(rotate, {}, rotate)).status).toBe(303);
    const renewed = await shortCode(desk.id);
    expect(renewed).toMatch(CODE);
    expect(renewed).not.toBe(old);
    await request(t.app).get(`/q/${old}`).expect(404);
    await request(t.app).get(`/?ma=${old}`).expect(404);
    await request(t.app).get(`/q/${renewed.toLowerCase()}`).expect(200);
    // The old QR code ends with it.
    await request(t.app).get(desk.url).expect(404);
    const entry = await t.db.selectFrom('audit_log').select(['before_json', 'after_json']).where('action', '=', 'desk.rotate').where('subject', '=', '16681/NGAN').executeTakeFirstOrThrow();
    expect(JSON.parse(entry.before_json ?? '{}')).toMatchObject({ shortCode: old });
    expect(JSON.parse(entry.after_json ?? '{}')).toMatchObject({ shortCode: renewed });
  });

  it('a desk switched off: its short code opens nothing', async () => {
    const closing = await buildDesk(t.db, t.ready.secret);
    const code = await shortCode(closing.id);
    await request(t.app).get(`/q/${code}`).expect(200);
    expect((await admin.post(`/admin/desks/${closing.id}/active`, { active: '0' }, `/admin/desks/${closing.id}`)).status).toBe(303);
    await request(t.app).get(`/q/${code}`).expect(404);
    await request(t.app).get(`/?ma=${code}`).expect(404);
  });

  it('desks made before the migration each get a code of their own', async () => {
    await migrateTo(t.db, '2026-12-05-0014-dossier-counts');
    await migrateToLatest(t.db);
    const rows = await t.db.selectFrom('desks').select(['id', 'short_code']).execute();
    expect(rows.length).toBeGreaterThanOrEqual(4);
    for (const row of rows) expect(row.short_code).toMatch(CODE);
    expect(new Set(rows.map((r) => r.short_code)).size).toBe(rows.length);
    // And the codes it gave open the forms.
    await request(t.app).get(`/q/${await shortCode(desk.id)}`).expect(200);
  });
});
