/** A citizen on a 360 px phone with JavaScript off fills in the survey; every page passes axe-core. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueSetupLink } from '../server/auth/setup.ts';
import { startTestApp, type TestApp } from './support/app.ts';
import { launchBrowser, listen, overflowsHorizontally, seriousViolations, type Browser } from './support/browser.ts';
import { buildDesk, type TestDesk } from './support/builders.ts';
import { countRows } from './support/db.ts';
import { DIALECTS } from './support/dialects.ts';

describe.each(DIALECTS)('on %s', (dialect) => {
  let t: TestApp;
  let server: { url: string; close(): Promise<void> };
  let oneStop: TestDesk;
  let hospital: TestDesk;
  let setupPath: string;

  beforeAll(async () => {
    t = await startTestApp(dialect);
    oneStop = await buildDesk(t.db, t.ready.secret, { fields: ['tu-phap-ho-tich', 'dat-dai'] });
    hospital = await buildDesk(t.db, t.ready.secret, { questionnaire: 'health', fields: ['y-te'], unitCode: 'benh-vien-huu-nghi-da-khoa-nghe-an' });
    server = await listen(t.app);
    setupPath = new URL((await issueSetupLink(t.db, t.config.baseUrl)) ?? '').pathname;
  });
  afterAll(async () => {
    await server?.close();
    await t?.close();
  });

  describe('without JavaScript, at 360 px', () => {
    let browser: Browser;
    beforeAll(async () => {
      browser = await launchBrowser({ javaScriptEnabled: false, width: 360 });
    });
    afterAll(() => browser?.close());

    it('a citizen picks the field, rates every question, comments and is thanked', async () => {
      const page = await browser.context.newPage();
      await page.goto(`${server.url}${oneStop.url}`);
      expect(await overflowsHorizontally(page)).toBe(false);

      await page.getByLabel('Đất đai').check();
      for (const key of ['a', 'b', 'c', 'd']) await page.locator(`label[for="${key}-5"]`).click();
      await page.locator('label[for="overall-4"]').click();
      await page.getByLabel('Thái độ phục vụ của công chức').check();
      await page.getByLabel(/Góp ý khác/).fill('Cán bộ rất tận tình');
      await page.locator('label[for="e-0"]').click();
      await page.getByRole('button', { name: 'Gửi đánh giá' }).click();
      await page.waitForURL(/\/cam-on$/);
      expect(await page.locator('h1').textContent()).toContain('Cảm ơn');
      expect(await overflowsHorizontally(page)).toBe(false);

      const response = await t.db
        .selectFrom('responses')
        .innerJoin('fields', 'fields.id', 'responses.field_id')
        .select(['fields.code', 'responses.id'])
        .where('desk_id', '=', oneStop.id)
        .executeTakeFirstOrThrow();
      expect(response.code).toBe('dat-dai');
      const comment = await t.db.selectFrom('comments').select('text').where('response_id', '=', response.id).executeTakeFirstOrThrow();
      expect(comment.text).toBe('Cán bộ rất tận tình');
      await page.close();
    });

    it('the rating buttons are at least 44 px tall, big enough for a thumb', async () => {
      const page = await browser.context.newPage();
      await page.goto(`${server.url}${hospital.url}`);
      const heights = await page.locator('.choices--scale .choice').evaluateAll((els) => els.map((e) => e.getBoundingClientRect().height));
      expect(heights.length).toBeGreaterThan(0);
      expect(Math.min(...heights)).toBeGreaterThanOrEqual(44);
      const widths = await page.locator('.choices--scale .choice').evaluateAll((els) => els.map((e) => e.getBoundingClientRect().width));
      expect(Math.min(...widths)).toBeGreaterThanOrEqual(44);
      await page.close();
    });
  });

  describe('accessibility (axe-core: no serious or critical violations)', () => {
    let browser: Browser;
    beforeAll(async () => {
      browser = await launchBrowser({ bypassCSP: true, width: 360 });
    });
    afterAll(() => browser?.close());

    it.each([
      ['the survey form', () => oneStop.url],
      ['the English survey form', () => `${oneStop.url}?lang=en`],
      ['the health survey', () => hospital.url],
      ['the thank-you page', () => `${oneStop.url}/cam-on`],
      ['the invalid QR page', () => '/q/not-valid'],
      ['the home page', () => '/'],
      ['the sign-in page', () => '/login'],
      ['the first administrator’s setup page', () => setupPath],
    ])('%s', async (_name, path) => {
      const page = await browser.context.newPage();
      await page.goto(`${server.url}${path()}`);
      expect(await seriousViolations(page)).toEqual([]);
      await page.close();
    });

    it('with JavaScript the form gets its own address: Back after sending says it was sent, and when, and accessibly', async () => {
      const page = await browser.context.newPage();
      await page.goto(`${server.url}${hospital.url}`);
      await page.waitForURL(/\?f=/);
      const before = await countRows(t.db, 'responses');
      for (const label of await page.locator('label[for$="-5"]').all()) await label.click();
      await page.getByRole('button', { name: 'Gửi đánh giá' }).click();
      await page.waitForURL(/\/cam-on$/);
      await page.goBack();
      expect(page.url()).toMatch(/\?f=/);
      expect(await page.locator('.message__note').textContent()).toMatch(/^Phiếu này đã được gửi lúc \d\d:\d\d và đã được ghi nhận\. Mỗi phiếu chỉ được tính một lần, không cần gửi lại\.$/);
      expect(await page.locator('input[name="ft"]').count()).toBe(0);
      expect(await seriousViolations(page)).toEqual([]);
      // A reload of the form's own address is the same page, not a new form.
      await page.reload();
      expect(await page.locator('.message__note').count()).toBe(1);
      expect(await countRows(t.db, 'responses')).toBe(before + 1);
      await page.close();
    });

    it('the form shown again with errors', async () => {
      const page = await browser.context.newPage();
      await page.goto(`${server.url}${oneStop.url}`);
      const before = await countRows(t.db, 'responses');
      await page.locator('form').evaluate((form: HTMLFormElement) => {
        form.noValidate = true;
      });
      await page.getByRole('button', { name: 'Gửi đánh giá' }).click();
      await page.waitForLoadState();
      expect(await page.locator('.notice--error').textContent()).toContain('vui lòng xem lại');
      // The summary has the focus (public/js/error-summary.js), so a screen reader starts with what to fix.
      await page.waitForFunction(() => document.activeElement?.hasAttribute('data-error-summary') === true);
      expect(await page.locator('.notice--error').getAttribute('tabindex')).toBe('-1');
      expect(await page.locator('#field-error').textContent()).toContain('Vui lòng chọn lĩnh vực');
      expect(await seriousViolations(page)).toEqual([]);
      expect(await countRows(t.db, 'responses')).toBe(before);
      await page.close();
    });
  });
});
