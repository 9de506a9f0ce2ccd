/** The dashboard renders for an empty database and for demo data, in both languages, and passes axe-core. */
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDemoSeed } from '../server/cli/demo-seed.ts';
import { startTestApp, type TestApp } from './support/app.ts';
import { launchBrowser, listen, overflowsHorizontally, seriousViolations } from './support/browser.ts';
import { buildUser, signIn, signInBrowser } from './support/staff.ts';
import { buildDesk, shortAnswers, storeResponses, submitSurvey } from './support/builders.ts';
import { DIALECTS } from './support/dialects.ts';

describe.each(DIALECTS)('on %s', (dialect) => {
  describe('on an empty database', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await startTestApp(dialect);
      await buildUser(t.db, 'admin', 'admin', null);
    });
    afterAll(() => t.close());

    it('shows every indicator with "no responses yet" and its target, not zeros', async () => {
      const agent = await signIn(t.app, 'admin');
      const page = await agent.get('/dashboard').expect(200);
      expect(page.text.match(/card__value">Chưa có phiếu</g)).toHaveLength(4);
      expect(page.text).toContain('Chỉ tiêu: trên 87%');
      expect(page.text).toContain('Chỉ tiêu: trên 90%');
      expect(page.text).toContain('Chưa có góp ý trong kỳ này.');
    });

    it('on the first day an administrator gets the "Bắt đầu" checklist, ticked as units, desks and targets are set up; a manager a line to print posters; both gone once a response comes in', async () => {
      const agent = await signIn(t.app, 'admin');
      const steps = async (path = '/dashboard') => {
        const text = (await agent.get(path).expect(200)).text;
        return { text, done: (text.match(/start__step start__step--done/g) ?? []).length, todo: (text.match(/class="start__step"/g) ?? []).length };
      };
      const first = await steps();
      expect(first.text).toContain('<h2 id="start-title" class="start__title">Bắt đầu</h2>');
      expect(first.text).toContain('Chưa có phiếu khảo sát nào.');
      expect(first.text).toContain('Hiện có 164 đơn vị.');
      expect(first.text).toContain('Đang hoạt động: 0 quầy.');
      expect(first.text).toContain('href="/admin/units/new"');
      expect(first.text).toContain('href="/admin/targets"');
      expect(first).toMatchObject({ done: 0, todo: 4 });
      const english = await steps('/dashboard?lang=en');
      expect(english.text).toContain('Getting started');
      expect(english.text).toContain('href="/admin/units?lang=en"');

      // A unit added (its code left to the proposal), a desk, a target confirmed: three ticks; the posters wait for the first response.
      const admin = await t.staff('admin');
      await admin.post('/admin/units', { code: '', name: 'Xã Thử Nghiệm', kind: 'commune', parent: '' }, '/admin/units/new').then((r) => expect(r.status).toBe(303));
      const desk = await buildDesk(t.db, t.ready.secret, { unitCode: '16681', code: 'MC' });
      await t.db.updateTable('targets').set({ updated_at: new Date().toISOString() }).where('id', '=', (await t.db.selectFrom('targets').select('id').executeTakeFirstOrThrow()).id).execute();
      const later = await steps();
      expect(later).toMatchObject({ done: 3, todo: 1 });
      expect(later.text).toContain('Đang hoạt động: 1 quầy.');
      expect(later.text).toContain('Hiện có 165 đơn vị.');

      await buildUser(t.db, 'quanly', 'manager', '16681');
      const manager = await signIn(t.app, 'quanly');
      const unit = (await t.db.selectFrom('units').select('id').where('code', '=', '16681').executeTakeFirstOrThrow()).id;
      const managerPage = (await manager.get('/dashboard').expect(200)).text;
      expect(managerPage).toContain('Chưa có phiếu nào tại các đơn vị của bạn. In áp phích mã QR');
      expect(managerPage).toContain(`href="/admin/units/${unit}"`);
      expect(managerPage).not.toContain('start-title');

      await submitSurvey(t.app, desk.url, shortAnswers()).then((r) => expect(r.status).toBe(303));
      expect((await steps()).text).not.toContain('start-title');
      expect((await manager.get('/dashboard').expect(200)).text).not.toContain('Chưa có phiếu nào tại các đơn vị của bạn');
    });
  });

  describe('against the period before', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await startTestApp(dialect);
      t.clock.now = new Date('2026-12-04T03:00:00Z');
      const desk = await buildDesk(t.db, t.ready.secret, { unitCode: '16681', fields: ['dat-dai'] });
      const criteria = { a: 5, b: 5, c: 5, d: 5, e: 5 };
      // October (the 30 days before November): 2 of 3 satisfied; November: 4 of 6, the same 66,7%.
      await storeResponses(t.db, desk.id, 'dat-dai', '2026-10-15', [{ copies: 2, ratings: { ...criteria, overall: 5 } }, { copies: 1, ratings: { ...criteria, overall: 1 } }]);
      await storeResponses(t.db, desk.id, 'dat-dai', '2026-11-20', [{ copies: 4, ratings: { ...criteria, overall: 5 } }, { copies: 2, ratings: { ...criteria, overall: 1 } }]);
      await buildUser(t.db, 'admin', 'admin', null);
    });
    afterAll(() => t?.close());

    it('a change that rounds to nothing reads "no change", never "−0,0"; a real one gives its sign and points', async () => {
      const agent = await signIn(t.app, 'admin');
      const card = async (query: string) => /data-indicator="tthc">([\s\S]*?)<\/li>/.exec((await agent.get(`/dashboard?${query}`).expect(200)).text)?.[1] ?? '';
      const same = await card('from=2026-11-01&to=2026-11-30');
      expect(same).toContain('66,7%');
      expect(same).toContain('Không đổi so với kỳ trước');
      expect(same).not.toContain('0,0 điểm');
      // 20 to 30 November against the 11 days before, 9 to 19 November, which had no responses.
      expect(await card('from=2026-11-20&to=2026-11-30')).toContain('Kỳ trước chưa có số liệu');
    });
  });

  describe('on demo data', () => {
    let t: TestApp;
    let server: { url: string; close(): Promise<void> };
    beforeAll(async () => {
      t = await startTestApp(dialect);
      t.clock.now = new Date();
      await runDemoSeed(t.ready, 1500, { months: 12 });
      await buildUser(t.db, 'admin', 'admin', null);
      await buildUser(t.db, 'tt-manager', 'manager', 'trung-tam-phuc-vu-hanh-chinh-cong-tinh-nghe-an');
      server = await listen(t.app);
    }, 60_000);
    afterAll(async () => {
      await server?.close();
      await t?.close();
    });

    it('shows values, intervals, verdicts, trends, rankings, distributions, expectations and comments', async () => {
      const agent = await signIn(t.app, 'admin');
      const page = await agent.get('/dashboard?period=12m').expect(200);
      expect(page.text).toMatch(/card__value">\d+,\d%/);
      expect(page.text).toMatch(/Khoảng tin cậy 95%: \d+,\d–\d+,\d%/);
      expect(page.text).toMatch(/class="verdict verdict--(met|not_met|inconclusive|insufficient)"/);
      expect(page.text.match(/<canvas data-chart=/g)?.length).toBeGreaterThanOrEqual(8);
      expect(page.text).toContain('Trung tâm Phục vụ hành chính công tỉnh Nghệ An');
      // Units are judged against the target of their kind of service.
      const section = (key: string) => new RegExp(`aria-labelledby="ranking-${key}-title">([\\s\\S]*?)</section>`).exec(page.text)?.[1] ?? '';
      expect(section('hospital')).toContain('Bệnh viện Hữu nghị Đa khoa Nghệ An');
      expect(section('hospital')).toContain('trên 85%');
      expect(section('commune')).toContain('Phường Thành Vinh');
      expect(section('commune')).toContain('trên 87%');
      expect(page.text).toContain('Công khai, minh bạch thông tin');
      // The hospital's "would you come back" is not an expectation: it has a section of its own.
      const other = /id="choices-title">[\s\S]*?<\/section>/.exec(page.text)?.[0] ?? '';
      expect(other).toContain('Chắc chắn quay lại hoặc giới thiệu');
      expect(page.text).toContain('class="comment');
      // The filters are in the URL: the form shows what was asked for.
      expect(page.text).toMatch(/<option value="12m" selected>/);
    });

    it('keeps the filters in the URL and narrows to a field and a quarter', async () => {
      const agent = await signIn(t.app, 'admin');
      const page = await agent.get('/dashboard?period=quarter&field=dat-dai&lang=en').expect(200);
      expect(page.text).toContain('<html lang="en">');
      expect(page.text).toMatch(/<option value="quarter" selected>This quarter/);
      expect(page.text).toMatch(/<option value="dat-dai" selected>Land/);
      expect(page.text).toContain('Satisfaction with the handling of administrative procedures');
      // The language switch keeps the filters.
      expect(page.text).toMatch(/href="\/dashboard\?period=quarter&amp;field=dat-dai"/);
    });

    it('a bad filter in the URL keeps the dashboard and its filters, with the message next to the field (400)', async () => {
      const agent = await signIn(t.app, 'admin');
      const page = await agent.get('/dashboard?period=custom&from=30/02/2025&to=31/03/2025&field=dat-dai').expect(400);
      // The dashboard with its form, not an error page: the day as typed, the other filters kept.
      expect(page.text).toContain('<form method="get" action="/dashboard" class="filters"');
      expect(page.text).toMatch(/<input type="text" id="filter-from" name="from" value="30\/02\/2025"[^>]*aria-describedby="filter-from-hint filter-from-error" aria-invalid="true"/);
      expect(page.text).toMatch(/<p class="field__error" id="filter-from-error">Ngày &#34;30\/02\/2025&#34; không đúng/);
      expect(page.text).toContain('value="31/03/2025"');
      expect(page.text).toMatch(/<option value="dat-dai" selected>/);
      expect(page.text).not.toContain('class="card"');
      // Start after end, and an unknown unit: each message beside its own field.
      const order = await agent.get('/dashboard?from=01/04/2025&to=31/03/2025').expect(400);
      expect(order.text).toMatch(/id="filter-from-error">Ngày bắt đầu phải trước hoặc bằng ngày kết thúc/);
      const unit = await agent.get('/dashboard?unit=khong-co').expect(400);
      expect(unit.text).toMatch(/<select name="unit" aria-invalid="true" aria-describedby="filter-unit-error">/);
      expect(unit.text).toContain('id="filter-unit-error">Bộ lọc không hợp lệ: khong-co không tồn tại.');
      // The API and the exports keep their plain answers; the API keeps ISO days.
      const api = await agent.get('/api/v1/indicators?from=2025-02-30&to=2025-03-01').expect(400);
      expect(api.body.error).toContain('Ngày không hợp lệ: dùng dạng năm-tháng-ngày');
      await agent.get('/api/v1/indicators?from=01/02/2025&to=01/03/2025').expect(400);
      await agent.get('/export/indicators.csv?unit=khong-co').expect(400);
    });

    it('takes days typed as dd/mm/yyyy (and ISO from bookmarks), and links keep ISO', async () => {
      const agent = await signIn(t.app, 'admin');
      const typed = await agent.get('/dashboard?period=custom&from=1/4/2025&to=30.06.2025').expect(200);
      expect(typed.text).toContain('Kỳ 01/04/2025 – 30/06/2025');
      expect(typed.text).toContain('value="01/04/2025"');
      expect(typed.text).toContain('href="/report?from=2025-04-01&amp;to=2025-06-30"');
      const iso = await agent.get('/dashboard?from=2025-04-01&to=2025-06-30').expect(200);
      expect(iso.text).toContain('Kỳ 01/04/2025 – 30/06/2025');
    });

    it('a manager of the provincial center sees only that center in the ranking', async () => {
      const agent = await signIn(t.app, 'tt-manager');
      const page = await agent.get('/dashboard?period=12m').expect(200);
      const ranking = /id="ranking">([\s\S]*?)id="questions-title"/.exec(page.text)?.[1] ?? '';
      expect(ranking).toContain('Trung tâm Phục vụ hành chính công tỉnh Nghệ An');
      expect(ranking).not.toContain('Phường Thành Vinh');
    });

    it('in a browser, at 360 and 1366 px: plain verdicts first, no internal codes, dd/mm/yyyy days, nothing wider than a phone, print without navigation or form', async () => {
      for (const width of [360, 1366]) {
        const browser = await launchBrowser({ width, height: width === 360 ? 740 : 768 });
        try {
          const page = await browser.context.newPage();
          await signInBrowser(page, server.url, 'admin');
          await page.goto(`${server.url}/dashboard?period=12m`);
          // Each card leads with a sentence: the value, then what it means against the target.
          const leads = await page.locator('section[aria-labelledby="cards-title"] .card .card__lead').allInnerTexts();
          expect(leads).toHaveLength(4);
          // The demo imports dossier counts: each card gives the other figure (weighted by dossiers, or as answered) and the response rate,
          // and the plan's five dossier targets follow, met or not, without an interval.
          const procedures = await page.locator('section[aria-labelledby="cards-title"] .card[data-indicator="tthc"]').innerText();
          expect(procedures).toMatch(/Theo (số hồ sơ|phiếu trả lời)[^\n]*: \d+,\d%, khoảng tin cậy 95% \d+,\d–\d+,\d%/);
          expect(procedures).toMatch(/Tỷ lệ phản hồi: [\d.]+ phiếu trên [\d.]+ hồ sơ đã giải quyết \(\d+,\d%\)/);
          const dossierCards = await page.locator('.cards--dossiers .card').allInnerTexts();
          expect(dossierCards).toHaveLength(5);
          for (const c of dossierCards) {
            expect(c).toMatch(/đạt chỉ tiêu/i);
            expect(c).not.toContain('Khoảng tin cậy');
          }
          for (const lead of leads) expect(lead).toMatch(/^\d+,\d% — (vượt chỉ tiêu|cao hơn chỉ tiêu|thấp hơn chỉ tiêu|đúng bằng chỉ tiêu|mới có) /);
          // The card's first lines after its name are that sentence and the verdict; the interval comes later.
          const order = await page.locator('.card').first().locator('p').allInnerTexts();
          expect(order[0]).toMatch(/^\d+,\d% — /);
          expect(order.findIndex((l) => l.startsWith('Khoảng tin cậy 95%'))).toBeGreaterThan(1);
          // No internal codes anywhere on the page, even in folded sections.
          await page.evaluate(() => document.querySelectorAll<HTMLDetailsElement>('details').forEach((d) => (d.open = true)));
          const text = await page.locator('body').innerText();
          expect(text).not.toMatch(/tthc-|v\d\)|overall|\(v\d/);
          expect(text).toContain('Câu đánh giá chung');
          expect(text).toContain('Đủ chỗ ngồi chờ');
          expect(text).not.toMatch(/trên \d[\d.]* người trả lời/);
          // Days read dd/mm/yyyy whatever the browser's language.
          for (const name of ['from', 'to']) {
            const field = page.locator(`input[name=${name}]`);
            expect(await field.getAttribute('type')).toBe('text');
            expect(await field.inputValue()).toMatch(/^\d{2}\/\d{2}\/\d{4}$/);
          }
          if (width === 360) {
            // Cards come before the filter form, and no element is wider than the phone, even opened.
            const [cardsTop, formTop] = await page.evaluate(() => [
              document.querySelector('.cards')?.getBoundingClientRect().top ?? -1,
              document.querySelector('form.filters')?.getBoundingClientRect().top ?? -1,
            ]);
            expect(cardsTop).toBeLessThan(formTop);
            // The phone's list ranks the units with enough responses; the others are named apart with their counts.
            expect(await page.locator('.ranking-list li').count()).toBeGreaterThan(0);
            expect(await page.locator('#ranking .ranking-section__silent').first().innerText()).toMatch(/Chưa đủ phiếu để xếp hạng \(dưới 30 phiếu\)/);
            // Each kind's section shows its list; its wide table and chart are left to wider screens.
            expect(await page.locator('#ranking .ranking-section .ranking-list').first().isVisible()).toBe(true);
            expect(await page.locator('#ranking table.data').first().isVisible()).toBe(false);
            const wide = await page.evaluate(() =>
              [...document.querySelectorAll('body *')]
                .filter((e) => e.getBoundingClientRect().right > window.innerWidth + 1)
                .map((e) => `${e.tagName}.${e.className} ${e.textContent?.slice(0, 40)}`),
            );
            expect(wide).toEqual([]);
          }
          // Print: navigation and form hidden, the tables shown.
          await page.emulateMedia({ media: 'print' });
          expect(await page.locator('.staff-nav').isVisible()).toBe(false);
          expect(await page.locator('form.filters').isVisible()).toBe(false);
          expect(await page.locator('.downloads').isVisible()).toBe(false);
          expect(await page.locator('#ranking table.data').first().isVisible()).toBe(true);
          expect(await page.locator('.fold table.data').first().isVisible()).toBe(true);
        } finally {
          await browser.close();
        }
      }
    });

    it('in a browser: a bad filter typed in the form keeps the dashboard and the filters, the message next to the field', async () => {
      const browser = await launchBrowser({ width: 360 });
      try {
        const page = await browser.context.newPage();
        await signInBrowser(page, server.url, 'admin');
        await page.selectOption('select[name=field]', 'dat-dai');
        await page.fill('input[name=from]', '30/02/2025');
        await page.fill('input[name=to]', '31/03/2025');
        await page.click('form.filters button[type=submit]');
        await page.waitForLoadState('load');
        expect(await page.locator('h1').innerText()).toBe('Chỉ số hài lòng');
        const from = page.locator('input[name=from]');
        expect(await from.getAttribute('aria-invalid')).toBe('true');
        const described = (await from.getAttribute('aria-describedby')) ?? '';
        expect(await page.locator(`#${described.split(' ').pop()}`).innerText()).toContain('30/02/2025');
        expect(await from.inputValue()).toBe('30/02/2025');
        expect(await page.locator('input[name=to]').inputValue()).toBe('31/03/2025');
        expect(await page.locator('select[name=field]').inputValue()).toBe('dat-dai');
        // Corrected, the same form shows the figures.
        await page.fill('input[name=from]', '01/02/2025');
        await page.click('form.filters button[type=submit]');
        await page.waitForLoadState('load');
        expect(await page.locator('.card').count()).toBe(4);
        expect(await page.locator('.period-line').innerText()).toContain('01/02/2025 – 31/03/2025');
      } finally {
        await browser.close();
      }
    });

    it('in a browser: charts are drawn, nothing overflows a phone, and axe-core finds no serious violation', async () => {
      for (const width of [1280, 360]) {
        const browser = await launchBrowser({ bypassCSP: true, width });
        try {
          const page = await browser.context.newPage();
          const errors: string[] = [];
          page.on('pageerror', (e) => errors.push(e.message));
          await signInBrowser(page, server.url, 'admin');
          await page.waitForLoadState('networkidle');
          expect(errors).toEqual([]);
          // On a phone the long sections arrive folded: open them, as a reader would.
          await page.evaluate(() => document.querySelectorAll<HTMLDetailsElement>('details.fold').forEach((d) => (d.open = true)));
          await page.waitForTimeout(300);
          // chart.js replaced each canvas's size: the charts were drawn from their data-* attributes.
          const drawn = await page.locator('canvas[data-chart]').evaluateAll((els) => els.filter((e) => (e as HTMLCanvasElement).width > 0 && e.hasAttribute('style')).length);
          expect(drawn).toBeGreaterThanOrEqual(8);
          if (width === 360) expect(await overflowsHorizontally(page)).toBe(false);
          expect(await seriousViolations(page)).toEqual([]);
        } finally {
          await browser.close();
        }
      }
    });

    it('the login page passes axe-core too', async () => {
      const browser = await launchBrowser({ bypassCSP: true, width: 360 });
      try {
        const page = await browser.context.newPage();
        await page.goto(`${server.url}/login`);
        expect(await seriousViolations(page)).toEqual([]);
      } finally {
        await browser.close();
      }
    });

    it('the API agrees with itself across languages', async () => {
      const agent = await signIn(t.app, 'admin');
      const vi = await agent.get('/api/v1/indicators?period=12m').expect(200);
      const en = await agent.get('/api/v1/indicators?period=12m&lang=en').expect(200);
      const values = (body: unknown) => (body as { indicators: { value: number | null }[] }).indicators.map((i) => i.value);
      expect(values(en.body)).toEqual(values(vi.body));
      expect(en.body.indicators[0].name).toBe('Satisfaction with the handling of administrative procedures');
      await request(t.app).get('/api/v1/indicators').expect(401);
    });
  });

  describe('reporting by calendar quarter', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await startTestApp(dialect);
      t.clock.now = new Date('2025-08-20T03:00:00Z');
      await buildUser(t.db, 'admin', 'admin', null);
    });
    afterAll(() => t.close());

    it('offers the last completed quarters and reports on a whole quarter (period=2025-Q2)', async () => {
      const agent = await signIn(t.app, 'admin');
      const page = await agent.get('/dashboard?period=2025-Q2').expect(200);
      expect(page.text).toMatch(/<option value="2025-Q2" selected>Quý 2\/2025<\/option>/);
      expect(page.text).toContain('<option value="2024-Q3"');
      expect(page.text).toContain('Kỳ 01/04/2025 – 30/06/2025');
      expect(page.text).toContain('Kỳ trước: 01/01/2025 – 31/03/2025.');
      const api = await agent.get('/api/v1/indicators?period=2025-Q2').expect(200);
      expect(api.body.period).toEqual({ from: '2025-04-01', to: '2025-06-30' });
    });
  });
});
