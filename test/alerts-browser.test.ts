/**
 * Issue 22, /canh-bao in a browser at 360 and 1366 px: a manager opens the follow-up form of an open
 * alert, sends it with a due day in the past (the summary of what to fix takes the focus), then
 * corrects it; the alert moves to "Đã tiếp nhận" with its follow-up and the figure after an earlier
 * one. Every state is axe clean (no violation of any impact) and a phone never scrolls sideways.
 * The saved follow-up is then seen on the desk's page, and the other open alert on the dashboard's card.
 * Screenshots: /tmp/alerts-360.png and /tmp/alerts-1366.png (and -error for the refused form).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { Alert } from '../db/schema.ts';
import { insertAlert } from './support/alerts.ts';
import { startTestApp, type TestApp } from './support/app.ts';
import { allViolations, launchBrowser, listen, overflowsHorizontally } from './support/browser.ts';
import { buildDesk, storeResponses } from './support/builders.ts';
import { DIALECTS } from './support/dialects.ts';
import { buildUser, signInBrowser } from './support/staff.ts';

describe.each(DIALECTS)('on %s', (dialect) => {
  let t: TestApp;
  let server: { url: string; close(): Promise<void> };
  /** One open alert per width (each is acknowledged by its follow-up), and one already followed up. */
  const forWidth = new Map<number, Alert>();

  beforeAll(async () => {
    t = await startTestApp(dialect);
    t.clock.now = new Date('2025-06-10T03:00:00Z');
    const unit = await t.db.selectFrom('units').select('id').where('code', '=', '16681').executeTakeFirstOrThrow();
    const desks = [];
    for (const code of ['MC-1', 'MC-2', 'MC-3']) desks.push(await buildDesk(t.db, t.ready.secret, { unitCode: '16681', code }));
    const [d1, d2, d3] = desks as [(typeof desks)[number], (typeof desks)[number], (typeof desks)[number]];
    forWidth.set(360, await insertAlert(t.db, { rule: 'below_target', kind: 'desk', subjectId: d1.id, unitId: unit.id, status: 'open', openedAt: '2025-06-08T01:00:00.000Z' }));
    forWidth.set(1366, await insertAlert(t.db, { rule: 'fall', kind: 'desk', subjectId: d2.id, unitId: unit.id, status: 'open', openedAt: '2025-06-09T01:00:00.000Z' }));
    const earlier = await insertAlert(t.db, { rule: 'below_target', kind: 'unit', subjectId: unit.id, unitId: unit.id, status: 'acknowledged', openedAt: '2025-05-20T01:00:00.000Z' });
    await insertAlert(t.db, { rule: 'below_target', kind: 'desk', subjectId: d3.id, unitId: unit.id, status: 'closed', openedAt: '2025-04-20T01:00:00.000Z', closedAt: '2025-05-10T01:00:00.000Z' });
    const managerId = await buildUser(t.db, 'quanly', 'manager', '16681');
    // A follow-up recorded on 01/06/2025, and 40 responses of the unit after it (34 satisfied: 85,0%).
    await t.db
      .insertInto('alert_actions')
      .values({ alert_id: earlier.id, owner: 'Chị Lan, tổ một cửa', action: 'Bố trí thêm một cán bộ vào giờ cao điểm buổi sáng', due_day: '2025-06-15', created_by: managerId, created_at: '2025-06-01T02:00:00.000Z', created_day: '2025-06-01' })
      .execute();
    await storeResponses(t.db, d3.id, 'dat-dai', '2025-06-03', [
      { copies: 34, ratings: { a: 5, b: 5, c: 4, d: 5, e: 4, overall: 5 } },
      { copies: 6, ratings: { a: 2, b: 3, c: 2, d: 2, e: 3, overall: 2 } },
    ]);
    server = await listen(t.app);
  }, 60_000);
  afterAll(async () => {
    await server?.close();
    await t?.close();
  });

  async function problems(page: Page, width: number, label: string): Promise<string[]> {
    const found = (await allViolations(page)).map((v) => `${width} ${label}: ${v.id} (${v.impact}) ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
    if (width === 360 && (await overflowsHorizontally(page))) found.push(`${width} ${label}: scrolls sideways`);
    return found;
  }

  it('at 360 and 1366 px: the list, a refused follow-up and a saved one are axe clean and fit a phone', async () => {
    const found: string[] = [];
    for (const width of [360, 1366]) {
      const alert = forWidth.get(width) as Alert;
      const browser = await launchBrowser({ bypassCSP: true, width, height: 800 });
      try {
        const page = await browser.context.newPage();
        await signInBrowser(page, server.url, 'quanly');
        await page.goto(`${server.url}/canh-bao`);
        found.push(...(await problems(page, width, 'list')));

        const card = page.locator(`#canh-bao-${alert.id}`);
        await card.locator('summary').click();
        await card.locator(`#alert-${alert.id}-owner`).fill('Anh Hùng, phó chủ tịch phường');
        await card.locator(`#alert-${alert.id}-action`).fill('Họp tổ một cửa, rà soát thời gian chờ và bố trí thêm ghế ngồi.');
        await card.locator(`#alert-${alert.id}-due`).fill('01/06/2025');
        await card.getByRole('button', { name: 'Lưu việc khắc phục' }).click();
        await page.waitForSelector('[data-error-summary]');
        // The summary of what to fix has the focus (error-summary.js), and says it.
        await expect.poll(() => page.evaluate(() => document.activeElement?.hasAttribute('data-error-summary') ?? false)).toBe(true);
        expect(await page.locator('[data-error-summary]').innerText()).toContain('Thời hạn không được trước hôm nay (10/06/2025).');
        expect(await page.inputValue(`#alert-${alert.id}-owner`)).toBe('Anh Hùng, phó chủ tịch phường');
        found.push(...(await problems(page, width, 'refused')));
        await page.screenshot({ path: `/tmp/alerts-${width}-error.png`, fullPage: true });

        await page.fill(`#alert-${alert.id}-due`, '30/06/2025');
        await page.locator(`#canh-bao-${alert.id}`).getByRole('button', { name: 'Lưu việc khắc phục' }).click();
        await page.waitForURL(/tab=acknowledged/);
        const saved = page.locator(`#canh-bao-${alert.id}`);
        expect(await saved.innerText()).toContain('Anh Hùng, phó chủ tịch phường');
        expect(await saved.innerText()).toContain('Sau khi khắc phục: chưa có phiếu (tính từ 11/06/2025)');
        expect(await page.locator('main').innerText()).toContain('Sau khi khắc phục: 85,0% (40 người, từ 02/06/2025)');
        found.push(...(await problems(page, width, 'saved')));
        await page.screenshot({ path: `/tmp/alerts-${width}.png`, fullPage: true });

        // The same cards on the desk's page, and the dashboard's card while an alert is open (the other width's).
        await page.goto(`${server.url}/admin/desks/${alert.subject_id}`);
        expect(await page.locator(`#canh-bao-${alert.id}`).innerText()).toContain('Anh Hùng, phó chủ tịch phường');
        found.push(...(await problems(page, width, 'desk')));
        if (width === 360) {
          await page.goto(`${server.url}/dashboard`);
          expect(await page.locator('.alerts-card').innerText()).toContain('1 cảnh báo đang mở trong phạm vi này');
          found.push(...(await problems(page, width, 'dashboard')));
          await page.locator('.alerts-card').screenshot({ path: '/tmp/alerts-dashboard-360.png' });
        }
      } finally {
        await browser.close();
      }
    }
    expect(found).toEqual([]);
  }, 120_000);
});
