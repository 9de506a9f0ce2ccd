/**
 * Typing in paper SIPAS forms: keyboard-first entry, the day on the form, a form number entered once,
 * who may do it; a question the citizen left blank typed as "-" and stored unanswered, messages to the
 * typist, and the desk chosen by the person, theirs remembered (issue 21).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './support/app.ts';
import { buildDesk, type TestDesk } from './support/builders.ts';
import { commentsOutOfStep } from './support/comment-copies.ts';
import { countRows } from './support/db.ts';
import { DIALECTS } from './support/dialects.ts';
import { readable } from './support/html.ts';
import { recountRollups, storedRollups } from './support/recount.ts';
import type { StaffMember } from './support/actors.ts';
import { buildUser, signIn } from './support/staff.ts';

describe.each(DIALECTS)('on %s', (dialect) => {
  let t: TestApp;
  let desk: TestDesk;
  let clerk: StaffMember;

  beforeAll(async () => {
    t = await startTestApp(dialect);
    // 15 June 2025, 10:00 in Vinh; the forms were filled in on 3 June.
    t.clock.now = new Date('2025-06-15T03:00:00Z');
    desk = await buildDesk(t.db, t.ready.secret, { unitCode: '16681', fields: ['dat-dai', 'xay-dung'], code: 'MC' });
    await buildUser(t.db, 'nhap.phieu', 'viewer', '16681');
    await t.db.updateTable('users').set({ paper_entry: 1 }).where('username', '=', 'nhap.phieu').execute();
    await buildUser(t.db, 'chi.xem', 'viewer', '16681');
    await buildUser(t.db, 'xem.noi.khac', 'viewer', '17329');
    await t.db.updateTable('users').set({ paper_entry: 1 }).where('username', '=', 'xem.noi.khac').execute();
    clerk = await t.staff('nhap.phieu');
  });
  afterAll(() => t.close());

  const entryUrl = () => `/paper/entry?desk=${desk.id}&day=03/06/2025`;
  async function enter(fields: Record<string, string | string[]>) {
    const page = await clerk.page(entryUrl());
    const count = /name="count" value="(\d+)"/.exec(page.text)?.[1] ?? '0';
    return page.post('/paper/entry', { desk: String(desk.id), day: '03/06/2025', count, ...fields });
  }

  it('the entry page has one digit box per rating question, the form number first, and the instructions', async () => {
    const page = await clerk.get(entryUrl()).expect(200);
    expect(page.text.match(/maxlength="1"/g)).toHaveLength(6);
    expect(page.text.indexOf('name="paper_number"')).toBeLessThan(page.text.indexOf('name="a"'));
    expect(readable(page.text)).toContain('Gõ một ký tự cho mỗi câu');
    expect(page.text).toContain('<script src="/js/paper.js" defer></script>');
  });

  it('stores a form with channel paper, the day written on it, the entering person in the audit log, and counts the batch', async () => {
    const res = await enter({ paper_number: '0101', field: 'xay-dung', a: '5', b: '4', c: '0', d: '3', e: '4', overall: '4', expectations: ['minh-bach'], comment: 'Phiếu giấy số 1' });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(`/paper/entry?desk=${desk.id}&day=03%2F06%2F2025&count=1&saved=0101`);
    const next = readable((await clerk.get(res.headers.location as string).expect(200)).text);
    expect(next).toContain('Đã lưu phiếu số 0101');
    expect(next).toContain('Đã nhập 1 phiếu trong đợt này (ngày 03/06/2025)');
    const stored = await t.db.selectFrom('responses').innerJoin('fields', 'fields.id', 'responses.field_id').select(['responses.id', 'channel', 'local_day', 'status', 'fields.code']).executeTakeFirstOrThrow();
    expect(stored).toMatchObject({ channel: 'paper', local_day: '2025-06-03', status: 'ok', code: 'xay-dung' });
    const answers = await t.db.selectFrom('answers').select(['value', 'option_key']).where('response_id', '=', stored.id).execute();
    expect(answers.filter((a) => a.option_key === '').map((a) => a.value).sort()).toEqual([3, 4, 4, 4, 5, null].sort());
    const day = await t.db.selectFrom('daily_responses').select(['day', 'channel', 'n']).executeTakeFirstOrThrow();
    expect(day).toEqual({ day: '2025-06-03', channel: 'paper', n: 1 });
    // The comment lists find it by the day on the form and its rating, like the numbers beside them.
    const comment = await t.db.selectFrom('comments').select(['text', 'local_day', 'channel', 'overall']).executeTakeFirstOrThrow();
    expect(comment).toEqual({ text: 'Phiếu giấy số 1', local_day: '2025-06-03', channel: 'paper', overall: 4 });
    expect(await commentsOutOfStep(t.db)).toEqual([]);
    const entry = await t.db.selectFrom('audit_log').innerJoin('users', 'users.id', 'audit_log.user_id').select(['users.username', 'audit_log.detail']).where('action', '=', 'paper.enter').executeTakeFirstOrThrow();
    expect(entry).toEqual({ username: 'nhap.phieu', detail: `desk ${desk.id} form 0101 day 2025-06-03` });
  });

  it('refuses a form number entered before, stores nothing, and keeps what was typed', async () => {
    const before = await countRows(t.db, 'responses');
    const res = await enter({ paper_number: '0101', field: 'dat-dai', a: '1', b: '1', c: '1', d: '1', e: '1', overall: '1' });
    expect(res.status).toBe(409);
    expect(readable(res.text)).toContain('Phiếu số 0101 của quầy này đã được nhập trước đây');
    expect(res.text).toMatch(/name="overall" value="1"/);
    expect(await countRows(t.db, 'responses')).toBe(before);
  });

  it('a box not typed in, a digit out of range or a missing number is told to the typist next to its question; nothing is stored', async () => {
    const before = await countRows(t.db, 'responses');
    const res = await enter({ paper_number: '', field: '', a: '7', b: '-', d: '3', e: '4', overall: '' });
    expect(res.status).toBe(422);
    const text = readable(res.text);
    expect(text).toContain('Chưa nhập số phiếu');
    expect(text).toContain('Chưa chọn lĩnh vực: chọn lĩnh vực ghi trên phiếu.');
    // The criteria allow "no opinion" on this questionnaire.
    expect(text).toContain('Câu 1: chỉ gõ 1–5, 0 hoặc -.');
    expect(text).toContain('Chưa nhập câu 3 (gõ - nếu người dân bỏ trống).');
    expect(text).toContain('Chưa nhập câu 6 (gõ - nếu người dân bỏ trống).');
    // The citizen's wording is not the typist's.
    expect(text).not.toContain('Vui lòng chọn một mức đánh giá');
    expect(res.text).toMatch(/name="b" value="-"/);
    expect(res.text).toMatch(/name="d" value="3"/);
    expect(await countRows(t.db, 'responses')).toBe(before);
    const english = await clerk.page(`${entryUrl()}&lang=en`);
    const refused = await english.post('/paper/entry?lang=en', { desk: String(desk.id), day: '03/06/2025', count: '0', paper_number: 'E1', field: 'dat-dai', a: '4', b: '4', c: '4', d: '4', e: '4' });
    expect(refused.status).toBe(422);
    expect(readable(refused.text)).toContain('Question 6 not typed in yet (type - if the citizen left it blank).');
  });

  it('refuses a day after today or not a real day, on the start page with the message beside the day', async () => {
    for (const day of ['16/06/2025', '31/02/2025', 'hôm qua']) {
      const res = await clerk.get(`/paper/entry?desk=${desk.id}&day=${encodeURIComponent(day)}`);
      expect(res.status).toBe(422);
      expect(readable(res.text)).toContain('Ngày không hợp lệ: dùng dạng ngày/tháng/năm, không sau hôm nay (15/06/2025)');
    }
  });

  it('a second form is stored; a viewer without the grant, or of another unit, cannot enter forms here', async () => {
    const res = await enter({ paper_number: '0102', field: 'dat-dai', a: '4', b: '4', c: '4', d: '4', e: '4', overall: '5' });
    expect(res.status).toBe(303);
    expect(await t.db.selectFrom('responses').select('id').where('channel', '=', 'paper').execute()).toHaveLength(2);
    const reader = await signIn(t.app, 'chi.xem');
    await reader.get('/paper').expect(403);
    const other = await signIn(t.app, 'xem.noi.khac');
    await other.get(entryUrl()).expect(403);
    const start = await other.get('/paper').expect(200);
    expect(start.text).not.toContain('Phường Thành Vinh');
  });

  it('a question the citizen left blank, typed as "-", is stored unanswered like an optional question skipped on the citizen\'s form: the rollups count it as not answered', async () => {
    const res = await enter({ paper_number: '0201', field: 'dat-dai', a: '5', b: '-', c: '-', d: '4', e: '4', overall: '-' });
    expect(res.status).toBe(303);
    const stored = await t.db.selectFrom('responses').select(['id', 'status', 'questionnaire_id']).where('channel', '=', 'paper').orderBy('id', 'desc').limit(1).executeTakeFirstOrThrow();
    expect(stored.status).toBe('ok');
    const questions = await t.db.selectFrom('questions').select(['id', 'key']).where('questionnaire_id', '=', stored.questionnaire_id).execute();
    const keyOf = new Map(questions.map((q) => [q.id, q.key]));
    const answers = await t.db.selectFrom('answers').select(['question_id', 'value']).where('response_id', '=', stored.id).where('option_key', '=', '').execute();
    // No row at all for b, c and overall: not a rating, and not "no opinion" (a row with no value).
    expect(answers.map((a) => [keyOf.get(a.question_id), a.value]).sort()).toEqual([['a', 5], ['d', 4], ['e', 4]]);
    // The rollups agree with the answers as stored: b holds the two earlier forms' ratings and nothing from this one.
    expect(await storedRollups(t.db)).toEqual(await recountRollups(t.db));
    const b = questions.find((q) => q.key === 'b')?.id ?? -1;
    const sums = await t.db.selectFrom('daily_rollups').select(['n0', 'n1', 'n2', 'n3', 'n4', 'n5']).where('question_id', '=', b).where('desk_id', '=', desk.id).execute();
    const total = sums.reduce((n, r) => n + Number(r.n0) + Number(r.n1) + Number(r.n2) + Number(r.n3) + Number(r.n4) + Number(r.n5), 0);
    const bAnswers = await t.db.selectFrom('answers').innerJoin('responses', 'responses.id', 'answers.response_id').select('answers.value').where('question_id', '=', b).where('responses.desk_id', '=', desk.id).execute();
    expect(total).toBe(bAnswers.length);
    expect(bAnswers).toHaveLength(2);
  });

  it('no desk is chosen on a first visit; the desk this account last typed forms in for is chosen on the next, after a new sign-in too', async () => {
    const second = await buildDesk(t.db, t.ready.secret, { unitCode: '16681', fields: ['dat-dai'], code: 'AA' });
    await buildUser(t.db, 'nhap.moi', 'viewer', '16681');
    await t.db.updateTable('users').set({ paper_entry: 1 }).where('username', '=', 'nhap.moi').execute();
    const newcomer = await t.staff('nhap.moi');
    const first = await newcomer.get('/paper').expect(200);
    expect(first.text.match(/<option [^>]*selected/g)).toEqual(['<option value="" selected']);
    expect(readable(first.text)).toContain('— chọn quầy —');
    // Starting without choosing: asked again, beside the desk.
    const unchosen = await newcomer.get('/paper/entry?desk=&day=03/06/2025');
    expect(unchosen.status).toBe(422);
    expect(readable(unchosen.text)).toContain('Chưa chọn quầy: chọn quầy ghi trên phiếu giấy.');

    const page = await newcomer.page(`/paper/entry?desk=${second.id}&day=03/06/2025`);
    expect((await page.post('/paper/entry', { desk: String(second.id), day: '03/06/2025', count: '0', paper_number: 'M1', a: '4', b: '4', c: '4', d: '4', e: '4', overall: '4' })).status).toBe(303);
    const again = await t.staff('nhap.moi');
    const next = await again.get('/paper').expect(200);
    expect(next.text.match(/<option [^>]*selected/g)).toEqual([`<option value="${second.id}" selected`]);
    // The clerk who typed forms in at the first desk has it chosen, not the other.
    const clerkAgain = await t.staff('nhap.phieu');
    expect((await clerkAgain.get('/paper').expect(200)).text.match(/<option [^>]*selected/g)).toEqual([`<option value="${desk.id}" selected`]);
  });
});
