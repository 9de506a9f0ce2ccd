/**
 * Issue 21, items 1 and 2, in a browser at 360 and 1366 px: a manager's dashboard names the unit and
 * shows its first figure within the first phone screen, with only the cards of the services the unit
 * gives; a ranking of many communes ranks only those with enough responses, names the others apart,
 * folds its full table behind the top and the bottom, and finds a unit by a name typed without
 * accents. The view does not depend on the database: SQLite only (the figures are tested on both).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './support/app.ts';
import { launchBrowser, listen, overflowsHorizontally, seriousViolations } from './support/browser.ts';
import { buildDesk, storeResponses } from './support/builders.ts';
import { buildUser, signInBrowser } from './support/staff.ts';

const COMMUNES = 18;

describe('the dashboard in a browser', () => {
  let t: TestApp;
  let server: { url: string; close(): Promise<void> };
  const names: string[] = [];
  let fewName = '';
  let managerUnit = '';

  beforeAll(async () => {
    t = await startTestApp('sqlite');
    t.clock.now = new Date('2026-12-04T03:00:00Z');
    const communes = await t.db.selectFrom('units').select(['code', 'name']).where('kind', 'in', ['commune', 'ward']).where('active', '=', 1).orderBy('code').limit(COMMUNES + 1).execute();
    // Commune i: 40 responses, 40 - i satisfied, so the ranking's order is known; the last commune has 5.
    for (const [i, unit] of communes.entries()) {
      const desk = await buildDesk(t.db, t.ready.secret, { unitCode: unit.code, fields: ['dat-dai'], code: `mc-${i}` });
      const total = i < COMMUNES ? 40 : 5;
      const satisfied = i < COMMUNES ? 40 - i : 5;
      await storeResponses(t.db, desk.id, 'dat-dai', '2026-11-10', [
        { copies: satisfied, ratings: { a: 5, b: 5, c: 5, d: 5, e: 5, overall: 5 } },
        { copies: total - satisfied, ratings: { a: 5, b: 5, c: 5, d: 5, e: 5, overall: 2 } },
      ]);
      if (i < COMMUNES) names.push(unit.name);
      else fewName = unit.name;
    }
    managerUnit = communes[0]?.name ?? '';
    await buildUser(t.db, 'admin', 'admin', null);
    await buildUser(t.db, 'quanly', 'manager', communes[0]?.code ?? null);
    server = await listen(t.app);
  }, 120_000);
  afterAll(async () => {
    await server?.close();
    await t?.close();
  });

  it("a manager's phone: the unit named, its first figure within the first screen, no health or education card, the menu folded", async () => {
    for (const width of [360, 1366]) {
      const browser = await launchBrowser({ bypassCSP: true, width, height: width === 360 ? 740 : 768 });
      try {
        const page = await browser.context.newPage();
        await signInBrowser(page, server.url, 'quanly');
        await page.goto(`${server.url}/dashboard?period=quarter`);
        expect(await page.locator('h1').innerText()).toBe(`Chỉ số hài lòng\n${managerUnit}`);
        // The commune gives administrative procedures only: three cards, none for health and education.
        expect(await page.locator('.card[data-indicator]').evaluateAll((cards) => cards.map((c) => c.getAttribute('data-indicator')))).not.toContain('health_education');
        const valueBottom = await page.locator('.card .card__value').first().evaluate((e) => e.getBoundingClientRect().bottom);
        expect(valueBottom).toBeLessThan(width === 360 ? 740 : 768);
        if (width === 360) {
          // Folded: one line names the page; the sections open with a tap.
          expect(await page.locator('.staff-nav__wide').isVisible()).toBe(false);
          expect(await page.locator('.staff-nav__toggle').innerText()).toBe('Trình đơn: Bảng điều khiển');
          await page.locator('.staff-nav__toggle').click();
          expect(await page.locator('.staff-nav__fold a[href="/dashboard"]').getAttribute('aria-current')).toBe('page');
        } else {
          expect(await page.locator('.staff-nav__toggle').isVisible()).toBe(false);
          expect(await page.locator('.staff-nav__wide a[aria-current="page"]').innerText()).toBe('Bảng điều khiển');
        }
        expect(await overflowsHorizontally(page)).toBe(false);
        expect(await seriousViolations(page)).toEqual([]);
      } finally {
        await browser.close();
      }
    }
  });

  it('a long ranking: only units with enough responses ranked, the rest named apart, the table folded behind its ends, a search without accents', async () => {
    for (const width of [360, 1366]) {
      const browser = await launchBrowser({ bypassCSP: true, width, height: 800 });
      try {
        const page = await browser.context.newPage();
        await signInBrowser(page, server.url, 'admin');
        await page.goto(`${server.url}/dashboard?period=quarter`);
        const section = page.locator('#ranking .ranking-section', { has: page.locator('#ranking-commune') });
        // 18 communes ranked; the one with 5 responses is not among them but listed with its count.
        expect(await section.locator('#ranking-commune tbody tr').count()).toBe(COMMUNES);
        expect(await section.locator('#ranking-commune tbody').innerText()).not.toContain(fewName);
        expect(await section.locator('.ranking-section__silent').first().innerText()).toContain(`${fewName}: 5 phiếu`);
        // The full table is folded; the phone shows the top and the bottom five, a wider screen the chart.
        const full = section.locator('details.ranking-full');
        expect(await full.getAttribute('open')).toBeNull();
        expect(await full.locator('summary').innerText()).toBe(`Bảng đầy đủ: ${COMMUNES} đơn vị đủ phiếu, xếp từ cao xuống thấp`);
        if (width === 360) {
          const ends = section.locator('.ranking-highlights .ranking-list');
          expect(await ends.nth(0).locator('li').count()).toBe(5);
          expect(await ends.nth(0).locator('.ranking-list__name').first().innerText()).toBe(names[0]);
          expect(await ends.nth(1).locator('.ranking-list__name').last().innerText()).toBe(names[COMMUNES - 1]);
          expect(await section.locator('figure.chart').isVisible()).toBe(false);
        } else {
          expect(await section.locator('figure.chart').isVisible()).toBe(true);
          expect(await section.locator('.ranking-highlights').isVisible()).toBe(false);
        }
        // Opened, the search keeps the rows whose name holds what is typed, accents and case aside.
        await full.locator('summary').click();
        const wanted = names[7] ?? '';
        const plain = wanted.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/đ/g, 'd').replace(/Đ/g, 'D').toLowerCase();
        await full.locator('input[type=search]').fill(plain.split(' ').slice(1).join(' '));
        const shown = width === 360 ? full.locator('.ranking-list li:visible .ranking-list__name') : full.locator('tbody tr:visible th');
        expect(await shown.allInnerTexts()).toContain(wanted);
        expect(await shown.count()).toBeLessThan(COMMUNES);
        expect(await overflowsHorizontally(page)).toBe(false);
        expect(await seriousViolations(page)).toEqual([]);
      } finally {
        await browser.close();
      }
    }
  });
});
