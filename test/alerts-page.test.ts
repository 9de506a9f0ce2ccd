/**
 * Issue 22, the alerts page /canh-bao as each role uses it: who sees which alerts (scoped like the
 * dashboard; the province's only for administrators), who may act (a viewer sees, without buttons,
 * and is refused), acknowledging, the follow-up form's rules (nothing written on a refusal), a
 * follow-up listed and audited with the subject's figure after it worked out by hand, and the open
 * alert on the dashboard's card, on the desk's page and in the printed report.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Alert } from '../db/schema.ts';
import type { StaffMember } from './support/actors.ts';
import { insertAlert } from './support/alerts.ts';
import { startTestApp, type TestApp } from './support/app.ts';
import { buildDesk, storeResponses, type TestDesk } from './support/builders.ts';
import { DIALECTS } from './support/dialects.ts';
import { readable } from './support/html.ts';
import { buildUser } from './support/staff.ts';

const SATISFIED = { a: 5, b: 5, c: 5, d: 5, e: 5, overall: 5 };
const DISSATISFIED = { a: 2, b: 2, c: 2, d: 2, e: 2, overall: 2 };

describe.each(DIALECTS)('on %s', (dialect) => {
  let t: TestApp;
  let deskA: TestDesk;
  let deskB: TestDesk;
  /** a1: desk A (Phường Thành Vinh); a2: desk B (Phường Vinh Hưng); a3: a field, the province's; a4: desk A, closed. */
  let a1: Alert, a2: Alert, a3: Alert, a4: Alert;
  let admin: StaffMember, manager: StaffMember, viewer: StaffMember;

  let deskAName: string;
  /** What a person reads on one alert's card. */
  const cardOf = (html: string, id: number) => {
    const start = html.indexOf(`<article class="card alert-card" id="canh-bao-${id}"`);
    return start < 0 ? '' : readable(html.slice(start, html.indexOf('</article>', start)));
  };
  const listed = (html: string) => [...html.matchAll(/<article class="card alert-card" id="canh-bao-(\d+)"/g)].map((m) => Number(m[1]));
  const actionsOf = (id: number) => t.db.selectFrom('alert_actions').selectAll().where('alert_id', '=', id).execute();
  const auditOf = (action: string) => t.db.selectFrom('audit_log').select(['subject', 'detail']).where('action', '=', action).orderBy('id').execute();
  const statusOf = async (id: number) => (await t.db.selectFrom('alerts').select('status').where('id', '=', id).executeTakeFirstOrThrow()).status;

  beforeAll(async () => {
    t = await startTestApp(dialect);
    t.clock.now = new Date('2025-06-20T03:00:00Z'); // local day 20/06/2025
    deskA = await buildDesk(t.db, t.ready.secret, { unitCode: '16681', code: 'MC-A' });
    deskB = await buildDesk(t.db, t.ready.secret, { unitCode: '17920', code: 'MC-B' });
    const unitId = async (code: string) => (await t.db.selectFrom('units').select('id').where('code', '=', code).executeTakeFirstOrThrow()).id;
    deskAName = (await t.db.selectFrom('desks').select('name').where('id', '=', deskA.id).executeTakeFirstOrThrow()).name;
    const field = await t.db.selectFrom('fields').select('id').where('code', '=', 'dat-dai').executeTakeFirstOrThrow();
    a4 = await insertAlert(t.db, { rule: 'below_target', kind: 'desk', subjectId: deskA.id, unitId: await unitId('16681'), status: 'closed', openedAt: '2025-05-01T01:00:00.000Z', closedAt: '2025-05-20T01:00:00.000Z' });
    a1 = await insertAlert(t.db, { rule: 'below_target', kind: 'desk', subjectId: deskA.id, unitId: await unitId('16681'), status: 'open', openedAt: '2025-06-10T01:00:00.000Z' });
    a2 = await insertAlert(t.db, { rule: 'below_target', kind: 'desk', subjectId: deskB.id, unitId: await unitId('17920'), status: 'open', openedAt: '2025-06-11T01:00:00.000Z' });
    a3 = await insertAlert(t.db, { rule: 'fall', kind: 'field', subjectId: field.id, unitId: null, status: 'open', openedAt: '2025-06-12T01:00:00.000Z' });
    await buildUser(t.db, 'quantri', 'admin', null);
    await buildUser(t.db, 'quanly', 'manager', '16681');
    await buildUser(t.db, 'xem', 'viewer', '16681');
    [admin, manager, viewer] = await Promise.all([t.staff('quantri'), t.staff('quanly'), t.staff('xem')]);
  }, 60_000);
  afterAll(() => t?.close());

  it('an administrator sees every alert, the province’s too; a manager and a viewer only their unit’s; the rules are said', async () => {
    const all = await admin.get('/canh-bao').expect(200);
    expect(listed(all.text)).toEqual([a3.id, a2.id, a1.id]); // newest first
    expect(readable(all.text)).toContain('Đang mở (3)');
    expect(readable(all.text)).toContain('Đã đóng (1)');
    expect(cardOf(all.text, a1.id)).toContain(`${deskAName} · Phường Thành Vinh: mức hài lòng dưới chỉ tiêu`);
    expect(cardOf(all.text, a1.id)).toContain('Mở ngày 10/06/2025');
    expect(cardOf(all.text, a3.id)).toContain('Lĩnh vực Đất đai (toàn tỉnh)');
    expect(readable(all.text)).toContain('kể cả khi tính theo mức rộng nhất, tỷ lệ hài lòng vẫn dưới chỉ tiêu');
    expect(readable(all.text)).toContain('ít nhất 30 người trả lời');
    expect(all.text).toContain('href="/canh-bao/cai-dat"');
    expect(listed((await admin.get('/canh-bao?tab=closed').expect(200)).text)).toEqual([a4.id]);
    expect(readable((await admin.get('/canh-bao?tab=closed').expect(200)).text)).toContain('Tự động đóng ngày 20/05/2025: tỷ lệ hài lòng đã lên 90,0%, cao hơn chỉ tiêu 87,0%.');

    const mine = await manager.get('/canh-bao').expect(200);
    expect(listed(mine.text)).toEqual([a1.id]);
    expect(readable(mine.text)).toContain('Đang mở (1)');
    expect(mine.text).toContain(`action="/canh-bao/${a1.id}/tiep-nhan"`);
    expect(mine.text).toContain(`action="/canh-bao/${a1.id}/theo-doi"`);

    const seen = await viewer.get('/canh-bao').expect(200);
    expect(listed(seen.text)).toEqual([a1.id]);
    expect(seen.text).not.toContain('/tiep-nhan');
    expect(seen.text).not.toContain('/theo-doi');
    expect(seen.text).not.toContain('href="/canh-bao/cai-dat"');

    const english = await admin.get('/canh-bao?lang=en').expect(200);
    expect(readable(english.text)).toContain('Open (3)');
    expect(readable(english.text)).toContain('satisfaction under the target even at the widest reading');
  });

  it('shows the open alert on the dashboard’s card, on the desk’s page and in the printed report', async () => {
    const dash = await admin.get('/dashboard').expect(200);
    expect(readable(dash.text)).toContain('3 cảnh báo đang mở trong phạm vi này');
    expect(dash.text).toContain(`href="/canh-bao/${a3.id}"`);
    // An alert's own address opens its card in its tab; another unit's (or the province's) is refused to a manager.
    expect((await admin.get(`/canh-bao/${a3.id}`).expect(303)).headers.location).toBe(`/canh-bao#canh-bao-${a3.id}`);
    expect((await admin.get(`/canh-bao/${a4.id}`).expect(303)).headers.location).toBe(`/canh-bao?tab=closed#canh-bao-${a4.id}`);
    await manager.get(`/canh-bao/${a3.id}`).expect(403);
    await manager.get('/canh-bao/999999').expect(404);
    const managerDash = await manager.get('/dashboard').expect(200);
    expect(readable(managerDash.text)).toContain('1 cảnh báo đang mở trong phạm vi này');
    expect(managerDash.text).toContain(`href="/canh-bao/${a1.id}"`);
    expect(managerDash.text).not.toContain(`#canh-bao-${a2.id}`);

    const desk = await manager.get(`/admin/desks/${deskA.id}`).expect(200);
    expect(readable(desk.text)).toContain('Cảnh báo của quầy');
    expect(listed(desk.text)).toEqual([a1.id]); // not the closed a4
    expect(desk.text).not.toContain('/tiep-nhan');

    const report = await manager.get('/report').expect(200);
    expect(readable(report.text)).toContain('Cảnh báo chưa đóng và việc khắc phục');
    expect(readable(report.text)).toContain('Phường Thành Vinh: mức hài lòng dưới chỉ tiêu');
    expect(readable(report.text)).not.toContain('Phường Vinh Hưng: mức hài lòng dưới chỉ tiêu');
  });

  it('a viewer, and a manager for another unit’s or the province’s alert, are refused (403) and nothing is written', async () => {
    const page = await viewer.page('/canh-bao');
    expect((await page.post(`/canh-bao/${a1.id}/tiep-nhan`)).status).toBe(403);
    expect((await page.post(`/canh-bao/${a1.id}/theo-doi`, { owner: 'Chị Lan', action: 'Nhắc cán bộ', due: '30/06/2025' })).status).toBe(403);
    const managerPage = await manager.page('/canh-bao');
    expect((await managerPage.post(`/canh-bao/${a2.id}/tiep-nhan`)).status).toBe(403);
    expect((await managerPage.post(`/canh-bao/${a3.id}/theo-doi`, { owner: 'Chị Lan', action: 'Nhắc cán bộ', due: '30/06/2025' })).status).toBe(403);
    expect((await managerPage.post('/canh-bao/99999/tiep-nhan')).status).toBe(404);
    expect(await statusOf(a1.id)).toBe('open');
    expect(await statusOf(a2.id)).toBe('open');
    expect(await actionsOf(a1.id)).toEqual([]);
    expect(await actionsOf(a3.id)).toEqual([]);
    expect(await auditOf('alert.acknowledge')).toEqual([]);
    expect(await auditOf('alert.follow_up')).toEqual([]);
  });

  it('a follow-up due in the past, or with nobody named, gets its message and the typed text back, and writes nothing', async () => {
    const page = await admin.page('/canh-bao');
    const past = await page.post(`/canh-bao/${a2.id}/theo-doi`, { owner: 'Anh Hùng', action: 'Họp tổ một cửa', due: '19/06/2025' });
    expect(past.status).toBe(422);
    expect(readable(past.text)).toContain('Chưa lưu được việc khắc phục: vui lòng sửa 1 mục dưới đây.');
    expect(readable(past.text)).toContain('Thời hạn không được trước hôm nay (20/06/2025).');
    expect(past.text).toContain('data-error-summary');
    expect(past.text).toContain(`href="#alert-${a2.id}-due"`);
    expect(past.text).toContain('value="Anh Hùng"');
    expect(past.text).toContain('>Họp tổ một cửa</textarea>');
    expect(past.text).toMatch(/<details class="alert-card__form" open>/);

    const nobody = await page.post(`/canh-bao/${a2.id}/theo-doi`, { owner: '   ', action: '', due: '31/02/2025' });
    expect(nobody.status).toBe(422);
    const text = readable(nobody.text);
    expect(text).toContain('vui lòng sửa 3 mục');
    expect(text).toContain('Vui lòng ghi người phụ trách.');
    expect(text).toContain('Vui lòng ghi việc đã làm hoặc sẽ làm.');
    expect(text).toContain('Thời hạn “31/02/2025” không phải là một ngày (dd/mm/yyyy).');

    const tooLong = await page.post(`/canh-bao/${a2.id}/theo-doi`, { owner: 'x'.repeat(201), action: 'Họp', due: '30/06/2025' });
    expect(tooLong.status).toBe(422);
    expect(readable(tooLong.text)).toContain('Người phụ trách không quá 200 ký tự.');

    const english = await (await admin.page('/canh-bao?lang=en')).post(`/canh-bao/${a2.id}/theo-doi?lang=en`, { owner: '', action: 'Meeting', due: '30/06/2025' });
    expect(readable(english.text)).toContain('Please say who took it.');

    expect(await actionsOf(a2.id)).toEqual([]);
    expect(await statusOf(a2.id)).toBe('open');
    expect(await auditOf('alert.follow_up')).toEqual([]);
  });

  it('acknowledging moves an alert to "Đã tiếp nhận", audited; a closed alert is not acknowledged but takes a follow-up', async () => {
    const page = await manager.page('/canh-bao');
    const done = await page.post(`/canh-bao/${a1.id}/tiep-nhan`);
    expect(done.status).toBe(303);
    expect(done.headers.location).toBe(`/canh-bao?tab=acknowledged#canh-bao-${a1.id}`);
    const acknowledged = await manager.get('/canh-bao?tab=acknowledged').expect(200);
    expect(listed(acknowledged.text)).toEqual([a1.id]);
    expect(readable(acknowledged.text)).toContain('Đã tiếp nhận cảnh báo.');
    expect(cardOf(acknowledged.text, a1.id)).toContain('Tiếp nhận ngày 20/06/2025');
    expect(listed((await manager.get('/canh-bao').expect(200)).text)).toEqual([]);
    expect(await auditOf('alert.acknowledge')).toEqual([{ subject: `#${a1.id} below_target|desk:${deskA.id}`, detail: '' }]);
    // Pressed again (another tab): nothing more written.
    expect((await page.post(`/canh-bao/${a1.id}/tiep-nhan`)).status).toBe(303);
    expect(await auditOf('alert.acknowledge')).toHaveLength(1);

    const closed = await manager.page('/canh-bao?tab=closed');
    expect(closed.text).not.toContain(`/canh-bao/${a4.id}/tiep-nhan`);
    expect((await closed.post(`/canh-bao/${a4.id}/tiep-nhan`)).status).toBe(409);
    const noted = await closed.post(`/canh-bao/${a4.id}/theo-doi`, { owner: 'Chị Lan', action: 'Ghi nhận để rút kinh nghiệm', due: '20/06/2025' });
    expect(noted.status).toBe(303);
    expect(await statusOf(a4.id)).toBe('closed');
    expect(await actionsOf(a4.id)).toHaveLength(1);
  });

  it('a follow-up is listed and audited, acknowledges an open alert, and its "Sau khi khắc phục" counts only responses after that day', async () => {
    // Recorded on 20/06/2025 (a1, acknowledged already; a3, open: acknowledged by it).
    const page = await manager.page('/canh-bao?tab=acknowledged');
    const sent = await page.post(`/canh-bao/${a1.id}/theo-doi`, { owner: 'Chị Lan, tổ một cửa', action: 'Bố trí thêm một cán bộ\nvào giờ cao điểm', due: '5/7/2025', page: '1' });
    expect(sent.status).toBe(303);
    const adminPage = await admin.page('/canh-bao');
    expect((await adminPage.post(`/canh-bao/${a3.id}/theo-doi`, { owner: 'Sở Nội vụ', action: 'Kiểm tra', due: '2025-06-30' })).status).toBe(303);
    expect(await statusOf(a3.id)).toBe('acknowledged');
    const [row] = await actionsOf(a1.id);
    expect(row).toMatchObject({ owner: 'Chị Lan, tổ một cửa', action: 'Bố trí thêm một cán bộ\nvào giờ cao điểm', due_day: '2025-07-05', created_day: '2025-06-20' });
    expect((await auditOf('alert.follow_up')).map((a) => a.subject)).toEqual([`#${a4.id} below_target|desk:${deskA.id}`, `#${a1.id} below_target|desk:${deskA.id}`, `#${a3.id} fall|field:${a3.subject_id}`]);
    expect((await auditOf('alert.acknowledge')).map((a) => a.detail)).toEqual(['', 'follow_up']);

    // Today: nothing counted yet.
    let card = cardOf((await manager.get('/canh-bao?tab=acknowledged').expect(200)).text, a1.id);
    expect(card).toContain('Chị Lan, tổ một cửa');
    expect(card).toContain('Thời hạn: 05/07/2025');
    expect(card).toContain('Ghi nhận ngày 20/06/2025, Cán bộ quanly');
    expect(card).toContain('Sau khi khắc phục: chưa có phiếu (tính từ 21/06/2025)');

    // Before and on the day (not counted): 30 dissatisfied. After: 40, of whom 36 satisfied -> 36/40 = 90,0%.
    await storeResponses(t.db, deskA.id, 'dat-dai', '2025-06-19', [{ copies: 20, ratings: DISSATISFIED }]);
    await storeResponses(t.db, deskA.id, 'dat-dai', '2025-06-20', [{ copies: 10, ratings: DISSATISFIED }]);
    await storeResponses(t.db, deskA.id, 'dat-dai', '2025-06-23', [{ copies: 20, ratings: SATISFIED }, { copies: 2, ratings: DISSATISFIED }]);
    await storeResponses(t.db, deskA.id, 'dat-dai', '2025-06-26', [{ copies: 16, ratings: SATISFIED }, { copies: 2, ratings: DISSATISFIED }]);
    // Desk B (another desk, same field and day): not desk A's figure.
    await storeResponses(t.db, deskB.id, 'dat-dai', '2025-06-23', [{ copies: 12, ratings: DISSATISFIED }]);
    t.clock.now = new Date('2025-06-28T03:00:00Z');
    card = cardOf((await manager.get('/canh-bao?tab=acknowledged').expect(200)).text, a1.id);
    expect(card).toContain('Sau khi khắc phục: 90,0% (40 người, từ 21/06/2025)');
    // The field across the province (a3): desks A and B after 20/06, 36 satisfied of 52 -> 69,2%.
    const fieldCard = cardOf((await admin.get('/canh-bao?tab=acknowledged').expect(200)).text, a3.id);
    expect(fieldCard).toContain('Sau khi khắc phục: 69,2% (52 người, từ 21/06/2025)');
    // The same figure on the desk's page and in the report.
    expect(readable((await manager.get(`/admin/desks/${deskA.id}`).expect(200)).text)).toContain('Sau khi khắc phục: 90,0% (40 người, từ 21/06/2025)');
    expect(readable((await manager.get('/report').expect(200)).text)).toContain('Sau khi khắc phục: 90,0% (40 người, từ 21/06/2025)');
    expect(readable((await manager.get('/canh-bao?tab=acknowledged&lang=en').expect(200)).text)).toContain('After the fix: 90.0% (40 people, from 21/06/2025)');
  });

  it('under MIN_RESPONSES respondents after the follow-up, says there are too few to conclude', async () => {
    const page = await admin.page('/canh-bao');
    // Recorded 28/06/2025; desk B gets 10 responses on 29/06.
    expect((await page.post(`/canh-bao/${a2.id}/theo-doi`, { owner: 'Anh Hùng', action: 'Họp tổ', due: '15/07/2025' })).status).toBe(303);
    await storeResponses(t.db, deskB.id, 'dat-dai', '2025-06-29', [{ copies: 9, ratings: SATISFIED }, { copies: 1, ratings: DISSATISFIED }]);
    t.clock.now = new Date('2025-06-30T03:00:00Z');
    const card = cardOf((await admin.get('/canh-bao?tab=acknowledged').expect(200)).text, a2.id);
    expect(card).toContain('Sau khi khắc phục: chưa đủ phiếu để kết luận (10 người, từ 29/06/2025)');
  });
});
