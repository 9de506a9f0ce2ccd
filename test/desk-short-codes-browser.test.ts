/**
 * The short address typed by hand (issue 21, item 7), in a browser at 360 and 1366 px: a citizen who
 * cannot scan types the code printed under the QR code into the home page's box (in small letters,
 * with the dash) or types `BASE_URL/q/<code>` in small letters into the address bar, and lands on that
 * desk's form; a mistyped code is told on the home page. The printed poster shows the code at 14 pt
 * or more.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './support/app.ts';
import { launchBrowser, listen, overflowsHorizontally, seriousViolations } from './support/browser.ts';
import { buildDesk, type TestDesk } from './support/builders.ts';
import { DIALECTS } from './support/dialects.ts';
import { buildUser, signInBrowser } from './support/staff.ts';

/** 14 pt in CSS pixels. */
const FOURTEEN_PT = (14 * 96) / 72;

describe.each(DIALECTS)('on %s', (dialect) => {
  let t: TestApp;
  let desk: TestDesk;
  let code: string;
  let server: { url: string; close(): Promise<void> };

  beforeAll(async () => {
    t = await startTestApp(dialect);
    // Another desk first, so landing on a form is not landing on any form.
    await buildDesk(t.db, t.ready.secret, { questionnaire: 'health', fields: ['y-te'], unitCode: 'benh-vien-huu-nghi-da-khoa-nghe-an', code: 'BV' });
    desk = await buildDesk(t.db, t.ready.secret, { code: 'GO-TAY' });
    code = (await t.db.selectFrom('desks').select('short_code').where('id', '=', desk.id).executeTakeFirstOrThrow()).short_code;
    await buildUser(t.db, 'quantri', 'admin', null);
    server = await listen(t.app);
  });
  afterAll(async () => {
    await server?.close();
    await t?.close();
  });

  it('at 360 and 1366 px: the code typed on the home page, or the short address in small letters, opens that desk’s form', async () => {
    const deskName = (await t.db.selectFrom('desks').select('name').where('id', '=', desk.id).executeTakeFirstOrThrow()).name;
    const typed = `${code.slice(0, 4)}-${code.slice(4)}`.toLowerCase();
    for (const width of [360, 1366]) {
      const browser = await launchBrowser({ width, height: 800 });
      try {
        const page = await browser.context.newPage();
        await page.goto(server.url);
        expect(await overflowsHorizontally(page)).toBe(false);

        // A mistyped code (a 0 read for a letter): the home page says what to type, the box keeps it.
        await page.getByLabel('Mã của quầy').fill('7k3m-9px0');
        await page.getByRole('button', { name: 'Mở phiếu' }).click();
        await page.waitForURL(/\?ma=/);
        expect(await page.locator('#desk-code-error').textContent()).toContain('Mã này không đúng');
        expect(await page.inputValue('#desk-code')).toBe('7k3m-9px0');
        expect(await overflowsHorizontally(page)).toBe(false);

        await page.getByLabel('Mã của quầy').fill(typed);
        await page.getByRole('button', { name: 'Mở phiếu' }).click();
        await page.waitForURL(new RegExp(`/q/${code}$`));
        expect(await page.locator('body').textContent()).toContain(deskName);
        expect(await page.locator('form[method="post"]').count()).toBe(1);

        // BASE_URL/q/<code> typed in small letters into the address bar.
        await page.goto(`${server.url}/q/${code.toLowerCase()}`);
        expect(await page.locator('body').textContent()).toContain(deskName);
        expect(await overflowsHorizontally(page)).toBe(false);
        await page.close();
      } finally {
        await browser.close();
      }
    }
  });

  it('the home page with a refused code passes axe-core (no serious or critical violations)', async () => {
    const browser = await launchBrowser({ bypassCSP: true, width: 360 });
    try {
      const page = await browser.context.newPage();
      await page.goto(`${server.url}/?ma=7k3m-9px0`);
      expect(await page.locator('#desk-code[aria-invalid="true"]').count()).toBe(1);
      expect(await seriousViolations(page)).toEqual([]);
    } finally {
      await browser.close();
    }
  });

  it('the printed poster shows the short address at 14 pt or more', async () => {
    const browser = await launchBrowser({ width: 1366, height: 800 });
    try {
      const page = await browser.context.newPage();
      await signInBrowser(page, server.url, 'quantri');
      const unitId = (await t.db.selectFrom('desks').select('unit_id').where('id', '=', desk.id).executeTakeFirstOrThrow()).unit_id;
      await page.goto(`${server.url}/admin/units/${unitId}/posters`);
      await page.emulateMedia({ media: 'print' });
      const poster = page.locator('.poster', { hasText: `${code.slice(0, 4)}-${code.slice(4)}` });
      const size = (selector: string) => poster.locator(selector).evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
      expect(await size('.poster__short-code')).toBeGreaterThanOrEqual(FOURTEEN_PT);
      expect(await size('.poster__short-base')).toBeGreaterThanOrEqual(FOURTEEN_PT);
      expect(await size('.poster__type')).toBeGreaterThanOrEqual(FOURTEEN_PT);
      // The whole address fits the page's width: nothing cut off at the poster's edge.
      const fits = await poster.evaluate((el) => {
        const address = el.querySelector('.poster__short');
        return address !== null && address.scrollWidth <= el.clientWidth;
      });
      expect(fits).toBe(true);
    } finally {
      await browser.close();
    }
  });
});
