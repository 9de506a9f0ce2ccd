/**
 * A clerk with a stack of paper forms, in a browser at 360 and 1366 px (issue 21): the desk is chosen
 * by them on a first visit and remembered on the next; a form typed as a row of keys (the cursor moves
 * by itself) and one typed with Tab after every key put every digit in its own box, a "-" for a
 * question left blank stays in its box and is stored as unanswered.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { startTestApp, type TestApp } from './support/app.ts';
import { launchBrowser, listen, overflowsHorizontally, seriousViolations } from './support/browser.ts';
import { buildDesk, type TestDesk } from './support/builders.ts';
import { DIALECTS } from './support/dialects.ts';
import { buildUser, signInBrowser } from './support/staff.ts';

const BOXES = ['a', 'b', 'c', 'd', 'e', 'overall'];

describe.each(DIALECTS)('on %s', (dialect) => {
  let t: TestApp;
  let desk: TestDesk;
  let server: { url: string; close(): Promise<void> };

  beforeAll(async () => {
    t = await startTestApp(dialect);
    // A hospital's desk comes first in the list; the clerk types forms for the ward's one-stop desk.
    await buildDesk(t.db, t.ready.secret, { questionnaire: 'health', fields: ['y-te'], unitCode: 'benh-vien-huu-nghi-da-khoa-nghe-an', code: 'BV' });
    desk = await buildDesk(t.db, t.ready.secret, { unitCode: '16681', fields: ['dat-dai'], code: 'MC' });
    // An administrator, who may type forms in for every desk.
    await buildUser(t.db, 'nhap.phieu', 'admin', null);
    server = await listen(t.app);
  });
  afterAll(async () => {
    await server?.close();
    await t?.close();
  });

  const boxValues = (page: Page) => Promise.all(BOXES.map((key) => page.inputValue(`#p-${key}`)));

  /** The stored ratings of the newest paper form, by question key; a question with no answer row is absent. */
  async function lastForm(): Promise<Record<string, number | null>> {
    const response = await t.db.selectFrom('responses').select(['id', 'questionnaire_id']).where('channel', '=', 'paper').orderBy('id', 'desc').limit(1).executeTakeFirstOrThrow();
    const rows = await t.db
      .selectFrom('answers')
      .innerJoin('questions', 'questions.id', 'answers.question_id')
      .select(['questions.key', 'answers.value'])
      .where('answers.response_id', '=', response.id)
      .where('answers.option_key', '=', '')
      .execute();
    return Object.fromEntries(rows.map((r) => [r.key, r.value]));
  }

  it('at 360 and 1366 px: typed with and without Tab, every key lands in its box; a blank stays blank and is stored unanswered; the desk is the clerk\'s choice, then remembered', async () => {
    for (const width of [360, 1366]) {
      // bypassCSP only to inject axe-core; the page's own script runs as it does for anyone.
      const browser = await launchBrowser({ bypassCSP: true, width, height: 800 });
      try {
        const page = await browser.context.newPage();
        await signInBrowser(page, server.url, 'nhap.phieu');
        await page.goto(`${server.url}/paper`);
        // First visit: no desk chosen (not the hospital that sorts first); next visit: the desk used.
        expect(await page.inputValue('#f-desk')).toBe(width === 360 ? '' : String(desk.id));
        expect(await overflowsHorizontally(page)).toBe(false);
        expect(await seriousViolations(page)).toEqual([]);
        await page.selectOption('#f-desk', String(desk.id));
        await page.getByRole('button', { name: 'Bắt đầu nhập' }).click();
        await page.waitForURL(/\/paper\/entry\?/);
        await expect.poll(() => page.locator('[data-paper-advance]').isVisible()).toBe(true);
        expect(await overflowsHorizontally(page)).toBe(false);

        // Without Tab: a row of keys, the cursor moving by itself.
        await page.fill('#p-number', `K${width}`);
        await page.focus('#p-a');
        await page.keyboard.type('5-0434');
        expect(await boxValues(page)).toEqual(['5', '-', '0', '4', '3', '4']);
        await page.keyboard.press('Enter');
        await page.waitForURL(/saved=K/);
        expect(await lastForm()).toEqual({ a: 5, c: null, d: 4, e: 3, overall: 4 });

        // With Tab after every key, as a typist used to it does: not one box too far.
        await page.fill('#p-number', `T${width}`);
        await page.focus('#p-a');
        for (const key of ['4', '3', '-', '5', '2', '-']) {
          await page.keyboard.type(key);
          await page.keyboard.press('Tab');
        }
        expect(await boxValues(page)).toEqual(['4', '3', '-', '5', '2', '-']);
        // Shift+Tab still goes back a box, and a key typed there replaces its digit.
        await page.focus('#p-b');
        await page.keyboard.press('Shift+Tab');
        await page.keyboard.type('2');
        expect(await boxValues(page)).toEqual(['2', '3', '-', '5', '2', '-']);
        await page.locator('#p-a').press('Enter');
        await page.waitForURL(/saved=T/);
        expect(await lastForm()).toEqual({ a: 2, b: 3, d: 5, e: 2 });
        expect(await overflowsHorizontally(page)).toBe(false);

        // A box left empty: the typist is told which, beside it, and the blank typed as "-" is still there.
        await page.fill('#p-number', `R${width}`);
        await page.focus('#p-a');
        await page.keyboard.type('4-3');
        await page.keyboard.press('Enter');
        await expect.poll(() => page.locator('#p-d-error').textContent()).toBe('Chưa nhập câu 4 (gõ - nếu người dân bỏ trống).');
        expect(await boxValues(page)).toEqual(['4', '-', '3', '', '', '']);
        expect(await page.evaluate(() => document.activeElement?.id)).toBe('p-d');
        expect(await overflowsHorizontally(page)).toBe(false);
        expect(await seriousViolations(page)).toEqual([]);
      } finally {
        await browser.close();
      }
    }
  }, 90_000);
});
