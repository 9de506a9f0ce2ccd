/**
 * Staff-entered responses are reviewed (issue 16, "Counted means counted once"): a unit's manager
 * typing a box of paper forms in minutes, or forms dated late, or a stamp, lands them in the review
 * queue as `suspect`; they leave the indicator unchanged until someone other than their typist (an
 * administrator, or another manager of the unit) keeps them. A manager reviews only the paper forms
 * of the units they manage, never a phone response, and never a form they typed in themselves.
 */
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './support/app.ts';
import { buildDesk, storeResponses, type TestDesk } from './support/builders.ts';
import { DIALECTS } from './support/dialects.ts';
import { readable } from './support/html.ts';
import { recountRollups, storedRollups } from './support/recount.ts';
import type { StaffMember } from './support/actors.ts';
import { buildToken, buildUser } from './support/staff.ts';

type Agent = StaffMember;

describe.each(DIALECTS)('on %s', (dialect) => {
  let t: TestApp;
  let adminToken: string;
  let desk: TestDesk;
  let phoneDesk: TestDesk;
  let otherDesk: TestDesk;
  let managerId: number;
  let manager: Agent;
  let clerk: Agent;
  let admin: Agent;

  beforeAll(async () => {
    t = await startTestApp(dialect);
    // Sunday 15 June 2025, 10:00 in Vinh.
    t.clock.now = new Date('2025-06-15T03:00:00Z');
    desk = await buildDesk(t.db, t.ready.secret, { unitCode: '16681', code: 'GIAY' });
    phoneDesk = await buildDesk(t.db, t.ready.secret, { unitCode: '16681', code: 'QR' });
    otherDesk = await buildDesk(t.db, t.ready.secret, { unitCode: '17329', code: 'XA' });
    adminToken = await buildToken(t.db, await buildUser(t.db, 'quantri', 'admin', null));
    managerId = await buildUser(t.db, 'quanly', 'manager', '16681');
    await buildUser(t.db, 'quanly.xa', 'manager', '17329');
    await buildUser(t.db, 'nhap.phieu', 'viewer', '16681');
    await t.db.updateTable('users').set({ paper_entry: 1 }).where('username', '=', 'nhap.phieu').execute();
    manager = await t.staff('quanly');
    clerk = await t.staff('nhap.phieu');
    admin = await t.staff('quantri');
  });
  afterAll(() => t.close());

  async function indicator(): Promise<{ n: number; value: number | null }> {
    const res = await request(t.app).get('/api/v1/indicators?period=month').set('Authorization', `Bearer ${adminToken}`).expect(200);
    const found = (res.body as { indicators: { code: string; n: number; value: number | null }[] }).indicators.find((i) => i.code === 'tthc');
    if (!found) throw new Error('no tthc indicator');
    return { n: found.n, value: found.value };
  }

  /** Types one paper form in, as the entry page does; returns the POST's response. */
  async function typeForm(agent: Agent, at: TestDesk, day: string, fields: Record<string, string>): Promise<request.Response> {
    return agent.post('/paper/entry', { desk: String(at.id), day, count: '0', ...fields }, `/paper/entry?desk=${at.id}&day=${encodeURIComponent(day)}`);
  }

  /** The indicator is the share of 4-5 on the overall question, in percent: `satisfied` of `n`. */
  async function expectIndicator(n: number, satisfied: number): Promise<void> {
    const now = await indicator();
    expect(now.n).toBe(n);
    expect(now.value).toBeCloseTo((100 * satisfied) / n, 9);
  }

  const criteria = (v: string) => ({ a: v, b: v, c: v, d: v, e: v });

  async function paperRows(deskId: number) {
    return t.db.selectFrom('responses').select(['id', 'status', 'flags', 'entered_by', 'local_day']).where('desk_id', '=', deskId).where('channel', '=', 'paper').orderBy('id').execute();
  }

  it('a form dated 20 days back lands `paper-old`, one dated 14 days back is counted; the typist is told calmly', async () => {
    const clerkId = (await t.db.selectFrom('users').select('id').where('username', '=', 'nhap.phieu').executeTakeFirstOrThrow()).id;
    const fresh = await typeForm(clerk, desk, '01/06/2025', { paper_number: 'B001', ...criteria('4'), overall: '4' });
    expect(fresh.status).toBe(303);
    expect(fresh.headers.location).not.toContain('review=1');
    const late = await typeForm(clerk, desk, '26/05/2025', { paper_number: 'B002', ...criteria('5'), overall: '5' });
    expect(late.status).toBe(303);
    expect(late.headers.location).toContain('review=1');
    const page = readable((await clerk.get(late.headers.location as string).expect(200)).text);
    expect(page).toContain('Đã lưu phiếu số B002');
    expect(page).toContain('sẽ được tính sau khi một người khác (quản trị viên hoặc cán bộ quản lý khác của đơn vị) xem xét. Ông/Bà không cần làm gì thêm.');
    expect(await paperRows(desk.id)).toEqual([
      expect.objectContaining({ status: 'ok', flags: '', entered_by: clerkId, local_day: '2025-06-01' }),
      expect.objectContaining({ status: 'suspect', flags: 'paper-old', entered_by: clerkId, local_day: '2025-05-26' }),
    ]);
  });

  it('a manager types 60 forms in 3 minutes: the first 30 count, the other 30 land `paper-many` and leave the indicator unchanged', async () => {
    const before = await indicator();
    // Nothing of June counted yet: the clerk's forms are dated 1 June (counted) and 26 May (suspect).
    // 1 June's form rates the overall question 4: n 1, 100%.
    expect(before).toEqual({ n: 1, value: 100 });
    const start = t.clock.now.getTime();
    const locations: string[] = [];
    for (let i = 0; i < 60; i++) {
      t.clock.now = new Date(start + i * 3_000);
      // Criteria cycle through 2, 3, 4, 5 (no four forms alike); the overall question is 2 or 4 for the
      // first 30 (15 satisfied), 5 for the other 30.
      const overall = i < 30 ? (i % 2 === 0 ? '2' : '4') : '5';
      const res = await typeForm(manager, desk, '10/06/2025', { paper_number: `A${String(i + 1).padStart(3, '0')}`, ...criteria(String(2 + (i % 4))), overall });
      expect(res.status).toBe(303);
      locations.push(res.headers.location as string);
    }
    const rows = (await paperRows(desk.id)).filter((r) => r.entered_by === managerId);
    expect(rows).toHaveLength(60);
    expect(rows.slice(0, 30).every((r) => r.status === 'ok' && r.flags === '')).toBe(true);
    expect(rows.slice(30).every((r) => r.status === 'suspect' && r.flags === 'paper-many')).toBe(true);
    expect(locations[29]).not.toContain('review=1');
    expect(locations[30]).toContain('review=1');
    // 1 + 30 counted overall ratings, 1 + 15 of them 4-5: 16/31 = 51.6%.
    await expectIndicator(31, 16);
    expect(await storedRollups(t.db)).toEqual(await recountRollups(t.db));
    const audit = await t.db.selectFrom('audit_log').select('detail').where('action', '=', 'paper.enter').where('user_id', '=', managerId).orderBy('id').execute();
    expect(audit[29]?.detail).toBe(`desk ${desk.id} form A030 day 2025-06-10`);
    expect(audit[30]?.detail).toBe(`desk ${desk.id} form A031 day 2025-06-10 flagged paper-many`);
  });

  it('the review page shows the channel "Phiếu giấy" and who typed each paper form', async () => {
    const page = await admin.get('/admin/review').expect(200);
    const text = readable(page.text);
    expect(text).toContain('Kênh: Phiếu giấy · Người nhập: Cán bộ quanly (quanly)');
    expect(text).toContain('Kênh: Phiếu giấy · Người nhập: Cán bộ nhap.phieu (nhap.phieu)');
    expect(text).toContain('Cùng một tài khoản nhập hơn 30 phiếu giấy trong 60 phút');
    expect(text).toContain('Ngày ghi trên phiếu giấy cách ngày nhập hơn 14 ngày');
    expect(text).toContain('30 phiếu · 10/06/2025 – 10/06/2025');
    // Each response: the day it counts for (the day on the form), the channel and the typist.
    // (Each value after its column's name, shown on a phone where the row becomes lines: app.css, .stack-label.)
    expect(text).toContain('Tính vào ngày: 10/06/2025 Thời gian trả lời: – Kênh: Phiếu giấy Người nhập: Cán bộ quanly (quanly)');
    expect(text).toContain('Giữ lại cả 30 phiếu');
    expect(text).toContain('Chờ xem xét (31)');
  });

  it("a manager sees their units' paper groups, not a phone group of their unit nor another unit's paper forms", async () => {
    // A phone group at the manager's own unit, and a late paper form of another unit.
    await storeResponses(t.db, phoneDesk.id, 'dat-dai', '2025-06-14', [{ copies: 3, ratings: { a: 1, b: 1, c: 1, d: 1, e: 1, overall: 1 }, status: 'suspect' }]);
    await t.db.updateTable('responses').set({ flags: 'many-forms' }).where('desk_id', '=', phoneDesk.id).execute();
    const other = await t.staff('quanly.xa');
    expect((await typeForm(other, otherDesk, '26/05/2025', { paper_number: 'X001', ...criteria('5'), overall: '5' })).status).toBe(303);
    expect(await paperRows(otherDesk.id)).toEqual([expect.objectContaining({ status: 'suspect', flags: 'paper-old' })]);

    const page = await manager.page('/admin/review');
    const text = readable(page.text);
    expect(text).toContain('Ông/Bà xem xét các phiếu giấy bị đánh dấu của các đơn vị mình quản lý');
    expect(text).toContain('Phường Thành Vinh');
    expect(text).toContain('Kênh: Phiếu giấy · Người nhập: Cán bộ nhap.phieu (nhap.phieu)');
    expect(text).toContain('Kênh: Phiếu giấy · Người nhập: Cán bộ quanly (quanly)');
    expect(text).not.toContain('Mã QR');
    expect(text).not.toContain('mở quá nhiều phiếu');
    expect(text).not.toContain('Xã Anh Sơn');
    // 30 of the manager's own + 1 of the clerk's; not the 3 phone responses, not the other unit's.
    expect(text).toContain('Chờ xem xét (31)');
    // Their own forms: shown, with a word that someone else decides, and no button for them.
    expect(text).toContain('Các phiếu này do chính Ông/Bà nhập nên Ông/Bà không thể tự giữ lại hoặc loại bỏ');
    expect(text).not.toContain('Giữ lại cả 30 phiếu');
    expect(text).toContain('Giữ lại phiếu này');
    expect(text).toContain('Nếu tính phiếu này');
    expect(text).not.toContain('Giữ lại cả 1 phiếu');
    expect(page.text).not.toContain(`name="desk" value="${phoneDesk.id}"`);

    // The other unit's manager sees only theirs; the administrator sees all four groups.
    const theirs = readable((await other.get('/admin/review').expect(200)).text);
    expect(theirs).toContain('Xã Anh Sơn');
    expect(theirs).not.toContain('Phường Thành Vinh');
    expect(theirs).toContain('Chờ xem xét (1)');
    expect(readable((await admin.get('/admin/review').expect(200)).text)).toContain('Chờ xem xét (35)');

    // Sent anyway, the phone group is refused and nothing moves.
    const phone = await page.post('/admin/review', { selection: 'group', decision: 'keep', from: 'suspect', desk: String(phoneDesk.id), flags: 'many-forms', upto: '999999', channel: 'qr', verified: '0', typist: '' });
    expect(phone.status).toBe(403);
    const still = await t.db.selectFrom('responses').select('status').where('desk_id', '=', phoneDesk.id).execute();
    expect(still.map((r) => r.status)).toEqual(['suspect', 'suspect', 'suspect']);
  });

  it('the manager cannot keep the forms they typed: refused, nothing moves; a mixed selection keeps only the others and says so', async () => {
    const before = await indicator();
    const page = await manager.page('/admin/review');
    const own = (await paperRows(desk.id)).filter((r) => r.entered_by === managerId && r.status === 'suspect');
    expect(own).toHaveLength(30);
    const group = { from: 'suspect', desk: String(desk.id), flags: 'paper-many', upto: String(own[29]?.id), channel: 'paper', verified: '0', typist: String(managerId) };
    for (const decision of ['keep', 'remove']) {
      const refused = await page.post('/admin/review', { selection: 'group', decision, ...group });
      expect(refused.status).toBe(403);
      expect(readable(refused.text)).toContain('Ông/Bà đã tự nhập 30 phiếu này nên không tự quyết định việc tính hay không tính chúng. Không phiếu nào thay đổi');
    }
    // A page from before the channel and typist were shown names the group by desk and signals alone: the same.
    const wide = await page.post('/admin/review', { selection: 'group', decision: 'keep', from: 'suspect', desk: String(desk.id), flags: 'paper-many', upto: group.upto });
    expect(wide.status).toBe(403);
    expect((await paperRows(desk.id)).filter((r) => r.entered_by === managerId && r.status === 'suspect')).toHaveLength(30);
    expect(await indicator()).toEqual(before);
    expect(await t.db.selectFrom('audit_log').select('id').where('action', 'like', 'review.%').execute()).toEqual([]);

    // Two of their own and the clerk's late form ticked together: the clerk's is kept, theirs stay.
    const clerkForm = (await paperRows(desk.id)).find((r) => r.flags === 'paper-old');
    const mixed = await page
      .post('/admin/review', { selection: 'selected', decision: 'keep', from: 'suspect', desk: String(desk.id), id: [String(own[0]?.id), String(clerkForm?.id), String(own[1]?.id)] })
      .expect(303);
    const after = readable((await manager.get(mixed.headers.location as string).expect(200)).text);
    expect(after).toContain('Đã giữ lại 1 phiếu; chỉ số đã tính thêm các phiếu này. 2 phiếu do chính Ông/Bà nhập được để lại cho người khác xem xét.');
    const rows = await paperRows(desk.id);
    expect(rows.find((r) => r.id === clerkForm?.id)?.status).toBe('ok');
    expect(rows.filter((r) => r.entered_by === managerId && r.status === 'suspect')).toHaveLength(30);
    expect(await storedRollups(t.db)).toEqual(await recountRollups(t.db));
    // The clerk's form is dated in May: June's indicator does not move.
    expect(await indicator()).toEqual(before);
    const log = await t.db.selectFrom('audit_log').innerJoin('users', 'users.id', 'audit_log.user_id').select(['action', 'username', 'detail']).where('action', 'like', 'review.%').execute();
    expect(log).toEqual([{ action: 'review.keep', username: 'quanly', detail: '1 responses (paper-old)' }]);
  });

  it('an administrator, a second person, keeps them: the indicator n rises by exactly 30, rollups equal a recount', async () => {
    await expectIndicator(31, 16);
    let page = await admin.page('/admin/review');
    const fields = new RegExp(
      `name="desk" value="${desk.id}"><input type="hidden" name="flags" value="paper-many"><input type="hidden" name="upto" value="(\\d+)"><input type="hidden" name="channel" value="paper"><input type="hidden" name="verified" value="0"><input type="hidden" name="typist" value="${managerId}">`,
    ).exec(page.text);
    expect(fields).not.toBeNull();
    const kept = await page
      .post('/admin/review', { selection: 'group', decision: 'keep', from: 'suspect', desk: String(desk.id), flags: 'paper-many', upto: fields?.[1] ?? '', channel: 'paper', verified: '0', typist: String(managerId) })
      .expect(303);
    page = await admin.page(kept.headers.location as string);
    expect(readable(page.text)).toContain('Đã giữ lại 30 phiếu');
    expect((await paperRows(desk.id)).filter((r) => r.entered_by === managerId).every((r) => r.status === 'ok')).toBe(true);
    expect(await storedRollups(t.db)).toEqual(await recountRollups(t.db));
    // 31 + 30 overall ratings, 16 + 30 of them 4-5: 46/61 = 75.4%.
    await expectIndicator(61, 46);
  });

  it('four identical forms in a row from one account: the fourth lands `paper-same`, a different fifth counts', async () => {
    const start = t.clock.now.getTime() + 3_600_000;
    const statuses: string[] = [];
    for (let i = 0; i < 5; i++) {
      t.clock.now = new Date(start + i * 40_000);
      const ratings = i < 4 ? { ...criteria('5'), overall: '5' } : { ...criteria('5'), overall: '4' };
      expect((await typeForm(clerk, desk, '14/06/2025', { paper_number: `S00${i + 1}`, ...ratings })).status).toBe(303);
    }
    for (const r of (await paperRows(desk.id)).filter((row) => row.local_day === '2025-06-14')) statuses.push(`${r.status}:${r.flags}`);
    expect(statuses).toEqual(['ok:', 'ok:', 'ok:', 'suspect:paper-same', 'ok:']);
  });

  it('a form dated a few days back but in a quarter that has ended lands `paper-closed`', async () => {
    // Wednesday 2 July 2025: the second quarter is closed.
    t.clock.now = new Date('2025-07-02T03:00:00Z');
    const closed = await typeForm(clerk, desk, '28/06/2025', { paper_number: 'Q001', ...criteria('3'), overall: '3' });
    const open = await typeForm(clerk, desk, '01/07/2025', { paper_number: 'Q002', ...criteria('4'), overall: '4' });
    expect([closed.status, open.status]).toEqual([303, 303]);
    const rows = (await paperRows(desk.id)).filter((r) => r.local_day === '2025-06-28' || r.local_day === '2025-07-01');
    expect(rows.map((r) => `${r.local_day}:${r.status}:${r.flags}`)).toEqual(['2025-06-28:suspect:paper-closed', '2025-07-01:ok:']);
  });
});
