/**
 * Results that cannot be stuffed (issue 9): the attacks of the report, replayed. One phone opening
 * a dozen forms and sending them after a pause, a script filling every field, a phone hammering a
 * desk from one address or pretending to be many; each ends with its responses stored, flagged and
 * left out of the indicators, or refused with a 429. An administrator then reviews them, and the
 * rollups stay equal to a recount. Dossier codes and per-dossier links give one response per dossier.
 */
import { createApp } from '../server/app.ts';
import { createLogger } from '../server/log.ts';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { citizenAt, type HeldForm } from './support/actors.ts';
import { startTestApp, type TestApp } from './support/app.ts';
import { buildDesk, citizen, correctionPage, shortAnswers, type TestDesk } from './support/builders.ts';
import { countRows } from './support/db.ts';
import { DIALECTS } from './support/dialects.ts';
import { recountRollups, storedRollups } from './support/recount.ts';
import { buildToken, buildUser } from './support/staff.ts';
import { updateDesk, findDeskDetail } from '../db/queries/desks.ts';
import { readable } from './support/html.ts';

/** Everything rated 1: what someone who wants a desk to look bad sends. */
const ALL_ONES = { a: '1', b: '1', c: '1', d: '1', e: '1', overall: '1' };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** Long enough for one server to write its counts and another to read them (two ticks of server/survey/rate-counter.ts SYNC_MS). */
const SYNCED_MS = 2_300;

describe.each(DIALECTS)('on %s', (dialect) => {
  let t: TestApp;
  let adminToken: string;

  beforeAll(async () => {
    t = await startTestApp(dialect, { SURVEY_MIN_SECONDS: '5' });
    adminToken = await buildToken(t.db, await buildUser(t.db, 'quantri', 'admin', null));
  });
  afterAll(() => t.close());

  async function indicator(app = t.app, token = adminToken): Promise<{ n: number; value: number | null }> {
    const res = await request(app).get('/api/v1/indicators?period=month').set('Authorization', `Bearer ${token}`).expect(200);
    const found = (res.body as { indicators: { code: string; n: number; value: number | null }[] }).indicators.find((i) => i.code === 'tthc');
    if (!found) throw new Error('no tthc indicator');
    return { n: found.n, value: found.value };
  }

  /** Citizens who each open the form, take their time, and send it. */
  async function genuine(desk: TestDesk, count: number, answers = shortAnswers()): Promise<void> {
    for (let i = 0; i < count; i++) {
      const form = await t.citizen(desk).take();
      t.clock.now = new Date(t.clock.now.getTime() + 60_000);
      await form.send(answers).expect(303);
    }
  }

  async function statuses(deskId: number): Promise<{ status: string; flags: string }[]> {
    return t.db.selectFrom('responses').select(['status', 'flags']).where('desk_id', '=', deskId).orderBy('id').execute();
  }

  describe('stuffing', () => {
    it('one phone opens 12 forms, waits past SURVEY_MIN_SECONDS and posts them all: all stored, at most the first three (one person) counted, the rest flagged', async () => {
      const desk = await buildDesk(t.db, t.ready.secret);
      await genuine(desk, 5);
      const before = await indicator();
      const phone = t.citizen(desk);
      const forms: HeldForm[] = [];
      for (let i = 0; i < 12; i++) forms.push(await phone.take());
      t.clock.now = new Date(t.clock.now.getTime() + 10_000);
      for (const form of forms) await form.send(ALL_ONES).expect(303);

      const rows = await statuses(desk.id);
      expect(rows).toHaveLength(17);
      expect(rows.slice(0, 5).every((r) => r.status === 'ok' && r.flags === '')).toBe(true);
      // The first form counts; the second and third are the same answers again (repeat); from the fourth on, more forms than one person opens.
      expect(rows.slice(5, 8)).toEqual([{ status: 'ok', flags: '' }, { status: 'suspect', flags: 'repeat' }, { status: 'suspect', flags: 'repeat' }]);
      for (const r of rows.slice(8)) {
        expect(r.status).toBe('suspect');
        expect(r.flags.split(',')).toContain('many-forms');
      }
      expect((await indicator()).n).toBe(before.n + 1);
    });

    it('the same from one address with a new browser string for every form, beyond what a crowded hall opens (30 in 10 minutes): flagged by the address', async () => {
      const desk = await buildDesk(t.db, t.ready.secret);
      const address = citizen()['X-Forwarded-For'] as string;
      const forms: HeldForm[] = [];
      for (let i = 0; i < 32; i++) {
        const who = { 'X-Forwarded-For': address, 'User-Agent': `Mozilla/5.0 (Linux; Android 13; Pixel ${i}) Chrome/131.0.${i}.0 Mobile` };
        forms.push(await t.citizen(desk, who).take());
      }
      t.clock.now = new Date(t.clock.now.getTime() + 10_000);
      for (const form of forms) await form.send(ALL_ONES).expect(303);
      // Thirty are what a crowded hall on one Wi-Fi opens; the thirty-first and second are beyond it.
      const rows = await statuses(desk.id);
      expect(rows.map((r) => r.status)).toEqual(forms.map((_, i) => (i < 30 ? 'ok' : 'suspect')));
      expect(rows.slice(30).every((r) => r.flags.includes('many-forms'))).toBe(true);
    });

    it('a script that fills the hidden field is stored as spam, told nothing, and not counted', async () => {
      const desk = await buildDesk(t.db, t.ready.secret);
      await genuine(desk, 2);
      const before = await indicator();
      const form = await t.citizen(desk).take();
      // The field is there for scripts, out of sight and out of reach for people.
      expect(form.page.text).toMatch(/<div class="trap" aria-hidden="true">/);
      expect(form.page.text).toMatch(/name="website" value="" tabindex="-1" autocomplete="off"/);
      t.clock.now = new Date(t.clock.now.getTime() + 60_000);
      const res = await form.send({ website: 'http://example.com', ...ALL_ONES });
      expect(res.status).toBe(303);
      expect((await statuses(desk.id)).at(-1)).toEqual({ status: 'spam', flags: 'honeypot' });
      expect(await indicator()).toEqual(before);
    });

    it('sent sooner than SURVEY_MIN_SECONDS, or the same answers again from the same phone: suspect, with the reason', async () => {
      const desk = await buildDesk(t.db, t.ready.secret);
      const phone = t.citizen(desk);
      await (await phone.take()).send(shortAnswers()).expect(303);
      const second = await phone.take();
      t.clock.now = new Date(t.clock.now.getTime() + 60_000);
      await second.send(shortAnswers()).expect(303);
      expect(await statuses(desk.id)).toEqual([
        { status: 'suspect', flags: 'too-fast' },
        { status: 'suspect', flags: 'repeat' },
      ]);
    });
  });

  describe('limits', () => {
    it('opening forms is limited per address and desk (SURVEY_FORM_LIMIT): a 429 with Retry-After, other citizens unaffected', async () => {
      const limited = await startTestApp(dialect, { SURVEY_FORM_LIMIT: '3' });
      try {
        const desk = await buildDesk(limited.db, limited.ready.secret);
        const phone = citizen();
        for (let i = 0; i < 3; i++) await request(limited.app).get(desk.url).set(phone).expect(200);
        const refused = await request(limited.app).get(desk.url).set(phone).expect(429);
        expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
        expect(Number(refused.headers['retry-after'])).toBeLessThanOrEqual(60);
        expect(readable(refused.text)).toContain('Gửi quá nhiều lần');
        await request(limited.app).get(desk.url).set(citizen()).expect(200);
      } finally {
        await limited.close();
      }
    });

    it('the limit is shared by two app servers over one database and kept across a restart', async () => {
      const first = await startTestApp(dialect, { SURVEY_RATE_LIMIT: '4' });
      const make = () => createApp({ db: first.db, config: first.config, secret: first.ready.secret, logger: createLogger('silent'), now: () => first.clock.now });
      try {
        const desk = await buildDesk(first.db, first.ready.secret);
        const second = make();
        const phone = citizen();
        // One phone, at whichever app server the load balancer sends it to.
        const send = async (app: typeof second) => (await citizenAt(app, desk, phone).submit(shortAnswers({ comment: String(Math.random()) }))).status;
        expect([await send(first.app), await send(first.app)]).toEqual([303, 303]);
        await sleep(SYNCED_MS);
        expect([await send(second), await send(second)]).toEqual([303, 303]);
        await sleep(SYNCED_MS);
        expect(await send(first.app)).toBe(429);
        // A restarted server (a new app over the same database) knows the count within a moment.
        const restarted = make();
        await sleep(SYNCED_MS);
        expect(await send(restarted)).toBe(429);
        expect(await countRows(first.db, 'responses')).toBe(4);
      } finally {
        await first.close();
      }
    });

    it('X-Forwarded-For from a peer that is not a trusted proxy is ignored: rotating it does not lift the limit', async () => {
      const direct = await startTestApp(dialect, { TRUST_PROXY: '', SURVEY_RATE_LIMIT: '2' });
      try {
        const desk = await buildDesk(direct.db, direct.ready.secret);
        const codes: number[] = [];
        for (let i = 0; i < 4; i++) {
          const spoofed = { 'X-Forwarded-For': `203.0.113.${i + 1}` };
          codes.push((await direct.citizen(desk, spoofed).submit(shortAnswers())).status);
        }
        expect(codes).toEqual([303, 303, 429, 429]);
      } finally {
        await direct.close();
      }
    });
  });

  describe('the review queue', () => {
    let desk: TestDesk;
    let flagged: number[];

    beforeAll(async () => {
      desk = await buildDesk(t.db, t.ready.secret, { code: 'REVIEW' });
      await genuine(desk, 4);
      const phone = t.citizen(desk);
      const forms: HeldForm[] = [];
      for (let i = 0; i < 9; i++) forms.push(await phone.take());
      // The first three are what one person may open; the six after them are the group under review.
      forms.splice(0, 3);
      t.clock.now = new Date(t.clock.now.getTime() + 10_000);
      // Six different patterns (the overall question and the choices are not criteria): one signal, one group.
      for (const [i, form] of forms.entries()) {
        const variant = { overall: String(1 + (i % 3)), expectations: i < 3 ? ['minh-bach'] : ['thai-do'] };
        await form.send({ ...ALL_ONES, ...variant }).expect(303);
      }
      flagged = (await t.db.selectFrom('responses').select('id').where('desk_id', '=', desk.id).where('status', '=', 'suspect').orderBy('id').execute()).map((r) => r.id);
      expect(flagged).toHaveLength(6);
    });

    it('shows the group with its reason and what the desk index would be with and without it', async () => {
      const admin = await t.staff('quantri');
      const page = await admin.get('/admin/review').expect(200);
      const text = readable(page.text);
      expect(text).toContain('Phường Thành Vinh · Quầy');
      expect(text).toContain('6 phiếu');
      expect(text).toContain('Cùng một điện thoại mở quá nhiều phiếu mới');
      // Four genuine respondents each score 75% (shortAnswers: elements A, B, C satisfied, D rated 3,
      // E no opinion); six who rate every criterion 1 score 0: (4 × 0.75) / 10 = 30%.
      expect(text).toMatch(/Không tính các phiếu này\s*75,0% \(n = 4\)/);
      expect(text).toMatch(/Nếu tính các phiếu này\s*30,0% \(n = 10\)/);
    });

    it('a manager of the unit cannot review its phone responses: not listed, and refused if sent anyway', async () => {
      await buildUser(t.db, 'quanly.vinh', 'manager', '16681');
      const manager = await t.staff('quanly.vinh');
      // Managers open the queue for their units' paper forms (test/paper-review.test.ts), never for phone responses.
      const page = await manager.page('/admin/review');
      const text = readable(page.text);
      expect(text).not.toContain('mở quá nhiều phiếu');
      expect(text).toContain('Không có phiếu nào chờ xem xét.');
      const sent = await page.post('/admin/review', { selection: 'selected', decision: 'keep', from: 'suspect', desk: String(desk.id), id: flagged.map(String) });
      expect(sent.status).toBe(403);
      expect((await statuses(desk.id)).filter((r) => r.status === 'suspect')).toHaveLength(6);
    });

    it('keeping the group counts it; removing two of them takes them out again; rollups equal a recount at every step; all audited', async () => {
      const admin = await t.staff('quantri');
      const before = await indicator();
      let page = await admin.page('/admin/review');
      const upto = new RegExp(`name="desk" value="${desk.id}"><input type="hidden" name="flags" value="([^"]*)"><input type="hidden" name="upto" value="(\\d+)"`).exec(page.text);
      expect(upto).not.toBeNull();
      const group = { from: 'suspect', desk: String(desk.id), flags: upto?.[1] ?? '', upto: upto?.[2] ?? '' };
      const kept = await page.post('/admin/review', { selection: 'group', decision: 'keep', ...group }).expect(303);
      page = await admin.page(kept.headers.location as string);
      expect(readable(page.text)).toContain('Đã giữ lại 6 phiếu');
      expect((await statuses(desk.id)).every((r) => r.status === 'ok')).toBe(true);
      expect(await storedRollups(t.db)).toEqual(await recountRollups(t.db));
      const after = await indicator();
      expect(after.n).toBe(before.n + 6);

      // Kept responses are 'ok' now: remove two of them by id, as from a reviewed list.
      const removed = await page.post('/admin/review', { selection: 'selected', decision: 'remove', from: 'ok', desk: String(desk.id), id: flagged.slice(0, 2).map(String) });
      // Only flagged responses are reviewed: 'ok' is not a status the queue moves from.
      expect(removed.status).toBe(400);

      // Another phone opens five forms and sends the last two: both flagged.
      const second = t.citizen(desk);
      const forms: HeldForm[] = [];
      for (let i = 0; i < 5; i++) forms.push(await second.take());
      for (const form of forms.slice(3)) await form.send(ALL_ONES).expect(303);
      const fresh = (await t.db.selectFrom('responses').select('id').where('desk_id', '=', desk.id).where('status', '=', 'suspect').orderBy('id').execute()).map((r) => r.id);
      expect(fresh).toHaveLength(2);
      const one = await page.post('/admin/review', { selection: 'selected', decision: 'remove', from: 'suspect', desk: String(desk.id), id: [String(fresh[0])] }).expect(303);
      expect(readable((await admin.get(one.headers.location as string)).text)).toContain('Đã loại bỏ 1 phiếu');
      expect(await storedRollups(t.db)).toEqual(await recountRollups(t.db));
      const spam = await t.db.selectFrom('responses').select(['id', 'status']).where('id', 'in', fresh).orderBy('id').execute();
      expect(spam.map((r) => r.status)).toEqual(['spam', 'suspect']);

      // The removed tab lists it, and it can be restored from there.
      const removedTab = await admin.page('/admin/review?tab=removed');
      const removedCount = await t.db.selectFrom('responses').select('id').where('status', '=', 'spam').execute();
      expect(readable(removedTab.text)).toContain(`Đã loại bỏ (${removedCount.length})`);
      await removedTab.post('/admin/review', { selection: 'selected', decision: 'keep', from: 'spam', desk: String(desk.id), id: [String(fresh[0])] }).expect(303);
      expect(await storedRollups(t.db)).toEqual(await recountRollups(t.db));

      const log = await t.db.selectFrom('audit_log').select(['action', 'subject', 'detail']).where('action', 'like', 'review.%').orderBy('id').execute();
      expect(log.map((l) => [l.action, l.detail.split(' ')[0]])).toEqual([
        ['review.keep', '6'],
        ['review.remove', '1'],
        ['review.keep', '1'],
      ]);
      expect(log[0]?.subject).toBe('16681/REVIEW');
    });

    it('a second reviewer acting on the same group moves nothing twice', async () => {
      const admin = await t.staff('quantri');
      const page = await admin.page('/admin/review');
      const [remaining] = (await t.db.selectFrom('responses').select('id').where('desk_id', '=', desk.id).where('status', '=', 'suspect').execute()).map((r) => r.id);
      const form = { selection: 'selected', decision: 'remove', from: 'suspect', desk: String(desk.id), id: [String(remaining)] };
      // Two reviewers pressing the same button at the same moment, from the same page.
      const [a, b] = await Promise.all([page.post('/admin/review', form), page.post('/admin/review', form)]);
      expect([a.status, b.status]).toEqual([303, 303]);
      expect(await storedRollups(t.db)).toEqual(await recountRollups(t.db));
      const moves = await t.db.selectFrom('audit_log').select('detail').where('action', '=', 'review.remove').execute();
      expect(moves.map((m) => m.detail.split(' ')[0])).toEqual(['1', '1']);
    });
  });

  describe('one response per dossier', () => {
    let desk: TestDesk;
    beforeAll(async () => {
      desk = await buildDesk(t.db, t.ready.secret, { code: 'HOSO' });
      const detail = await findDeskDetail(t.db, desk.id);
      if (!detail) throw new Error('no desk');
      await updateDesk(t.db, desk.id, { name: detail.name, questionnaireId: detail.questionnaireId, fieldIds: detail.fieldIds, requiresDossier: true });
    });

    async function send(dossier: string | undefined): Promise<request.Response> {
      const form = await t.citizen(desk).take();
      t.clock.now = new Date(t.clock.now.getTime() + 60_000);
      return form.send({ ...shortAnswers(), ...(dossier === undefined ? {} : { dossier }) });
    }

    it('asks for the code, stores only a keyed hash of it, and politely refuses a second response for the same dossier', async () => {
      const page = await request(t.app).get(desk.url).set(citizen()).expect(200);
      expect(readable(page.text)).toContain('Mã hồ sơ');
      const missing = await correctionPage(t.app, await send(undefined));
      expect(readable(missing.text)).toContain('Vui lòng nhập mã hồ sơ');
      const before = await countRows(t.db, 'responses');
      await send(' 000.00.12.h40-250101-0001 ').then((r) => expect(r.status).toBe(303));
      const stored = await t.db.selectFrom('responses').selectAll().where('desk_id', '=', desk.id).executeTakeFirstOrThrow();
      expect(stored.dossier_hash).toMatch(/^[A-Za-z0-9_-]{22}$/);
      expect(JSON.stringify(stored)).not.toMatch(/250101/);
      const again = await correctionPage(t.app, await send('000.00.12.H40-250101-0001'));
      expect(readable(again.text)).toContain('Hồ sơ này đã được đánh giá');
      // The citizen's answers are still on the form.
      expect(again.text).toMatch(/id="a-5" name="a" value="5"\s+checked/);
      expect(await countRows(t.db, 'responses')).toBe(before + 1);
    });
  });

  describe('per-dossier links (POST /api/v1/dossier-links)', () => {
    let desk: TestDesk;
    let linksToken: string;
    beforeAll(async () => {
      desk = await buildDesk(t.db, t.ready.secret, { code: 'PHIEUHEN' });
      linksToken = await buildToken(t.db, await buildUser(t.db, 'motcua.vinh', 'manager', '16681'), new Date(), undefined, 'read,links');
    });

    const ask = (token: string, body: unknown) => request(t.app).post('/api/v1/dossier-links').set('Authorization', `Bearer ${token}`).send(body as object);

    it('needs a token with the links permission, a desk the account may see and a well-formed code', async () => {
      await request(t.app).post('/api/v1/dossier-links').send({ desk_id: desk.id, dossier: 'ABCD-1' }).expect(401);
      expect((await ask(adminToken, { desk_id: desk.id, dossier: 'ABCD-1' }).expect(403)).body.error).toContain('links');
      const elsewhere = await buildDesk(t.db, t.ready.secret, { unitCode: '17329' });
      await ask(linksToken, { desk_id: elsewhere.id, dossier: 'ABCD-1' }).expect(404);
      await ask(linksToken, { desk_id: String(desk.id), dossier: 'ABCD-1' }).expect(400);
      await ask(linksToken, { desk_id: desk.id, dossier: 'x' }).expect(400);
      await request(t.app).post('/api/v1/dossier-links').set('Authorization', `Bearer ${linksToken}`).type('json').send('{"desk_id": ').expect(400);
    });

    it('gives a signed link that is answered once, verified, never flagged; a second link for the dossier or a replay stores nothing more', async () => {
      const made = await ask(linksToken, { desk_id: desk.id, dossier: '000.00.12.H40-250601-0042' }).expect(201);
      const body = made.body as { url: string; expires_at: string; desk_id: number };
      expect(body.url).toMatch(/^http:\/\/sipas\.test\/d\/[0-9a-z]+\.[0-9a-z]+\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{22}$/);
      expect(body.url).not.toContain('250601');
      expect(Date.parse(body.expires_at) - t.clock.now.getTime()).toBe(30 * 86_400_000);
      const path = new URL(body.url).pathname;

      // One phone that has opened many forms, sending at once: a link is the citizen's own, so no signal applies.
      const phone = t.citizen({ url: path });
      const form = await phone.take();
      expect(form.page.text).not.toContain('name="dossier"');
      const sent = await form.send(ALL_ONES).expect(303);
      const stored = await t.db.selectFrom('responses').select(['status', 'flags', 'verified', 'dossier_hash']).where('desk_id', '=', desk.id).execute();
      expect(stored).toHaveLength(1);
      expect(stored[0]).toMatchObject({ status: 'ok', flags: '', verified: 1 });

      const thanks = await request(t.app).get(sent.headers.location as string).expect(200);
      expect(readable(thanks.text)).toContain('đã được sử dụng');
      // No button back to a form: the link has been used.
      expect(thanks.text).not.toMatch(/class="button" href=/);
      // Opened again, or sent again with other answers: it says the link was answered, and when.
      expect(readable((await phone.open().expect(200)).text)).toContain('Phiếu này đã được gửi lúc');
      await form.send(shortAnswers()).expect(303);
      const another = await ask(linksToken, { desk_id: desk.id, dossier: '000.00.12.h40-250601-0042' }).expect(201);
      expect(readable((await request(t.app).get(new URL((another.body as { url: string }).url).pathname).expect(200)).text)).toContain('Phiếu này đã được gửi lúc');
      expect(await t.db.selectFrom('responses').select('id').where('desk_id', '=', desk.id).execute()).toHaveLength(1);

      // A link with one character changed opens nothing.
      const tampered = path.slice(0, -1) + (path.endsWith('A') ? 'B' : 'A');
      await request(t.app).get(tampered).expect(404);
    });
  });
});
