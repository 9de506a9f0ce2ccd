/**
 * The survey as a citizen sees it in Chromium, on a 360 x 740 phone and a 1366 x 768 office screen,
 * without JavaScript: a missed question gets the server's summary (never the browser's own bubble)
 * whose link brings the question's text into view; the rating words are never cut inside a word, at
 * the default, 130% and 200% text size; on a phone the 1-5 scale is five full-width rows; nothing is
 * wider than the screen; axe-core finds nothing serious.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './support/app.ts';
import { type Browser, launchBrowser, listen, overflowsHorizontally, seriousViolations, setTextSize } from './support/browser.ts';
import { buildDesk, type TestDesk } from './support/builders.ts';
import { countRows } from './support/db.ts';
import { DIALECTS } from './support/dialects.ts';

const SCREENS = [
  { name: 'phone', width: 360, height: 740 },
  { name: 'office screen', width: 1366, height: 768 },
];

interface WordBox {
  word: string;
  lines: number;
  inside: boolean;
}
interface LabelBox {
  text: string;
  fontSize: number;
  lines: number;
  words: WordBox[];
}

/** Each rating word's rendered boxes: a word cut in two (hyphenated or broken anywhere) has boxes on two lines. */
function ratingLabels(page: Page): Promise<LabelBox[]> {
  return page.evaluate(() =>
    [...document.querySelectorAll('.choices--scale .choice__label')].map((label) => {
      const choice = (label.closest('.choice') as HTMLElement).getBoundingClientRect();
      const words: { word: string; lines: number; inside: boolean }[] = [];
      const lineTops = new Set<number>();
      const walker = document.createTreeWalker(label, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode() as Text | null; node; node = walker.nextNode() as Text | null) {
        if (node.parentElement?.classList.contains('choice__score')) continue;
        for (const m of node.data.matchAll(/\S+/g)) {
          const range = document.createRange();
          range.setStart(node, m.index);
          range.setEnd(node, m.index + m[0].length);
          const rects = [...range.getClientRects()].filter((r) => r.width > 0);
          const tops = new Set(rects.map((r) => Math.round(r.top)));
          tops.forEach((top) => lineTops.add(top));
          const left = Math.min(...rects.map((r) => r.left));
          const right = Math.max(...rects.map((r) => r.right));
          words.push({ word: m[0], lines: tops.size, inside: left >= choice.left - 0.5 && right <= choice.right + 0.5 });
        }
      }
      return { text: (label.textContent ?? '').trim(), fontSize: parseFloat(getComputedStyle(label).fontSize), lines: lineTops.size, words };
    }),
  );
}

describe.each(DIALECTS)('on %s', (dialect) => {
  let t: TestApp;
  let server: { url: string; close(): Promise<void> };
  let oneStop: TestDesk;
  let hospital: TestDesk;
  let school: TestDesk;

  beforeAll(async () => {
    t = await startTestApp(dialect);
    oneStop = await buildDesk(t.db, t.ready.secret, { fields: ['dat-dai'] });
    hospital = await buildDesk(t.db, t.ready.secret, { questionnaire: 'health', fields: ['y-te'], unitCode: 'benh-vien-huu-nghi-da-khoa-nghe-an' });
    school = await buildDesk(t.db, t.ready.secret, { questionnaire: 'education', fields: ['giao-duc'], unitCode: 'truong-thpt-chuyen-phan-boi-chau' });
    server = await listen(t.app);
  });
  afterAll(async () => {
    await server?.close();
    await t?.close();
  });

  describe.each(SCREENS)('on a $name ($width x $height), without JavaScript', ({ width, height }) => {
    let browser: Browser;
    beforeAll(async () => {
      browser = await launchBrowser({ javaScriptEnabled: false, width, height });
    });
    afterAll(() => browser?.close());

    it('a missed question: the server’s summary in the page, and its link shows the question’s text', async () => {
      const page = await browser.context.newPage();
      await page.goto(`${server.url}${oneStop.url}`);
      const before = await countRows(t.db, 'responses');
      for (const key of ['a', 'c', 'd', 'e', 'overall']) await page.locator(`label[for="${key}-4"]`).click();
      // With the browser's own validation nothing would be sent: a bubble would show, and soon go.
      const sent = page.waitForResponse((r) => r.request().method() === 'POST', { timeout: 15_000 });
      await page.getByRole('button', { name: 'Gửi đánh giá' }).click();
      // Sent back for a correction as a 303 to a page of its own: Back never asks to resend.
      expect((await sent).status()).toBe(303);
      await page.waitForLoadState();
      const summary = page.locator('.notice--error');
      await expect.poll(() => summary.isVisible()).toBe(true);
      expect(await summary.textContent()).toContain('Phiếu chưa gửi được: vui lòng xem lại 1 câu');
      expect(await page.title()).toMatch(/^Lỗi: /);
      expect(await page.locator('label[for="a-4"] input').isChecked()).toBe(true);
      expect(await overflowsHorizontally(page)).toBe(false);

      await summary.getByRole('link', { name: 'Câu 2 (Thủ tục hành chính): Vui lòng chọn một mức đánh giá.' }).click();
      await expect.poll(() => page.url()).toMatch(/#b-legend$/);
      const legend = await page.locator('#b-legend').evaluate((el) => {
        const r = el.getBoundingClientRect();
        return { top: r.top, bottom: r.bottom, text: el.textContent ?? '', viewport: window.innerHeight };
      });
      expect(legend.text).toContain('Thủ tục hành chính');
      expect(legend.top).toBeGreaterThanOrEqual(-1);
      expect(legend.bottom).toBeLessThanOrEqual(legend.viewport);
      expect(await countRows(t.db, 'responses')).toBe(before);
      await page.close();
    });

    it('error, then success, then Back: no page asks to send the form again, and every page Back lands on says the form was sent', async () => {
      const page = await browser.context.newPage();
      await page.goto(`${server.url}${oneStop.url}`);
      const before = await countRows(t.db, 'responses');
      for (const key of ['a', 'c', 'd', 'e', 'overall']) await page.locator(`label[for="${key}-4"]`).click();
      await page.getByRole('button', { name: 'Gửi đánh giá' }).click();
      await page.waitForURL(/[?&]nhap=/);
      await page.locator('label[for="b-5"]').click();
      await page.getByRole('button', { name: 'Gửi đánh giá' }).click();
      await page.waitForURL(/\/cam-on/);
      expect(await countRows(t.db, 'responses')).toBe(before + 1);
      // A page that was the answer to a POST would come back as Chromium's "Confirm Form Resubmission" (ERR_CACHE_MISS).
      const back = await page.goBack();
      expect(back?.ok()).toBe(true);
      expect(page.url()).toMatch(/[?&]nhap=/);
      expect(await page.locator('h1').textContent()).toContain('Cảm ơn');
      expect(await page.locator('.message__note').textContent()).toMatch(/^Phiếu này đã được gửi lúc \d\d:\d\d và đã được ghi nhận\./);
      // Without JavaScript the form as first opened has no address of its own: Back there is a new form
      // (test/survey-browser.test.ts: with JavaScript it says the form was sent).
      const further = await page.goBack();
      expect(further?.ok()).toBe(true);
      expect(await countRows(t.db, 'responses')).toBe(before + 1);
      await page.close();
    });

    it('switching to English halfway keeps the answers given, without JavaScript', async () => {
      const page = await browser.context.newPage();
      await page.goto(`${server.url}${oneStop.url}`);
      await page.locator('label[for="a-5"]').click();
      await page.locator('label[for="c-2"]').click();
      await page.locator('#comment').fill('Cần thêm ghế chờ.');
      await page.getByRole('button', { name: 'English' }).click();
      await page.waitForURL(/lang=en&nhap=/);
      expect(await page.locator('html').getAttribute('lang')).toBe('en');
      expect(await page.locator('label[for="a-5"] input').isChecked()).toBe(true);
      expect(await page.locator('label[for="c-2"] input').isChecked()).toBe(true);
      expect(await page.locator('#comment').inputValue()).toBe('Cần thêm ghế chờ.');
      // Nothing to correct yet: no error summary.
      expect(await page.locator('.notice--error').count()).toBe(0);
      await page.getByRole('button', { name: 'Tiếng Việt' }).click();
      await page.waitForURL(/\?nhap=/);
      expect(await page.locator('html').getAttribute('lang')).toBe('vi');
      expect(await page.locator('label[for="c-2"] input').isChecked()).toBe(true);
      await page.close();
    });

    it.each([100, 130, 200])('at %i percent text size no rating word is cut inside, every label is at least 16 px, nothing is wider than the screen', async (textSize) => {
      for (const path of [oneStop.url, `${oneStop.url}?lang=en`, hospital.url, `${hospital.url}?lang=en`, school.url]) {
        const page = await browser.context.newPage();
        await page.goto(`${server.url}${path}`);
        await setTextSize(page, textSize);
        const labels = await ratingLabels(page);
        expect(labels.length).toBeGreaterThanOrEqual(30);
        for (const label of labels) {
          expect(label.fontSize, label.text).toBeGreaterThanOrEqual(16);
          expect(label.lines, label.text).toBeLessThanOrEqual(label.words.length);
          for (const word of label.words) expect(word, `${path} "${label.text}"`).toMatchObject({ lines: 1, inside: true });
        }
        expect(await overflowsHorizontally(page)).toBe(false);
        await page.close();
      }
    });

    it('the home page and the thank-you pages fit the screen, at 100 and 200 percent text size', async () => {
      for (const path of ['/', '/?lang=en', `${oneStop.url}/cam-on`, `${school.url}/cam-on?lang=en`]) {
        for (const textSize of [100, 200]) {
          const page = await browser.context.newPage();
          await page.goto(`${server.url}${path}`);
          await setTextSize(page, textSize);
          expect(await overflowsHorizontally(page), `${path} at ${textSize}%`).toBe(false);
          await page.close();
        }
      }
    });

    it.each([100, 130, 200])('at %i percent text size the 1-5 scale fits its words: full-width rows of at least 48 px on a phone', async (textSize) => {
      const page = await browser.context.newPage();
      await page.goto(`${server.url}${hospital.url}`);
      await setTextSize(page, textSize);
      const scales = await page.locator('.choices--scale').evaluateAll((lists) =>
        lists.map((list) => {
          const outer = list.getBoundingClientRect().width;
          return [...list.querySelectorAll('.choice')].map((c) => {
            const r = c.getBoundingClientRect();
            // Where the number and where its words start (the words: the label's text after the number).
            const words = [...(c.querySelector('.choice__label')?.childNodes ?? [])].find((n) => n.nodeType === Node.TEXT_NODE && (n.textContent ?? '').trim() !== '');
            const range = document.createRange();
            if (words) range.selectNodeContents(words);
            const score = c.querySelector('.choice__score')?.getBoundingClientRect().left ?? 0;
            return { top: Math.round(r.top), height: r.height, share: r.width / outer, score: Math.round(score), words: Math.round(range.getClientRects()[0]?.left ?? 0) };
          });
        }),
      );
      for (const choices of scales) {
        expect(choices).toHaveLength(5);
        for (const c of choices) expect(c.height).toBeGreaterThanOrEqual(48);
        if (width < 400 || textSize === 200) {
          // Five rows, each as wide as the question.
          expect(new Set(choices.map((c) => c.top)).size).toBe(5);
          for (const c of choices) expect(c.share).toBeGreaterThan(0.95);
          // Even rows (issue 21): one height, numbers in one column and words in another, whichever words wrap.
          expect(new Set(choices.map((c) => Math.round(c.height))).size, `heights at ${textSize}%`).toBe(1);
          expect(new Set(choices.map((c) => c.score)).size, `numbers at ${textSize}%`).toBe(1);
          expect(new Set(choices.map((c) => c.words)).size, `words at ${textSize}%`).toBe(1);
        }
      }
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
      ['the school’s survey', () => school.url],
      ['the school’s thank-you page', () => `${school.url}/cam-on`],
      ['the hospital’s thank-you page in English', () => `${hospital.url}/cam-on?lang=en`],
    ])('%s', async (_name, path) => {
      const page = await browser.context.newPage();
      await page.goto(`${server.url}${path()}`);
      expect(await seriousViolations(page)).toEqual([]);
      await page.close();
    });

    it('the form with errors at 200% text size', async () => {
      const page = await browser.context.newPage();
      await page.goto(`${server.url}${hospital.url}`);
      await page.getByRole('button', { name: 'Gửi đánh giá' }).click();
      await page.waitForLoadState();
      await setTextSize(page, 200);
      expect(await page.locator('.notice--error').textContent()).toContain('vui lòng xem lại');
      expect(await seriousViolations(page)).toEqual([]);
      expect(await overflowsHorizontally(page)).toBe(false);
      await page.close();
    });
  });
});
