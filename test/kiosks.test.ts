/**
 * Counter tablets as registered devices (issue 16): registered on the desk's page, each with its own
 * address that opens the kiosk form, revoked there alone (audited, and dead at the next request), who
 * may do it, and the desk's legacy kiosk address still opening the form for tablets set up before.
 */
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deskIdOfToken, signKioskToken, signTabletToken, verifyTabletToken } from '../server/tokens/tokens.ts';
import { startTestApp, type TestApp } from './support/app.ts';
import type { StaffMember } from './support/actors.ts';
import { buildDesk, shortAnswers, type TestDesk } from './support/builders.ts';
import { DIALECTS } from './support/dialects.ts';
import { readable } from './support/html.ts';
import { buildUser } from './support/staff.ts';

const BASE_URL = 'http://khaosat.nghean.example';
const SECRET = 'a-test-secret-of-enough-length-for-hmac';

describe('tablet tokens', () => {
  it('are t.<id base 36>.<22 characters>, verify to their id, and never read as a desk token', () => {
    const token = signTabletToken(SECRET, 1234);
    expect(token).toMatch(/^t\.ya\.[A-Za-z0-9_-]{22}$/);
    expect(verifyTabletToken(SECRET, token)).toBe(1234);
    expect(deskIdOfToken(token)).toBeNull();
    expect(verifyTabletToken('another-secret-entirely-for-the-test', token)).toBeNull();
    expect(verifyTabletToken(SECRET, token.replace('t.ya.', 't.yb.'))).toBeNull();
    expect(verifyTabletToken(SECRET, signKioskToken(SECRET, 1234, 1))).toBeNull();
    expect(verifyTabletToken(SECRET, `${token}x`)).toBeNull();
  });
});

describe.each(DIALECTS)('on %s', (dialect) => {
  let t: TestApp;
  let admin: StaffMember;
  let adminId: number;

  beforeAll(async () => {
    t = await startTestApp(dialect, { BASE_URL });
    adminId = await buildUser(t.db, 'quantri', 'admin', null);
    await buildUser(t.db, 'quanly.vinh', 'manager', '16681');
    await buildUser(t.db, 'quanly.khac', 'manager', '17920');
    admin = await t.staff('quantri');
  });
  afterAll(() => t.close());

  type Agent = typeof admin;
  const deskPage = (agent: Agent, desk: TestDesk, query = '') => agent.get(`/admin/desks/${desk.id}${query}`).expect(200);
  const register = (agent: Agent, desk: TestDesk, name: string, query = '') => agent.post(`/admin/desks/${desk.id}/kiosks${query}`, { kiosk_name: name }, `/admin/desks/${desk.id}${query}`);
  /** The tablet addresses the desk page shows, as paths. */
  const tabletPaths = (html: string) => [...html.matchAll(/<code class="copyable">(http:\/\/khaosat\.nghean\.example\/k\/t\.[^<]+)<\/code>/g)].map((m) => new URL(m[1] ?? '').pathname);
  const revokeHrefs = (html: string) => [...html.matchAll(/href="(\/admin\/desks\/\d+\/kiosks\/\d+\/revoke[^"]*)"/g)].map((m) => m[1] ?? '');
  const kiosksOf = (desk: TestDesk) => t.db.selectFrom('kiosks').selectAll().where('desk_id', '=', desk.id).orderBy('id').execute();
  const auditOf = (action: string) =>
    t.db.selectFrom('audit_log').leftJoin('users', 'users.id', 'audit_log.user_id').select(['users.username', 'audit_log.subject', 'audit_log.detail']).where('action', '=', action).orderBy('audit_log.id').execute();

  it('an administrator registers a tablet on the desk page; its address opens the kiosk form and a response through it is a kiosk response', async () => {
    const desk = await buildDesk(t.db, t.ready.secret, { unitCode: '16681', code: 'TAB1' });
    const before = await deskPage(admin, desk);
    expect(readable(before.text)).toContain('Máy tính bảng tại quầy');
    expect(readable(before.text)).toContain('Quầy chưa đăng ký máy tính bảng nào.');
    expect(readable(before.text)).toContain(
      'Máy tính bảng nào còn mở đường dẫn chung cũ của quầy (không gắn tên máy) vẫn nhận phiếu cho đến khi đổi mã QR của quầy. Hãy đăng ký riêng từng máy ở trên, mở đường dẫn mới trên máy, rồi đổi mã QR để ngừng đường dẫn cũ (cần in lại áp phích).',
    );
    // The legacy address itself is no longer handed out.
    expect(before.text).not.toContain(signKioskToken(t.ready.secret, desk.id, 1));

    const res = await register(admin, desk, '  Máy quầy 3  ');
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(`/admin/desks/${desk.id}`);
    const page = await deskPage(admin, desk);
    const text = readable(page.text);
    expect(text).toContain('Đã đăng ký máy tính bảng Máy quầy 3. Quét mã QR của máy ở mục “Máy tính bảng tại quầy” bên dưới bằng camera của chính máy đó.');
    expect(text).toContain('Máy quầy 3 Đăng ký ngày 15/06/2025, do Cán bộ quantri đăng ký');
    const [path] = tabletPaths(page.text);
    expect(path).toMatch(/^\/k\/t\.[0-9a-z]+\.[A-Za-z0-9_-]{22}$/);
    // Its QR code holds exactly that link, for the tablet's camera.
    const qrSrc = /<img class="tablet__qr" src="([^"]+)" alt="Mã QR mở đường dẫn của máy tính bảng Máy quầy 3"/.exec(page.text)?.[1] ?? '';
    const qr = await admin.get(qrSrc).expect(200);
    expect(qr.headers['content-type']).toContain('image/svg+xml');
    // A second tablet in use with the same name could not be told apart: refused, nothing written.
    const twin = await register(admin, desk, 'máy quầy 3');
    expect(twin.status).toBe(422);
    expect(readable(twin.text)).toContain('Quầy đã có máy tính bảng tên “máy quầy 3” đang dùng. Vui lòng đặt tên khác.');
    // The refused form's address (its language link, a reload) leads back to the desk's page.
    expect((await admin.get(`/admin/desks/${desk.id}/kiosks?lang=en`).expect(303)).headers.location).toBe(`/admin/desks/${desk.id}?lang=en#kiosks`);
    expect(await kiosksOf(desk)).toMatchObject([{ name: 'Máy quầy 3', created_by: adminId, created_at: t.clock.now.toISOString(), revoked_at: null }]);
    expect(await auditOf('kiosk.create')).toContainEqual({ username: 'quantri', subject: '16681/TAB1', detail: 'Máy quầy 3' });

    const atTablet = t.citizen({ url: path ?? '' });
    const form = await atTablet.open().expect(200);
    // The kiosk page: nothing on it leads away from the survey.
    expect(form.text).not.toMatch(/<a [^>]*href="\/(\?lang=en)?"/);
    expect(form.text).toContain('name="ft"');
    const sent = await atTablet.submit(shortAnswers());
    expect(sent.status).toBe(303);
    expect(await t.db.selectFrom('responses').select('channel').where('desk_id', '=', desk.id).execute()).toEqual([{ channel: 'kiosk' }]);

    // The same page in English.
    const en = readable((await deskPage(admin, desk, '?lang=en')).text);
    expect(en).toContain('Counter tablets');
    expect(en).toContain('Registered on 15/06/2025 by Cán bộ quantri');
    expect(en).toContain('A tablet still opening the desk’s old shared link (not tied to one tablet) keeps taking responses until the desk’s QR codes are replaced.');
  });

  it('revoking a tablet asks first; then its address answers as a bad QR code does, the other tablet still works, and the log says who', async () => {
    const desk = await buildDesk(t.db, t.ready.secret, { unitCode: '16681', code: 'TAB2' });
    await register(admin, desk, 'Máy quầy 1').then((r) => expect(r.status).toBe(303));
    await register(admin, desk, 'Máy quầy 2').then((r) => expect(r.status).toBe(303));
    const page = await deskPage(admin, desk);
    const [first, second] = tabletPaths(page.text);
    const [revokeFirst] = revokeHrefs(page.text);
    expect(first && second && revokeFirst).toBeTruthy();

    // A citizen at the first tablet has the form open when it is revoked.
    const atFirst = await t.citizen({ url: first ?? '' }).take();
    const confirm = await admin.get(revokeFirst ?? '').expect(200);
    expect(readable(confirm.text)).toContain('Sau khi thu hồi, đường dẫn của máy tính bảng “Máy quầy 1” tại Quầy');
    // Asking changes nothing.
    await request(t.app).get(first ?? '').expect(200);
    const revoked = await admin.post(revokeFirst ?? '');
    expect(revoked.status).toBe(303);
    expect(revoked.headers.location).toBe(`/admin/desks/${desk.id}`);

    const dead = await request(t.app).get(first ?? '').expect(404);
    const badQr = await request(t.app).get(`/k/t.zz.${'A'.repeat(22)}`).expect(404);
    expect(readable(dead.text)).toBe(readable(badQr.text));
    // Said to the citizen standing at the counter, with no link out of the kiosk.
    expect(readable(dead.text)).toContain('Máy tính bảng này hiện không nhận phiếu Vui lòng báo cán bộ tiếp nhận, hoặc quét mã QR dán tại quầy để đánh giá bằng điện thoại.');
    expect(dead.text).not.toMatch(/<a [^>]*href="\/(\?lang=en)?"/);
    await atFirst.send(shortAnswers()).expect(404);
    await request(t.app).get(second ?? '').expect(200);

    const after = await deskPage(admin, desk);
    const text = readable(after.text);
    expect(text).toContain('Đã thu hồi máy tính bảng Máy quầy 1: đường dẫn của máy không còn mở được phiếu.');
    expect(text).toContain('Máy quầy 1 Đăng ký ngày 15/06/2025, do Cán bộ quantri đăng ký Đã thu hồi ngày 15/06/2025');
    expect(tabletPaths(after.text)).toEqual([second]);
    expect(await auditOf('kiosk.revoke')).toContainEqual({ username: 'quantri', subject: '16681/TAB2', detail: 'Máy quầy 1' });
    // The audit log's "Máy tính bảng tại quầy" kind finds both.
    const log = readable((await admin.get('/admin/audit?action=kiosk').expect(200)).text);
    expect(log).toContain('Thu hồi máy tính bảng tại quầy');
    expect(log).toContain('Đăng ký máy tính bảng tại quầy');

    // A tablet already revoked, or another desk's, is not this desk's to revoke.
    await admin.get(revokeFirst ?? '').expect(404);
    expect((await admin.post(revokeFirst ?? '', {}, `/admin/desks/${desk.id}`)).status).toBe(404);
    const other = await buildDesk(t.db, t.ready.secret, { unitCode: '16681', code: 'TAB2B' });
    const [secondRevoke] = revokeHrefs(after.text);
    await admin.get((secondRevoke ?? '').replace(`/desks/${desk.id}/`, `/desks/${other.id}/`)).expect(404);
    expect((await auditOf('kiosk.revoke')).filter((a) => a.subject.startsWith('16681/TAB2'))).toHaveLength(1);
  });

  it('a name that is empty or longer than 60 characters writes nothing and says why, next to the field', async () => {
    const desk = await buildDesk(t.db, t.ready.secret, { unitCode: '16681', code: 'TAB3' });
    const logged = (await auditOf('kiosk.create')).length;
    for (const name of ['', '    ', 'Đ'.repeat(61)]) {
      const res = await register(admin, desk, name);
      expect(res.status).toBe(422);
      expect(res.text).toMatch(/<p class="field__error" id="f-kiosk-name-error">Vui lòng nhập tên máy tính bảng \(tối đa 60 ký tự\).<\/p>/);
      expect(res.text).toContain(`name="kiosk_name" value="${name.trim()}"`);
    }
    const en = await register(admin, desk, '', '?lang=en');
    expect(en.status).toBe(422);
    expect(readable(en.text)).toContain('Please enter the tablet’s name (60 characters at most).');
    expect(await kiosksOf(desk)).toEqual([]);
    expect(await auditOf('kiosk.create')).toHaveLength(logged);
    // Sixty Vietnamese letters are sixty characters.
    await register(admin, desk, 'Đ'.repeat(60)).then((r) => expect(r.status).toBe(303));
    expect(await kiosksOf(desk)).toHaveLength(1);
  });

  it('a manager of another unit can neither register nor revoke a tablet; the desk unit’s manager can; an unknown desk is 404', async () => {
    const desk = await buildDesk(t.db, t.ready.secret, { unitCode: '16681', code: 'TAB4' });
    await register(admin, desk, 'Máy quầy 1').then((r) => expect(r.status).toBe(303));
    const page = await deskPage(admin, desk);
    const [revoke] = revokeHrefs(page.text);
    const [path] = tabletPaths(page.text);

    // Another unit's manager, posting from a page they may open (their units list).
    const outsider = await t.staff('quanly.khac');
    expect((await outsider.post(`/admin/desks/${desk.id}/kiosks`, { kiosk_name: 'Máy lạ' }, '/admin/units')).status).toBe(403);
    await outsider.get(revoke ?? '').expect(403);
    expect((await outsider.post(revoke ?? '', {}, '/admin/units')).status).toBe(403);
    expect((await outsider.post('/admin/desks/999999/kiosks', { kiosk_name: 'Máy lạ' }, '/admin/units')).status).toBe(404);
    expect(await kiosksOf(desk)).toMatchObject([{ name: 'Máy quầy 1', revoked_at: null }]);
    await request(t.app).get(path ?? '').expect(200);

    const manager = await t.staff('quanly.vinh');
    await register(manager, desk, 'Máy quầy 2').then((r) => expect(r.status).toBe(303));
    await manager.get(revoke ?? '').expect(200);
    expect((await manager.post(revoke ?? '')).status).toBe(303);
    expect((await kiosksOf(desk)).map((k) => [k.name, k.revoked_at !== null])).toEqual([['Máy quầy 1', true], ['Máy quầy 2', false]]);
    expect(await auditOf('kiosk.revoke')).toContainEqual({ username: 'quanly.vinh', subject: '16681/TAB4', detail: 'Máy quầy 1' });
  });

  it('the desk’s legacy kiosk address still opens the form and counts as a kiosk response; rotating the QR codes ends it but not the registered tablets', async () => {
    const desk = await buildDesk(t.db, t.ready.secret, { unitCode: '16681', code: 'TAB5' });
    const legacy = `/k/${signKioskToken(t.ready.secret, desk.id, 1)}`;
    const sent = await t.citizen({ url: legacy }).submit(shortAnswers());
    expect(sent.status).toBe(303);
    expect(await t.db.selectFrom('responses').select('channel').where('desk_id', '=', desk.id).execute()).toEqual([{ channel: 'kiosk' }]);

    await register(admin, desk, 'Máy quầy 1').then((r) => expect(r.status).toBe(303));
    const [path] = tabletPaths((await deskPage(admin, desk)).text);
    await admin.get(`/admin/desks/${desk.id}/rotate`).expect(200);
    expect((await admin.post(`/admin/desks/${desk.id}/rotate`)).status).toBe(303);
    await request(t.app).get(legacy).expect(404);
    await request(t.app).get(path ?? '').expect(200);
  });
});
