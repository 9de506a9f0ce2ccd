/**
 * A counter tablet left alone mid-form (issue 21, item 6), on the server's side, for a tablet without
 * JavaScript and for Back after the script's reset: the tablet's page reloads empty by itself, a
 * tablet's correction draft and its form's own address last only as long as the idle reset, and a
 * form sent however late is always stored. A phone is never hurried. The script's countdown itself is
 * test/survey-kiosk-browser.test.ts.
 */
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKiosk } from '../db/queries/kiosks.ts';
import { KIOSK_NOSCRIPT_SECONDS } from '../server/routes/survey.ts';
import { ConfigError, loadConfig } from '../server/start/config.ts';
import { signTabletToken } from '../server/tokens/tokens.ts';
import { startTestApp, type TestApp } from './support/app.ts';
import { buildDesk, correctionPage, shortAnswers, type TestDesk } from './support/builders.ts';
import { DIALECTS } from './support/dialects.ts';
import { readable } from './support/html.ts';
import { buildUser } from './support/staff.ts';

const SECOND = 1000;
/** The default KIOSK_IDLE_SECONDS (90) and its 30-second countdown: how long a tablet's page may hold answers untouched. */
const IDLE_RESET = (90 + 30) * SECOND;

describe('KIOSK_IDLE_SECONDS', () => {
  it('defaults to 90 and refuses what is not a whole number from 3 to 3600, naming the setting', () => {
    expect(loadConfig({}).kioskIdleSeconds).toBe(90);
    expect(loadConfig({ KIOSK_IDLE_SECONDS: '45' }).kioskIdleSeconds).toBe(45);
    for (const bad of ['2', '3601', '1.5', 'soon']) {
      expect(() => loadConfig({ KIOSK_IDLE_SECONDS: bad })).toThrow(ConfigError);
      expect(() => loadConfig({ KIOSK_IDLE_SECONDS: bad })).toThrow(/KIOSK_IDLE_SECONDS/);
    }
  });
});

describe.each(DIALECTS)('on %s', (dialect) => {
  let t: TestApp;
  let desk: TestDesk;
  let tablet: string;

  beforeAll(async () => {
    t = await startTestApp(dialect);
    desk = await buildDesk(t.db, t.ready.secret, { code: 'MAYBANG' });
    const admin = await buildUser(t.db, 'quantri', 'admin', null);
    tablet = `/k/${signTabletToken(t.ready.secret, await createKiosk(t.db, desk.id, 'Máy quầy 1', { at: t.clock.now.toISOString(), userId: admin, subject: 'test' }))}`;
  });
  afterAll(() => t.close());

  const later = (ms: number) => {
    t.clock.now = new Date(t.clock.now.getTime() + ms);
  };
  const storedAt = async () => (await t.db.selectFrom('responses').select('channel').where('desk_id', '=', desk.id).execute()).length;
  /** Answers of the last citizen a page shows: a ticked box or the comment typed. */
  const showsAnswers = (html: string) => /\schecked[\s>]/.test(html) || html.includes('Chờ lâu quá');

  it("a tablet's form reloads empty by itself without JavaScript, and carries the idle notice for the script; a phone's form has neither", async () => {
    const page = await request(t.app).get(tablet).expect(200);
    expect(page.text).toContain(`<noscript><meta http-equiv="refresh" content="${KIOSK_NOSCRIPT_SECONDS};url=${tablet}"></noscript>`);
    expect(page.text).toMatch(/<dialog class="idle" id="kiosk-idle"[^>]* data-idle-seconds="90" data-countdown-seconds="30" data-reset-url="\/k\/t\.[^"]+"/);
    expect(readable(page.text)).toContain('Ông/Bà còn ở đây không? Đã 90 giây không có thao tác. Để người sau không thấy các câu trả lời này, phiếu sẽ được xoá và làm mới.');
    expect(readable(page.text)).toContain('Tiếp tục điền phiếu Làm phiếu mới ngay');
    expect(page.text).toContain('<script src="/js/kiosk-idle.js" defer></script>');
    // A browser keeps no answers of this page to put back on Back.
    expect(/<form [^>]*class="survey__form"[^>]*>/.exec(page.text)?.[0]).toContain('autocomplete="off"');
    // The English page says it in English, and still resets to the Vietnamese form for the next citizen.
    const en = await request(t.app).get(`${tablet}?lang=en`).expect(200);
    expect(readable(en.text)).toContain('Are you still there? Nothing has been touched for 90 seconds.');
    expect(en.text).toContain(`data-reset-url="${tablet}"`);

    const phone = await request(t.app).get(desk.url).expect(200);
    expect(phone.text).not.toContain('http-equiv="refresh"');
    expect(phone.text).not.toContain('kiosk-idle');
    expect(/<form [^>]*class="survey__form"[^>]*>/.exec(phone.text)?.[0]).not.toContain('autocomplete');
  });

  it("a tablet's correction draft is not shown again once the idle reset's time has passed; a phone's still is", async () => {
    const unfinished = shortAnswers({ a: [], comment: 'Chờ lâu quá' });
    const atTablet = t.citizen({ url: tablet });
    const sent = await (await atTablet.take()).send(unfinished);
    const draft = String(sent.headers.location);
    expect(draft).toMatch(/\?nhap=/);
    // The citizen at the tablet gets the form back with their answers, as on a phone.
    const shown = await correctionPage(t.app, sent, atTablet.who);
    expect(showsAnswers(shown.text)).toBe(true);
    expect(shown.text).toContain('id="a-error"');

    const onPhone = t.citizen(desk);
    const phoneDraft = String((await (await onPhone.take()).send(unfinished)).headers.location);

    later(IDLE_RESET + SECOND);
    // Back, a reload, or a no-JavaScript refresh after the citizen walked away: the next one gets an empty form.
    const after = await request(t.app).get(draft).set(atTablet.who).expect(200);
    expect(showsAnswers(after.text)).toBe(false);
    expect(after.text).not.toContain('id="a-error"');
    expect(after.text).toContain('name="ft"');
    // A phone is one person's: its draft lasts as long as the form (SURVEY_FORM_TTL_MINUTES).
    const phoneAfter = await request(t.app).get(phoneDraft).set(onPhone.who).expect(200);
    expect(showsAnswers(phoneAfter.text)).toBe(true);
  });

  it("a tablet's form sent long after it was opened is stored, even past the form's life: never bounced back onto the screen", async () => {
    const before = await storedAt();
    const slow = await t.citizen({ url: tablet }).take();
    later(10 * 60 * SECOND);
    const res = await slow.send(shortAnswers());
    expect(res.status).toBe(303);
    expect(res.headers.location).toMatch(/\/cam-on$/);

    const forgotten = await t.citizen({ url: tablet }).take();
    later((120 + 5) * 60 * SECOND /* past SURVEY_FORM_TTL_MINUTES (120) */);
    const late = await forgotten.send(shortAnswers({ comment: 'Gửi muộn' }));
    expect(late.status).toBe(303);
    expect(late.headers.location).toMatch(/\/cam-on$/);
    expect(await storedAt()).toBe(before + 2);
    const comment = await t.db.selectFrom('comments').innerJoin('responses', 'responses.id', 'comments.response_id').select(['comments.text', 'responses.channel']).where('comments.text', '=', 'Gửi muộn').executeTakeFirst();
    expect(comment).toEqual({ text: 'Gửi muộn', channel: 'kiosk' });
  });

  it("a tablet's form reopened at its own address after the idle reset's time is a new form; a phone's is the same form", async () => {
    const atTablet = await t.citizen({ url: tablet }).take();
    const soon = await atTablet.reload().expect(200);
    expect(/name="ft" value="([^"]+)"/.exec(soon.text)?.[1]).toBe(atTablet.token);
    const onPhone = await t.citizen(desk).take();

    later(IDLE_RESET + SECOND);
    const reopened = await atTablet.reload().expect(200);
    const fresh = /name="ft" value="([^"]+)"/.exec(reopened.text)?.[1];
    expect(fresh).toBeTruthy();
    expect(fresh).not.toBe(atTablet.token);
    expect(/name="ft" value="([^"]+)"/.exec((await onPhone.reload().expect(200)).text)?.[1]).toBe(onPhone.token);
    // The first form was never sent, so sending the new one stores one response.
    const before = await storedAt();
    await t.citizen({ url: tablet }).hold(reopened).send(shortAnswers()).expect(303);
    expect(await storedAt()).toBe(before + 1);
  });
});
