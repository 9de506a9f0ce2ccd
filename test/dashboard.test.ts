/** The dashboard renders for an empty database and for demo data, in both languages, and passes axe-core. */
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDemoSeed } from '../server/cli/demo-seed.ts';
import { startTestApp, type TestApp } from './support/app.ts';
import { launchBrowser, listen, overflowsHorizontally, seriousViolations } from './support/browser.ts';
import { buildUser, PASSWORD, signIn } from './support/staff.ts';
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

    it('a bad date in the URL gets a 400 page that says what is wrong', async () => {
      const agent = await signIn(t.app, 'admin');
      const page = await agent.get('/dashboard?from=2025-02-30&to=2025-03-01').expect(400);
      expect(page.text).toContain('Ngày không hợp lệ');
    });

    it('a manager of the provincial center sees only that center in the ranking', async () => {
      const agent = await signIn(t.app, 'tt-manager');
      const page = await agent.get('/dashboard?period=12m').expect(200);
      const ranking = /id="ranking">([\s\S]*?)id="questions-title"/.exec(page.text)?.[1] ?? '';
      expect(ranking).toContain('Trung tâm Phục vụ hành chính công tỉnh Nghệ An');
      expect(ranking).not.toContain('Phường Thành Vinh');
    });

    it('in a browser: charts are drawn, nothing overflows a phone, and axe-core finds no serious violation', async () => {
      for (const width of [1280, 360]) {
        const browser = await launchBrowser({ bypassCSP: true, width });
        try {
          const page = await browser.context.newPage();
          const errors: string[] = [];
          page.on('pageerror', (e) => errors.push(e.message));
          await page.goto(`${server.url}/login`);
          await page.fill('input[name=username]', 'admin');
          await page.fill('input[name=password]', PASSWORD);
          await page.click('button[type=submit]');
          await page.waitForURL(/\/dashboard/);
          await page.waitForLoadState('networkidle');
          expect(errors).toEqual([]);
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
