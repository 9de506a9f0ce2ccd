/** Every kind of bad input gets a clear answer and writes nothing. */
import request from 'supertest';
import { createApp } from '../server/app.ts';
import { createLogger } from '../server/log.ts';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { readable } from './support/html.ts';
import { revokeDeskTokens, setDeskActive } from '../db/queries/desks.ts';
import { signDeskToken, signFormToken } from '../server/tokens/tokens.ts';
import { startTestApp, type TestApp } from './support/app.ts';
import { buildDesk, correctionPage, formTokenOf, shortAnswers, type TestDesk } from './support/builders.ts';
import { submissionFootprint } from './support/db.ts';
import { DIALECTS } from './support/dialects.ts';

describe.each(DIALECTS)('on %s', (dialect) => {
  let t: TestApp;
  let desk: TestDesk;
  let footprint: Record<string, number>;

  beforeAll(async () => {
    t = await startTestApp(dialect);
    desk = await buildDesk(t.db, t.ready.secret);
  });
  afterAll(() => t.close());
  beforeEach(async () => {
    footprint = await submissionFootprint(t.db);
  });

  async function expectNothingWritten(): Promise<void> {
    expect(await submissionFootprint(t.db)).toEqual(footprint);
  }

  /** A citizen with the form of the desk at `url` in hand. */
  const takeForm = (url = desk.url) => t.citizen({ url }).take();

  describe('a citizen mistake gets the form back (a 303 to a page that shows it), the message next to the question, answers kept', () => {
    it('a missing required rating', async () => {
      const form = await takeForm();
      const { b: _b, ...answers } = shortAnswers();
      const res = await correctionPage(t.app, await form.send(answers));
      expect(res.text).toContain('Phiếu chưa gửi được: vui lòng xem lại 1 câu');
      // The message sits inside question b's fieldset, linked by aria-describedby.
      const fieldsetB = /<fieldset[^>]*aria-describedby=" b-error"[^>]*>[\s\S]*?<\/fieldset>/.exec(res.text)?.[0] ?? '';
      expect(fieldsetB).toContain('id="b-error">Vui lòng chọn một mức đánh giá.');
      // Other answers are still chosen and the comment still written.
      expect(res.text).toMatch(/id="a-5" name="a" value="5"\s+checked/);
      expect(res.text).toMatch(/id="e-0" name="e" value="0" checked/);
      expect(res.text).toMatch(/value="minh-bach"\s+checked/);
      expect(res.text).toContain('>Cán bộ nhiệt tình.</textarea>');
      // The same form token, so the corrected form is still one response.
      expect(formTokenOf(res.text)).toBe(form.token);
      await expectNothingWritten();
    });

    it('the page with the correction is a GET that any app server can show; once the form is sent it leads to the thanks', async () => {
      const form = await takeForm();
      const { b: _b, ...withoutB } = shortAnswers();
      const sent = await form.send(withoutB);
      const page = await correctionPage(t.app, sent);
      expect(page.headers['cache-control']).toBe('no-store');
      // Another app server over the same database shows the same draft.
      const other = createApp({ db: t.db, config: t.config, secret: t.ready.secret, logger: createLogger('silent'), now: () => t.clock.now });
      const again = await request(other).get(sent.headers.location as string).expect(200);
      expect(again.text).toContain('id="b-error">Vui lòng chọn một mức đánh giá.');
      await form.send(shortAnswers()).expect(303);
      // Back to the correction page after sending: it says the form was sent, never the form again.
      const back = await request(t.app).get(sent.headers.location as string).expect(200);
      expect(readable(back.text)).toContain('Phiếu này đã được gửi lúc');
      expect(back.text).not.toContain('name="ft"');
      footprint = await submissionFootprint(t.db);
    });

    it('a draft of another desk, or past the form lifetime, is an empty form', async () => {
      const form = await takeForm();
      const { b: _b, ...withoutB } = shortAnswers();
      const sent = await form.send(withoutB);
      const draft = new URL(sent.headers.location as string, 'http://x').searchParams.get('nhap') ?? '';
      const other = await buildDesk(t.db, t.ready.secret);
      const elsewhere = await request(t.app).get(`${other.url}?nhap=${draft}`).expect(200);
      expect(elsewhere.text).not.toContain('Vui lòng chọn');
      t.clock.now = new Date(t.clock.now.getTime() + 121 * 60_000);
      try {
        const late = await request(t.app).get(sent.headers.location as string).expect(200);
        expect(late.text).not.toContain('Vui lòng chọn');
        expect(formTokenOf(late.text)).not.toBe(form.token);
      } finally {
        t.clock.now = new Date('2025-06-15T03:00:00Z');
      }
      await expectNothingWritten();
    });

    it('the language button sends the form as it is and brings it back in the other language with every answer and the same token', async () => {
      const form = await takeForm();
      expect(form.page.text).toMatch(/<button type="submit" class="site-header__lang[^"]*" form="survey-form" name="doi_ngon_ngu" value="en" lang="en">English<\/button>/);
      const sent = await form.send({ doi_ngon_ngu: 'en', a: '5', comment: 'Cán bộ nhiệt tình.' }).expect(303);
      expect(sent.headers.location).toMatch(/\?lang=en&nhap=[A-Za-z0-9_-]{22}$/);
      const english = await request(t.app).get(sent.headers.location as string).expect(200);
      expect(english.text).toContain('<html lang="en">');
      expect(english.text).toMatch(/id="a-5" name="a" value="5"\s+checked/);
      expect(english.text).toContain('>Cán bộ nhiệt tình.</textarea>');
      expect(english.text).not.toContain('notice--error');
      expect(formTokenOf(english.text)).toBe(form.token);
      expect(english.text).toContain(`action="${desk.url}?lang=en"`);
      await expectNothingWritten();
      await form.send(shortAnswers(), { at: `${desk.url}?lang=en` }).expect(303);
      const stored = await t.db.selectFrom('responses').select('lang').orderBy('id', 'desc').executeTakeFirstOrThrow();
      expect(stored.lang).toBe('en');
      // Only the two languages there are.
      await form.send({ doi_ngon_ngu: 'fr' }).expect(400);
      footprint = await submissionFootprint(t.db);
    });

    it('in English when the citizen chose English', async () => {
      const form = await takeForm(`${desk.url}?lang=en`);
      expect(form.action).toBe(`${desk.url}?lang=en`);
      const res = await correctionPage(t.app, await form.send(shortAnswers({ overall: '9' })));
      expect(res.text).toContain('That choice is not valid, please choose again.');
      await expectNothingWritten();
    });

    it.each([
      ['a rating out of range', { a: '6' }, 'a', 'Lựa chọn không hợp lệ'],
      ['a rating that is not a number', { c: 'abc' }, 'c', 'Lựa chọn không hợp lệ'],
      ['"no opinion" where the question does not allow it', { overall: '0' }, 'overall', 'Lựa chọn không hợp lệ'],
      ['an option that does not exist', { expectations: ['minh-bach', 'nope'] }, 'expectations', 'Lựa chọn không hợp lệ'],
      ['more options than allowed', { expectations: ['minh-bach', 'thai-do', 'nang-luc', 'gop-y'] }, 'expectations', 'Chỉ chọn tối đa 3 mục.'],
      ['a comment over 1000 characters', { comment: 'x'.repeat(1001) }, 'comment', 'Góp ý dài quá 1000 ký tự'],
    ])('%s', async (_name, override, key, message) => {
      const form = await takeForm();
      const res = await correctionPage(t.app, await form.send(shortAnswers(override)));
      expect(res.text).toContain(`id="${key}-error">${message}`);
      await expectNothingWritten();
    });

    it('a one-stop desk without the field chosen', async () => {
      const oneStop = await buildDesk(t.db, t.ready.secret, { fields: ['dat-dai', 'xay-dung'] });
      footprint = await submissionFootprint(t.db);
      const form = await takeForm(oneStop.url);
      const res = await correctionPage(t.app, await form.send(shortAnswers()));
      expect(res.text).toContain('id="field-error">Vui lòng chọn lĩnh vực.');
      const wrong = await correctionPage(t.app, await form.send({ field: 'y-te', ...shortAnswers() }));
      expect(wrong.text).toContain('id="field-error">Lựa chọn không hợp lệ');
      await expectNothingWritten();
    });

    it('a form left open past its lifetime comes back with a fresh token and the answers kept', async () => {
      const citizen = t.citizen(desk);
      const form = await citizen.take();
      t.clock.now = new Date(t.clock.now.getTime() + (120 + 1) * 60_000 /* SURVEY_FORM_TTL_MINUTES defaults to 120 */);
      try {
        const res = await correctionPage(t.app, await form.send(shortAnswers()), citizen.who);
        expect(res.text).toContain('Phiếu đã mở quá lâu');
        expect(res.text).toMatch(/id="a-5" name="a" value="5"\s+checked/);
        const fresh = citizen.hold(res);
        expect(fresh.token).not.toBe(form.token);
        await expectNothingWritten();
        await fresh.send(shortAnswers()).expect(303);
      } finally {
        t.clock.now = new Date('2025-06-15T03:00:00Z');
      }
    });
  });

  describe('a malformed request gets a plain 400 page', () => {
    it.each([
      ['an unknown field', { surprise: '1' }],
      ['a repeated single-answer field', { a: ['5', '4'] }],
    ])('%s', async (_name, extra) => {
      const form = await takeForm();
      const res = await form.send({ ...shortAnswers(), ...extra }).expect(400);
      expect(res.text).toContain('Yêu cầu không hợp lệ');
      await expectNothingWritten();
    });

    it('the form token repeated', async () => {
      // The subject is the token field itself: a second value beside the page's own, written by hand.
      const form = await takeForm();
      const body = new URLSearchParams();
      for (const [key, value] of Object.entries(shortAnswers())) for (const v of [value].flat()) body.append(key, v);
      const res = await form.sendMalformed({ raw: `${body.toString()}&ft=x` }).expect(400);
      expect(res.text).toContain('Yêu cầu không hợp lệ');
      await expectNothingWritten();
    });

    it('a field the form parser would drop without a word (__proto__) is as unknown as any other', async () => {
      const form = await takeForm();
      const body = new URLSearchParams();
      for (const [key, value] of Object.entries(shortAnswers())) for (const v of [value].flat()) body.append(key, v);
      body.append('__proto__', 'x');
      const res = await form.sendMalformed({ raw: body.toString() }).expect(400);
      expect(res.text).toContain('Yêu cầu không hợp lệ');
      await expectNothingWritten();
    });

    it('no form token, or a forged one, or one served for another desk', async () => {
      // The subject is the token: none, and one signed with another secret, are written by hand.
      await request(t.app).post(desk.url).type('form').send(shortAnswers()).expect(400);
      const forged = signFormToken('not-the-secret-not-the-secret-xx', { deskId: desk.id, questionnaireId: 1, issuedAt: Math.floor(t.clock.now.getTime() / 1000), door: 'q', over: false });
      await request(t.app).post(desk.url).type('form').send({ ft: forged, ...shortAnswers() }).expect(400);
      const other = await buildDesk(t.db, t.ready.secret);
      footprint = await submissionFootprint(t.db);
      const otherForm = await takeForm(other.url);
      await otherForm.send(shortAnswers(), { at: desk.url }).expect(400);
      await expectNothingWritten();
    });

    it('a JSON body instead of a form', async () => {
      const form = await takeForm();
      const res = await form.sendMalformed({ json: shortAnswers() });
      expect(res.status).toBe(400);
      await expectNothingWritten();
    });

    it('an oversize body gets 413', async () => {
      const form = await takeForm();
      const res = await form.send(shortAnswers({ comment: 'x'.repeat(40_000) }));
      expect(res.status).toBe(413);
      expect(res.text).toContain('Dữ liệu quá lớn');
      await expectNothingWritten();
    });

    it('too many parameters gets 413', async () => {
      const form = await takeForm();
      const many = Array.from({ length: 150 }, (_, i) => `expectations=o${i}`).join('&');
      const res = await form.sendMalformed({ raw: many });
      expect(res.status).toBe(413);
      await expectNothingWritten();
    });
  });

  describe('a QR code that is not valid gets a 404 page that says so, never a 500', () => {
    const notValid = 'Mã QR không hợp lệ';

    it.each([
      ['garbage', '/q/not-a-token'],
      ['an unknown desk', `/q/${'zzzz'}.AAAAAAAAAAAAAAAAAAAAAA`],
      ['a very long token', `/q/${'a'.repeat(5000)}`],
      ['percent-encoded junk', '/q/%E0%A4%A'],
    ])('%s', async (_name, url) => {
      const res = await request(t.app).get(url);
      expect(res.status).toBe(404);
      expect(res.text).toContain(notValid);
    });

    it('a tampered token: right desk id, wrong signature', async () => {
      const tampered = desk.token.slice(0, -2) + (desk.token.endsWith('AA') ? 'BB' : 'AA');
      const res = await request(t.app).get(`/q/${tampered}`).expect(404);
      expect(res.text).toContain(notValid);
      const post = await request(t.app).post(`/q/${tampered}`).type('form').send(shortAnswers()).expect(404);
      expect(post.text).toContain(notValid);
      await expectNothingWritten();
    });

    it('a token signed for another desk', async () => {
      const other = signDeskToken(t.ready.secret, desk.id + 1000, 1);
      await request(t.app).get(`/q/${other}`).expect(404);
    });

    it('a revoked token (desk token_version bumped): the old code fails, the new one works', async () => {
      const d = await buildDesk(t.db, t.ready.secret);
      const form = await takeForm(d.url);
      await revokeDeskTokens(t.db, d.id);
      footprint = await submissionFootprint(t.db);
      await request(t.app).get(d.url).expect(404);
      const post = await form.send(shortAnswers()).expect(404);
      expect(post.text).toContain(notValid);
      await expectNothingWritten();
      await request(t.app).get(`/q/${signDeskToken(t.ready.secret, d.id, 2)}`).expect(200);
    });

    it('the desk of a closed counter (inactive)', async () => {
      const d = await buildDesk(t.db, t.ready.secret);
      await setDeskActive(t.db, d.id, false);
      await request(t.app).get(d.url).expect(404);
      await request(t.app).get(`${d.url}/cam-on`).expect(404);
    });
  });

  describe('flooding one desk from one device', () => {
    it('gets a 429 page past SURVEY_RATE_LIMIT per minute', async () => {
      const limited = await startTestApp(dialect, { SURVEY_RATE_LIMIT: '2' });
      try {
        const d = await buildDesk(limited.db, limited.ready.secret);
        const statuses: number[] = [];
        // One device: the same phone each time.
        const device = limited.citizen(d);
        for (let i = 0; i < 3; i++) statuses.push((await device.submit(shortAnswers())).status);
        expect(statuses).toEqual([303, 303, 429]);
        const last = await request(limited.app).post(d.url).set(device.who).type('form').send({});
        expect(last.text).toContain('Gửi quá nhiều lần');
      } finally {
        await limited.close();
      }
    });
  });

  describe('other pages', () => {
    it('an unknown address is a 404 page in Vietnamese', async () => {
      const res = await request(t.app).get('/khong-co').expect(404);
      expect(res.text).toContain('Không tìm thấy trang');
    });

    it('/healthz answers 200', async () => {
      const res = await request(t.app).get('/healthz').expect(200);
      expect(res.body).toEqual({ status: 'ok' });
    });
  });
});
