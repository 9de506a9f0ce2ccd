/**
 * A counter tablet left alone mid-form clears itself (issue 21, item 6), in Chromium at a phone's
 * 360 px and a 1366 px screen: with KIOSK_IDLE_SECONDS=3 (so the countdown is 3 seconds too) the
 * notice asks "Still there?", takes the focus, counts down visibly and for a screen reader, keeps the
 * answers when the citizen continues (from the keyboard), and otherwise returns to an empty form. A
 * phone with answers on it is never reset. The server's side without JavaScript: survey-kiosk-idle.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKiosk } from '../db/queries/kiosks.ts';
import { signTabletToken } from '../server/tokens/tokens.ts';
import { startTestApp, type TestApp } from './support/app.ts';
import { type Browser, launchBrowser, listen, overflowsHorizontally, seriousViolations } from './support/browser.ts';
import { buildDesk, type TestDesk } from './support/builders.ts';
import { DIALECTS } from './support/dialects.ts';
import { buildUser } from './support/staff.ts';

// One database is enough: what is tested happens in the browser.
describe.each(DIALECTS.slice(0, 1))('on %s', (dialect) => {
  let t: TestApp;
  let server: { url: string; close(): Promise<void> };
  let desk: TestDesk;
  let tablet: string;

  beforeAll(async () => {
    t = await startTestApp(dialect, { KIOSK_IDLE_SECONDS: '3' });
    desk = await buildDesk(t.db, t.ready.secret, { code: 'MAYBANG' });
    const admin = await buildUser(t.db, 'quantri', 'admin', null);
    tablet = `/k/${signTabletToken(t.ready.secret, await createKiosk(t.db, desk.id, 'Máy quầy 1', { at: t.clock.now.toISOString(), userId: admin, subject: 'test' }))}`;
    server = await listen(t.app);
  });
  afterAll(async () => {
    await server?.close();
    await t?.close();
  });

  describe.each([360, 1366])('at %i px', (width) => {
    let browser: Browser;
    beforeAll(async () => {
      // axe-core is put into the page, so the browser lets it past the CSP; the page's own script is the one served.
      browser = await launchBrowser({ width, height: width < 500 ? 740 : 768, bypassCSP: true });
    });
    afterAll(() => browser?.close());

    it('the tablet asks, counts down, keeps the answers on "continue", and otherwise returns to an empty form; a phone never resets', async () => {
      const phone = await browser.context.newPage();
      await phone.goto(`${server.url}${desk.url}`);
      await phone.locator('label[for="a-5"]').click();

      const page = await browser.context.newPage();
      await page.goto(`${server.url}${tablet}`);
      await page.waitForURL(/\?f=/);
      const firstForm = new URL(page.url()).searchParams.get('f');
      // An empty form waiting for the next citizen is left alone.
      await page.waitForTimeout(3_500);
      expect(await page.locator('#kiosk-idle').isVisible()).toBe(false);

      await page.locator('label[for="a-5"]').click();
      await page.locator('textarea[name="comment"]').fill('Đang viết dở');
      const notice = page.getByRole('alertdialog', { name: 'Ông/Bà còn ở đây không?' });
      await notice.waitFor({ state: 'visible', timeout: 6_000 });
      expect(await notice.locator('.idle__countdown').textContent()).toMatch(/^Phiếu sẽ được làm mới sau [1-3] giây\.$/);
      expect(await page.locator('[aria-live="polite"]#kiosk-idle-live').textContent()).toMatch(/^Phiếu sẽ được làm mới sau \d giây\.$/);
      // The focus is on "continue": Enter keeps the answers.
      expect(await page.evaluate(() => document.activeElement?.textContent?.trim())).toBe('Tiếp tục điền phiếu');
      expect(await overflowsHorizontally(page)).toBe(false);
      expect(await seriousViolations(page)).toEqual([]);
      await page.keyboard.press('Enter');
      await notice.waitFor({ state: 'hidden' });
      expect(await page.locator('#a-5').isChecked()).toBe(true);
      expect(await page.locator('textarea[name="comment"]').inputValue()).toBe('Đang viết dở');

      // Left again: the notice comes back, and when it runs out the tablet opens an empty form of its own.
      await notice.waitFor({ state: 'visible', timeout: 6_000 });
      await page.waitForURL((url) => url.searchParams.has('f') && url.searchParams.get('f') !== firstForm, { timeout: 8_000 });
      await page.waitForLoadState();
      expect(await page.locator('input:checked').count()).toBe(0);
      expect(await page.locator('textarea[name="comment"]').inputValue()).toBe('');
      expect(await page.locator('#kiosk-idle').isVisible()).toBe(false);
      expect(await page.locator('html').getAttribute('lang')).toBe('vi');

      // The phone, untouched all this while, still has its answer and no notice.
      expect(await phone.locator('#a-5').isChecked()).toBe(true);
      expect(await phone.locator('dialog').count()).toBe(0);
      await phone.close();
      await page.close();
    });
  });
});
