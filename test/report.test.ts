/** The printable report: the dashboard's filters on A4, printed to PDF by Chromium as a manager would. */
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recentQuarters } from '../analytics/periods.ts';
import { localDay } from '../analytics/time.ts';
import { runDemoSeed } from '../server/cli/demo-seed.ts';
import { startTestApp, type TestApp } from './support/app.ts';
import { launchBrowser, listen, overflowsHorizontally, seriousViolations } from './support/browser.ts';
import { DIALECTS } from './support/dialects.ts';
import { buildUser, signIn, signInBrowser } from './support/staff.ts';

/** Pages of a PDF: Chromium writes each page's dictionary uncompressed. */
function pageCount(pdf: Buffer): number {
  return pdf.toString('latin1').match(/\/Type\s*\/Page(?!s)/g)?.length ?? 0;
}

describe.each(DIALECTS)('on %s', (dialect) => {
  let t: TestApp;
  let server: { url: string; close(): Promise<void> };
  // The last completed quarter, as a province reports it: "Quý 2/2025".
  const quarter = recentQuarters(localDay(new Date()), 2)[1] as string;
  const [year, q] = [quarter.slice(0, 4), quarter.slice(6)];

  beforeAll(async () => {
    t = await startTestApp(dialect);
    t.clock.now = new Date();
    await runDemoSeed(t.ready, 1500, { months: 12 });
    await buildUser(t.db, 'admin', 'admin', null);
    await buildUser(t.db, 'vinh-viewer', 'viewer', '16681');
    server = await listen(t.app);
  }, 60_000);
  afterAll(async () => {
    await server?.close();
    await t?.close();
  });

  it('is a document, not a page to work in: period and filters in words, charts as SVG, tables open, no controls or scripts', async () => {
    const agent = await signIn(t.app, 'admin');
    const res = await agent.get(`/report?period=${quarter}&field=dat-dai`).expect(200);
    expect(res.text).toContain(`Quý ${q}/${year}`);
    expect(res.text).toMatch(/Ngày in: \d{2}\/\d{2}\/\d{4}/);
    expect(res.text).toMatch(/<strong>Lĩnh vực:<\/strong> Đất đai/);
    expect(res.text).toContain('Đơn vị:</strong> Toàn tỉnh');
    expect(res.text.match(/<svg class="svg-chart"/g)).toHaveLength(5);
    expect(res.text).not.toMatch(/<(form|input|select|button|textarea|details|canvas|script)\b/);
    expect(res.text).not.toContain('style=');
    // The indicators in sentences.
    expect(res.text).toMatch(/\d+,\d%, tính trên [\d.]+ phiếu\. Với độ tin cậy 95%, tỷ lệ thực nằm trong khoảng/);
    expect(res.text).toContain('Xếp hạng đơn vị');
  });

  it('is scoped like the dashboard: another unit is 403, no session goes to sign in', async () => {
    const viewer = await signIn(t.app, 'vinh-viewer');
    const own = await viewer.get('/report?period=12m').expect(200);
    expect(own.text).toContain('Đơn vị:</strong> Phường Thành Vinh');
    await viewer.get('/report?period=12m&unit=17329').expect(403);
    await request(t.app).get('/report').expect(303).expect('location', '/login?next=%2Freport');
  });

  it('prints to a PDF of a few A4 pages with the period in the header; on a phone it fits and passes axe-core', async () => {
    for (const width of [1366, 360]) {
      const browser = await launchBrowser({ bypassCSP: width === 360, width });
      try {
        const page = await browser.context.newPage();
        const problems: string[] = [];
        page.on('console', (m) => {
          if (m.type() === 'error') problems.push(m.text());
        });
        await signInBrowser(page, server.url, 'admin');
        await page.goto(`${server.url}/report?period=${quarter}`);
        if (width === 360) {
          expect(await overflowsHorizontally(page)).toBe(false);
          expect(await seriousViolations(page)).toEqual([]);
          continue;
        }
        // Nothing blocked by the content security policy (no inline style or script).
        expect(problems).toEqual([]);
        await page.emulateMedia({ media: 'print' });
        const header = await page.locator('.report__header').innerText();
        expect(header).toContain(`Quý ${q}/${year}`);
        expect(await page.locator('.site-header').isVisible()).toBe(false);
        expect(await page.locator('input, select, button, textarea, form').count()).toBe(0);
        const pdf = await page.pdf({ format: 'A4', preferCSSPageSize: true, printBackground: true });
        const pages = pageCount(pdf);
        expect(pages).toBeGreaterThanOrEqual(2);
        expect(pages).toBeLessThanOrEqual(12);
      } finally {
        await browser.close();
      }
    }
  }, 60_000);
});
