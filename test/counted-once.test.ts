/**
 * Counted means counted once, by a citizen (issue 16), in both directions and with the app's default
 * limits: real citizens on a registered tablet, switching language, behind one Wi-Fi, or living an
 * ordinary busy day at a center are counted; a script straddling a window boundary, an expired form
 * sent again and again, a form sent twice, IPv6 spellings of one address and invented dossier codes
 * are not counted beyond what one citizen could send.
 */
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKiosk } from '../db/queries/kiosks.ts';
import { createApp } from '../server/app.ts';
import { createLogger } from '../server/log.ts';
import { PAPER_PER_HOUR } from '../server/survey/paper-signals.ts';
import { FORMS_PER_PERSON, FORMS_PER_PERSON_ANYWHERE } from '../server/survey/signals.ts';
import { LINKS_PER_WINDOW } from '../server/routes/dossier-links.ts';
import { signTabletToken } from '../server/tokens/tokens.ts';
import { type HeldForm, staffMember } from './support/actors.ts';
import { startTestApp, type TestApp } from './support/app.ts';
import { buildDesk, citizen, formTokenOf, shortAnswers, type TestDesk } from './support/builders.ts';
import { DIALECTS } from './support/dialects.ts';
import { readable } from './support/html.ts';
// The simulated day draws from the respondents' seeded generator: the same day every run.
import { seeded } from './support/respondents.ts';
import { buildToken, buildUser } from './support/staff.ts';

/** The app's own defaults (server/start/config.ts), not the test app's relaxed ones. */
const DEFAULT_LIMITS = { SURVEY_MIN_SECONDS: '3', SURVEY_RATE_LIMIT: '30', SURVEY_FORM_LIMIT: '60' };
const SECOND = 1000;
const MINUTE = 60 * SECOND;

type Who = Record<string, string>;
type Answers = Record<string, string | string[]>;


describe.each(DIALECTS)('on %s', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(dialect, DEFAULT_LIMITS);
  });
  afterAll(() => t.close());

  const later = (ms: number) => {
    t.clock.now = new Date(t.clock.now.getTime() + ms);
  };

  /** A citizen at a desk (a tablet's, a link's), in the app's words (support/actors.ts). */
  const visitor = (url: string, who: Who = citizen()) => t.citizen({ url }, who);
  /** The language switch brings back the same form, in the other language. */
  async function switchLanguage(form: HeldForm, to: 'vi' | 'en', answers: Answers = {}): Promise<void> {
    const draft = await form.switchLanguage(to, answers);
    expect(formTokenOf(draft.text)).toBe(form.token);
  }

  async function statuses(deskId: number): Promise<{ status: string; flags: string }[]> {
    return t.db.selectFrom('responses').select(['status', 'flags']).where('desk_id', '=', deskId).orderBy('id').execute();
  }
  const counted = async (deskId: number) => (await statuses(deskId)).filter((r) => r.status === 'ok').length;

  describe('real citizens are counted', () => {
    it('six citizens in a row on a registered tablet, each with their own answers', async () => {
      const desk = await buildDesk(t.db, t.ready.secret);
      const admin = await buildUser(t.db, `admin.tablet.${dialect}`, 'admin', null);
      const kiosk = await createKiosk(t.db, desk.id, 'Máy quầy 1', { at: t.clock.now.toISOString(), userId: admin, subject: 'test' });
      const tablet = { 'X-Forwarded-For': '113.160.1.10', 'User-Agent': 'Mozilla/5.0 (Linux; Android 11; SM-T505) Chrome/120.0 Safari/537.36' };
      const url = `/k/${signTabletToken(t.ready.secret, kiosk)}`;
      for (let i = 0; i < 6; i++) {
        const form = await visitor(url, tablet).take();
        later(40 * SECOND);
        const sent = await form.send(shortAnswers({ overall: String(1 + (i % 5)), a: String(5 - (i % 3)) })).expect(303);
        // The thank-you page returns to an empty form for the next citizen after 8 seconds.
        await request(t.app).get(sent.headers.location as string).set(tablet).expect(200);
        later(30 * SECOND);
      }
      expect(await statuses(desk.id)).toEqual(Array.from({ length: 6 }, () => ({ status: 'ok', flags: '' })));
      const stored = await t.db.selectFrom('responses').select(['channel', 'kiosk_id']).where('desk_id', '=', desk.id).execute();
      expect(stored.every((r) => r.channel === 'kiosk' && r.kiosk_id === kiosk)).toBe(true);
    });

    it('a citizen who switches language three times before sending', async () => {
      const desk = await buildDesk(t.db, t.ready.secret);
      const form = await visitor(desk.url).take();
      await switchLanguage(form, 'en', { a: '5' });
      await switchLanguage(form, 'vi', { a: '5', b: '4' });
      await switchLanguage(form, 'en', { a: '5', b: '4', c: '5' });
      later(MINUTE);
      await form.send(shortAnswers()).expect(303);
      expect(await statuses(desk.id)).toEqual([{ status: 'ok', flags: '' }]);
    });

    it('ten phones on one Wi-Fi (one address) at one desk within two minutes, some of the same model', async () => {
      const desk = await buildDesk(t.db, t.ready.secret);
      const phones = Array.from({ length: 10 }, (_, i) => visitor(desk.url, { 'X-Forwarded-For': '113.160.1.20', 'User-Agent': `Mozilla/5.0 (Linux; Android 13; SM-A${i % 4}5F) Chrome/131.0 Mobile` }));
      const forms: HeldForm[] = [];
      for (const phone of phones) {
        forms.push(await phone.take());
        later(8 * SECOND);
      }
      later(30 * SECOND);
      for (const [i, form] of forms.entries()) await form.send(shortAnswers({ overall: String(3 + (i % 3)) })).expect(303);
      expect(await counted(desk.id)).toBe(10);
    });

    it('Back after sending: the page says the form was sent, and when; changing an answer and sending again is the same response', async () => {
      const desk = await buildDesk(t.db, t.ready.secret);
      t.clock.now = new Date('2025-06-16T03:01:00Z');
      const form = await visitor(desk.url).take();
      later(MINUTE);
      await form.send(shortAnswers()).expect(303);
      // survey-form.js has put the form's own address in the address bar: Back comes to it.
      later(MINUTE);
      const back = await form.reload().expect(200);
      expect(readable(back.text)).toContain('Phiếu này đã được gửi lúc 10:02 và đã được ghi nhận. Mỗi phiếu chỉ được tính một lần, không cần gửi lại.');
      // The next day it names the day too, and in English as an English reader writes it.
      t.clock.now = new Date('2025-06-17T01:00:00Z');
      expect(readable((await form.reload().expect(200)).text)).toContain('gửi lúc 10:02 ngày 16/06/2025 và đã được ghi nhận');
      expect(readable((await form.reload('lang=en').expect(200)).text)).toContain(
        'This form was sent at 10:02 on 16/06/2025 and has been recorded. Each form counts once, so there is no need to send it again.',
      );
      await form.send(shortAnswers({ overall: '1' })).expect(303);
      expect(await statuses(desk.id)).toEqual([{ status: 'ok', flags: '' }]);
      // Before sending, the form's own address is the same form (a reload counts nothing new).
      const fresh = await visitor(desk.url).take();
      const reloaded = await fresh.reload().expect(200);
      expect(formTokenOf(reloaded.text)).toBe(fresh.token);
    });

    it('an ordinary busy day at a center: every citizen counted, under 1% flagged', { timeout: 240_000 }, async () => {
      const day = await simulateDay(t, 20251);
      expect(day.sent).toBeGreaterThan(500);
      // Every acknowledged form is stored, once.
      expect(day.stored).toBe(day.sent);
      expect(day.flagged / day.stored).toBeLessThan(0.01);
      console.log(`simulated day on ${dialect}: ${day.sent} citizens, ${day.requests} requests, ${day.flagged} flagged (${((100 * day.flagged) / day.stored).toFixed(2)}%)${day.flags ? `: ${day.flags}` : ''}`);
    });
  });

  describe('staff', () => {
    it('sixty paper forms posted all at once by one account: no more than thirty counted, the rest wait for someone else', async () => {
      const desk = await buildDesk(t.db, t.ready.secret, { unitCode: '17329' });
      await buildUser(t.db, `quanly.giay.${dialect}`, 'manager', '17329');
      const manager = await t.staff(`quanly.giay.${dialect}`);
      t.clock.now = new Date('2025-06-18T03:00:00Z');
      const day = '17/06/2025';
      // One page of the paper entry, its form sent sixty times at once.
      const page = await manager.page(`/paper/entry?desk=${desk.id}&day=${encodeURIComponent(day)}`);
      const sends = Array.from({ length: 60 }, (_, i) =>
        page.post('/paper/entry', { desk: String(desk.id), day, count: '0', paper_number: `S${i}`, a: '5', b: '5', c: '5', d: String(3 + (i % 3)), e: '4', overall: '5' }),
      );
      expect((await Promise.all(sends)).map((r) => r.status)).toEqual(Array.from({ length: 60 }, () => 303));
      const rows = await statuses(desk.id);
      expect(rows).toHaveLength(60);
      expect(rows.filter((r) => r.status === 'ok')).toHaveLength(PAPER_PER_HOUR);
      expect(rows.filter((r) => r.flags.includes('paper-many'))).toHaveLength(60 - PAPER_PER_HOUR);
    });

    it('the same sent in parallel to two app servers over one database: still no more than thirty counted', async () => {
      const desk = await buildDesk(t.db, t.ready.secret, { unitCode: '17329' });
      await buildUser(t.db, `quanly.hai.${dialect}`, 'manager', '17329');
      const second = createApp({ db: t.db, config: t.config, secret: t.ready.secret, logger: createLogger('silent'), now: () => t.clock.now });
      const agents = [await t.staff(`quanly.hai.${dialect}`), await staffMember(second, `quanly.hai.${dialect}`)];
      t.clock.now = new Date('2025-06-18T05:00:00Z');
      const day = '17/06/2025';
      const pages = await Promise.all(agents.map((a) => a.page(`/paper/entry?desk=${desk.id}&day=${encodeURIComponent(day)}`)));
      const sends = Array.from({ length: 60 }, (_, i) =>
        pages[i % 2]?.post('/paper/entry', { desk: String(desk.id), day, count: '0', paper_number: `H${i}`, a: '4', b: '5', c: '5', d: String(3 + (i % 3)), e: '4', overall: '4' }),
      );
      const statusCodes: number[] = [];
      for (const sent of await Promise.all(sends.map(async (send) => (await send)?.status ?? 0))) statusCodes.push(sent);
      expect(statusCodes).toEqual(Array.from({ length: 60 }, () => 303));
      expect((await statuses(desk.id)).filter((r) => r.status === 'ok')).toHaveLength(PAPER_PER_HOUR);
    });
  });

  describe('scripts are not counted beyond one citizen', () => {
    it('forms opened at x9:59 and sent at x0:01 from one phone: at most the limit counted', async () => {
      const desks = [await buildDesk(t.db, t.ready.secret), await buildDesk(t.db, t.ready.secret)];
      const phone = citizen();
      t.clock.now = new Date('2025-06-17T02:09:59Z');
      const forms: HeldForm[] = [];
      for (const desk of desks) for (let i = 0; i < 30; i++) forms.push(await visitor(desk.url, phone).take());
      t.clock.now = new Date('2025-06-17T02:10:01Z');
      for (const form of forms) await form.send(shortAnswers({ comment: form.token })).expect(303);
      expect((await counted(desks[0]?.id ?? 0)) + (await counted(desks[1]?.id ?? 0))).toBeLessThanOrEqual(FORMS_PER_PERSON);
    });

    it('one phone opening and sending one form at a time, across twenty desks: at most six counted in ten minutes', async () => {
      const desks: TestDesk[] = [];
      for (let i = 0; i < 20; i++) desks.push(await buildDesk(t.db, t.ready.secret));
      const phone = citizen();
      for (let round = 0; round < 3; round++) {
        for (const desk of desks) {
          const form = await visitor(desk.url, phone).take();
          later(3 * SECOND);
          await form.send(shortAnswers({ overall: String(1 + round) })).expect(303);
        }
      }
      // 60 forms in 3 minutes: the first FORMS_PER_PERSON_ANYWHERE counted, the rest wait for review.
      let total = 0;
      for (const desk of desks) total += await counted(desk.id);
      expect(total).toBe(FORMS_PER_PERSON_ANYWHERE);
    });

    it('forms hoarded from one phone at three desks and sent eleven minutes later: judged as they were opened, three counted', async () => {
      const desks = [await buildDesk(t.db, t.ready.secret), await buildDesk(t.db, t.ready.secret), await buildDesk(t.db, t.ready.secret)];
      const phone = citizen();
      const forms: HeldForm[] = [];
      for (const desk of desks) for (let i = 0; i < 30; i++) forms.push(await visitor(desk.url, phone).take());
      later(11 * MINUTE);
      for (const [i, form] of forms.entries()) await form.send(shortAnswers({ overall: String(1 + (i % 5)) })).expect(303);
      let total = 0;
      for (const desk of desks) total += await counted(desk.id);
      expect(total).toBe(FORMS_PER_PERSON);
    });

    it('someone who scans the QR code four times and sends all four: the first three counted, the fourth waits for review', async () => {
      const desk = await buildDesk(t.db, t.ready.secret);
      const phone = citizen();
      const forms: HeldForm[] = [];
      for (let i = 0; i < 4; i++) forms.push(await visitor(desk.url, phone).take());
      later(10 * SECOND);
      for (const [i, form] of forms.entries()) await form.send(shortAnswers({ overall: String(2 + i) })).expect(303);
      expect((await statuses(desk.id)).map((r) => r.status)).toEqual(['ok', 'ok', 'ok', 'suspect']);
    });

    it("a form is sent back to the door it was served at: a tablet's or a link's form sent as a phone's is refused, nothing stored", async () => {
      const desk = await buildDesk(t.db, t.ready.secret);
      const admin = await buildUser(t.db, `admin.doors.${dialect}`, 'admin', null);
      const tablet = `/k/${signTabletToken(t.ready.secret, await createKiosk(t.db, desk.id, 'Máy cửa', { at: t.clock.now.toISOString(), userId: admin, subject: 'test' }))}`;
      const phone = citizen();
      const fromTablet = await visitor(tablet, phone).take();
      const token = await buildToken(t.db, await buildUser(t.db, `motcua.doors.${dialect}`, 'manager', '16681'), new Date(), undefined, 'read,links');
      const made = await request(t.app).post('/api/v1/dossier-links').set('Authorization', `Bearer ${token}`).send({ desk_id: desk.id, dossier: '000.00.12.H40-777777-0001' }).expect(201);
      const fromLink = await visitor(new URL((made.body as { url: string }).url).pathname, phone).take();
      const fromPhone = await visitor(desk.url, phone).take();
      later(MINUTE);
      await fromTablet.send(shortAnswers(), { at: desk.url }).expect(400);
      await fromLink.send(shortAnswers(), { at: desk.url }).expect(400);
      await fromPhone.send(shortAnswers(), { at: tablet }).expect(400);
      expect(await statuses(desk.id)).toEqual([]);
    });

    it('a flood of flagged forms does not push the real citizens after it into review (burst counts only what nothing else flagged)', async () => {
      const desk = await buildDesk(t.db, t.ready.secret);
      // Two phones, twenty forms each (under the limit of sends a minute): all flagged many-forms but three each.
      const forms: HeldForm[] = [];
      for (const bot of [citizen(), citizen()]) for (let i = 0; i < 20; i++) forms.push(await visitor(desk.url, bot).take());
      later(MINUTE);
      for (const form of forms) await form.send(shortAnswers({ comment: form.token })).expect(303);
      for (let i = 0; i < 5; i++) {
        const form = await visitor(desk.url).take();
        later(40 * SECOND);
        await form.send(shortAnswers({ overall: String(1 + i) })).expect(303);
      }
      const rows = await statuses(desk.id);
      expect(rows.slice(-5)).toEqual(Array.from({ length: 5 }, () => ({ status: 'ok', flags: '' })));
    });

    it('an expired form reloaded at its own address is the same form issued again, so it still makes one response', async () => {
      const desk = await buildDesk(t.db, t.ready.secret);
      const person = visitor(desk.url);
      const first = await person.take();
      later(121 * MINUTE);
      const reloaded = person.hold(await first.reload().expect(200));
      expect(reloaded.token.split('.')[0]).toBe(first.token.split('.')[0]);
      later(MINUTE);
      await reloaded.send(shortAnswers()).expect(303);
      const again = await first.send(shortAnswers({ overall: '1' })).expect(303);
      expect(again.headers.location).toContain('?f=');
      expect(await statuses(desk.id)).toHaveLength(1);
    });

    it('an expired form sent again and again counts at most once, and renewing it counts as opening a form', async () => {
      const desk = await buildDesk(t.db, t.ready.secret);
      const person = visitor(desk.url);
      const first = await person.take();
      later(121 * MINUTE);
      for (let i = 0; i < 12; i++) {
        const sent = await first.send(shortAnswers({ comment: `lần ${i}` })).expect(303);
        const location = sent.headers.location as string;
        if (location.includes('nhap=')) {
          // The form again, answers kept, with the same form issued anew: sending it stores the response.
          const renewed = person.hold(await person.open(location).expect(200));
          expect(renewed.token).not.toBe(first.token);
          expect(renewed.token.split('.')[0]).toBe(first.token.split('.')[0]);
          await renewed.send(shortAnswers({ comment: `gửi lại ${i}` })).expect(303);
        }
      }
      expect(await t.db.selectFrom('responses').select('id').where('desk_id', '=', desk.id).execute()).toHaveLength(1);
    });

    it('IPv6 spellings of one /64, and an IPv4 address mapped into IPv6, share one limit', async () => {
      const limited = await startTestApp(dialect, { ...DEFAULT_LIMITS, SURVEY_RATE_LIMIT: '2' });
      try {
        const desk = await buildDesk(limited.db, limited.ready.secret);
        const send = async (address: string) => {
          const form = await limited.citizen(desk, { 'X-Forwarded-For': address, 'User-Agent': `UA ${address}` }).take();
          limited.clock.now = new Date(limited.clock.now.getTime() + 10 * SECOND);
          return (await form.send(shortAnswers({ comment: address }))).status;
        };
        expect([await send('2001:db8:a:b::1'), await send('2001:DB8:A:B:0:0:0:2'), await send('2001:0db8:000a:000b::3')]).toEqual([303, 303, 429]);
        expect([await send('203.0.113.7'), await send('::ffff:203.0.113.7'), await send('::FFFF:cb00:7107')]).toEqual([303, 303, 429]);
      } finally {
        await limited.close();
      }
    });

    it('dossier links asked for faster than a desk receives dossiers: the responses beyond the pace are not verified and wait for review', async () => {
      const desk = await buildDesk(t.db, t.ready.secret);
      const token = await buildToken(t.db, await buildUser(t.db, `motcua.${dialect}`, 'manager', '16681'), new Date(), undefined, 'read,links');
      const links: string[] = [];
      for (let i = 0; i < 40; i++) {
        const made = await request(t.app)
          .post('/api/v1/dossier-links')
          .set('Authorization', `Bearer ${token}`)
          .send({ desk_id: desk.id, dossier: `000.00.12.H40-999999-${String(i).padStart(4, '0')}` })
          .expect(201);
        links.push(new URL((made.body as { url: string }).url).pathname);
      }
      for (const path of links) await t.citizen({ url: path }).submit(shortAnswers()).then((r) => expect(r.status).toBe(303));
      const rows = await t.db.selectFrom('responses').select(['status', 'flags', 'verified']).where('desk_id', '=', desk.id).orderBy('id').execute();
      expect(rows.filter((r) => r.status === 'ok' && r.verified === 1)).toHaveLength(LINKS_PER_WINDOW);
      expect(rows.slice(LINKS_PER_WINDOW)).toEqual(Array.from({ length: 40 - LINKS_PER_WINDOW }, () => ({ status: 'suspect', flags: 'link-rate', verified: 0 })));
    });
  });
});

interface DayResult {
  sent: number;
  stored: number;
  flagged: number;
  requests: number;
  flags: string;
}

/**
 * An ordinary busy day at a one-stop center, through the app's HTTP routes with its default limits:
 * desks A and B serve 200 citizens each (A with an opening rush of 20 in ten minutes), desk C 60 on
 * its registered tablet and 40 on phones. A third of the phones are on the center's Wi-Fi (one
 * address), the rest behind 40 shared carrier addresses or their own IPv6 prefix, with 25 browser
 * strings weighted like a market where a few phone models dominate (so some citizens share a
 * "device"). A citizen takes 30 seconds to 3 minutes; some switch language (a few three times),
 * some make a mistake and correct it, some reload, some press Back after sending and send again,
 * and one in a hundred rates a second procedure at the same desk. Ratings are mostly 4 and 5, often
 * all 5, as real SIPAS answers are.
 */
async function simulateDay(t: TestApp, seed: number): Promise<DayResult> {
  const random = seeded(seed);
  const pick = <T,>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const agents = Array.from({ length: 25 }, (_, i) => ({ ua: `Mozilla/5.0 (Linux; Android ${10 + (i % 5)}; Model-${i}) Chrome/13${i % 3}.0 Mobile Safari/537.36 Zalo/${i}`, weight: 1 / (i + 1) ** 0.8 }));
  const totalWeight = agents.reduce((s, a) => s + a.weight, 0);
  const agent = () => {
    let x = random() * totalWeight;
    for (const a of agents) if ((x -= a.weight) <= 0) return a.ua;
    return agents[0]?.ua ?? '';
  };
  const carriers = Array.from({ length: 40 }, (_, i) => `27.72.${i}.${(i * 7) % 250}`);
  let ipv6 = 0;
  const phone = (): Who => {
    const r = random();
    const address = r < 1 / 3 ? '113.160.1.50' : r < 2 / 3 ? pick(carriers) : `2402:800:${(++ipv6).toString(16)}:1::${Math.floor(random() * 65535).toString(16)}`;
    return { 'X-Forwarded-For': address, 'User-Agent': agent() };
  };
  const rating = () => {
    const r = random();
    return r < 0.6 ? '5' : r < 0.88 ? '4' : r < 0.96 ? '3' : r < 0.98 ? '2' : '1';
  };
  const answers = (): Answers => {
    const allFive = random() < 0.4;
    const one = () => (allFive ? '5' : rating());
    const options = ['minh-bach', 'trach-nhiem', 'thai-do', 'hieu-qua', 'cong-nghe'];
    return { a: one(), b: one(), c: one(), d: one(), e: random() < 0.1 ? '0' : one(), overall: one(), expectations: [pick(options)] };
  };

  const desks = { a: await buildDesk(t.db, t.ready.secret), b: await buildDesk(t.db, t.ready.secret), c: await buildDesk(t.db, t.ready.secret) };
  const admin = await buildUser(t.db, `admin.day.${seed}.${t.dialect}`, 'admin', null);
  const kiosk = await createKiosk(t.db, desks.c.id, 'Máy quầy C', { at: new Date().toISOString(), userId: admin, subject: 'simulation' });
  const tabletUrl = `/k/${signTabletToken(t.ready.secret, kiosk)}`;
  const tabletWho: Who = { 'X-Forwarded-For': '113.160.1.50', 'User-Agent': 'Mozilla/5.0 (Linux; Android 11; SM-T505) Chrome/120.0 Safari/537.36' };

  // 07:30 to 17:00 local (00:30 to 10:00 UTC) on a Tuesday.
  const opening = Date.parse('2025-06-24T00:30:00Z');
  const dayLength = 9.5 * 60 * MINUTE;
  type Step = { at: number; run: () => Promise<void> };
  const queue: Step[] = [];
  const schedule = (at: number, run: () => Promise<void>) => queue.push({ at, run });
  let requests = 0;
  let sent = 0;
  const go = <R,>(r: R, count = 1) => {
    requests += count;
    return r;
  };

  /** One citizen on their own phone, from opening the form to the thank-you page (and perhaps Back). */
  function phoneVisit(url: string, start: number, who = phone()): void {
    const person = t.citizen({ url }, who);
    let form: HeldForm | undefined;
    const held = (): HeldForm => {
      if (!form) throw new Error('the form was never opened');
      return form;
    };
    const fill = 30 * SECOND + random() * 150 * SECOND;
    const final = answers();
    schedule(start, async () => {
      form = person.hold(await go(person.open()));
      const r = random();
      if (r < 0.1) {
        // Switches language, once or (one in five of them) three times: each a POST and the form again.
        const times = random() < 0.2 ? 3 : 1;
        schedule(start + fill / 3, async () => {
          for (let i = 0; i < times; i++) await go(held().switchLanguage(i % 2 === 0 ? 'en' : 'vi', { a: final.a ?? '5' }), 2);
        });
      } else if (r < 0.15) {
        // Reloads the form before answering (its own address, survey-form.js).
        schedule(start + fill / 4, async () => {
          await go(held().reload());
        });
      }
      const mistake = random() < 0.08;
      schedule(start + fill, async () => {
        if (mistake) {
          const { b: _missing, ...partial } = final;
          const res = await go(held().send(partial));
          await go(person.open(res.headers.location as string));
          t.clock.now = new Date(t.clock.now.getTime() + 15 * SECOND);
        }
        const res = await go(held().send(final));
        if (res.status !== 303 || !String(res.headers.location).includes('/cam-on')) throw new Error(`a citizen's form was not taken: ${res.status} ${String(res.headers.location)}`);
        sent++;
        await go(person.open(res.headers.location as string));
        const after = random();
        if (after < 0.04) {
          // Back, a changed answer, sent again: the same response.
          schedule(t.clock.now.getTime() + 20 * SECOND, async () => {
            await go(held().reload());
            await go(held().send({ ...final, overall: '3' }));
          });
        } else if (after < 0.05) {
          // A second procedure at the same desk, rated on a new form.
          phoneVisit(url, t.clock.now.getTime() + 30 * SECOND, who);
        }
      });
    });
  }

  /** The next citizen at the tablet: the previous one has been served (a few minutes each). */
  let tabletFree = opening;
  function tabletVisit(start: number): void {
    const begin = Math.max(start, tabletFree);
    const fill = 25 * SECOND + random() * 60 * SECOND;
    tabletFree = begin + fill + 2 * MINUTE + random() * 4 * MINUTE;
    const person = t.citizen({ url: tabletUrl }, tabletWho);
    let form: HeldForm | undefined;
    schedule(begin, async () => {
      form = person.hold(await go(person.open()));
    });
    schedule(begin + fill, async () => {
      if (!form) throw new Error('the tablet form was never opened');
      const res = await go(form.send(answers()));
      if (res.status !== 303 || !String(res.headers.location).includes('/cam-on')) throw new Error(`a tablet form was not taken: ${res.status}`);
      sent++;
      await go(person.open(res.headers.location as string));
    });
  }

  const spread = () => opening + random() * (dayLength - 5 * MINUTE);
  // Desk A: an opening rush of 20 in ten minutes, then 180 more through the day.
  for (let i = 0; i < 20; i++) phoneVisit(desks.a.url, opening + random() * 10 * MINUTE);
  for (let i = 0; i < 180; i++) phoneVisit(desks.a.url, spread());
  for (let i = 0; i < 200; i++) phoneVisit(desks.b.url, spread());
  for (let i = 0; i < 40; i++) phoneVisit(desks.c.url, spread());
  const tabletStarts = Array.from({ length: 60 }, spread).sort((x, y) => x - y);
  for (const start of tabletStarts) tabletVisit(start);

  // Run every step in time order, moving the app's clock to it.
  while (queue.length > 0) {
    queue.sort((x, y) => x.at - y.at);
    const step = queue.shift() as Step;
    if (step.at > t.clock.now.getTime()) t.clock.now = new Date(step.at);
    await step.run();
  }

  const rows = await t.db
    .selectFrom('responses')
    .select(['status', 'flags'])
    .where('desk_id', 'in', [desks.a.id, desks.b.id, desks.c.id])
    .execute();
  const flagged = rows.filter((r) => r.status !== 'ok');
  const byFlag = new Map<string, number>();
  for (const r of flagged) byFlag.set(r.flags, (byFlag.get(r.flags) ?? 0) + 1);
  return { sent, stored: rows.length, flagged: flagged.length, requests, flags: [...byFlag].map(([f, n]) => `${f} ${n}`).join(', ') };
}
