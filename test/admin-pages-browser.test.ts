/**
 * Issue 21, "axe clean on every page at both widths": every staff and administration page that no
 * other browser test walks (and the home, sign-in and 404 pages), at 360 and 1366 px, over demo-like
 * data: axe-core finds no violation of any impact, and a phone never scrolls sideways. One browser
 * per width and one tab for every page, to keep the file fast. The pages' words are tested elsewhere;
 * the view does not depend on the database: SQLite only.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { audit } from '../db/queries/audit.ts';
import { runDemoSeed } from '../server/cli/demo-seed.ts';
import { startTestApp, type TestApp } from './support/app.ts';
import { allViolations, launchBrowser, listen, overflowsHorizontally } from './support/browser.ts';
import { buildDesk, storeResponses } from './support/builders.ts';
import { buildUser, signInBrowser } from './support/staff.ts';

const NOW = new Date('2026-12-04T03:00:00Z');
const RATINGS = { a: 4, b: 4, c: 5, d: 4, e: 4, overall: 4 };

describe('the staff and administration pages in a browser', () => {
  let t: TestApp;
  let server: { url: string; close(): Promise<void> };
  let signedOut: string[] = [];
  let signedIn: string[] = [];

  beforeAll(async () => {
    t = await startTestApp('sqlite');
    t.clock.now = NOW;
    // Demo desks at real units, responses with comments and dossier counts, as `npm run demo` has them.
    await runDemoSeed(t.ready, 300, { now: NOW, bar: { tick: () => undefined, finish: () => undefined } });
    const adminId = await buildUser(t.db, 'quantri', 'admin', null);
    const desk = await t.db.selectFrom('desks').select(['id', 'unit_id']).orderBy('id').executeTakeFirstOrThrow();
    const managerId = await buildUser(t.db, 'quanly', 'manager', (await t.db.selectFrom('units').select('code').where('id', '=', desk.unit_id).executeTakeFirstOrThrow()).code);
    const questionnaire = await t.db.selectFrom('questionnaires').select('id').orderBy('id').executeTakeFirstOrThrow();
    // A unit with no desk yet: its posters page has no poster, and still a heading.
    const bare = await t.db.selectFrom('units').select('id').where('id', 'not in', t.db.selectFrom('desks').select('unit_id')).orderBy('id').executeTakeFirstOrThrow();

    // The review queue: two groups of one desk (same unit and desk, different signals), as a crowded day leaves them.
    const flagged = await buildDesk(t.db, t.ready.secret, { code: 'SOAT-XET' });
    await storeResponses(t.db, flagged.id, 'dat-dai', '2026-12-02', [{ copies: 5, ratings: RATINGS, status: 'suspect' }]);
    const ids = (await t.db.selectFrom('responses').select('id').where('desk_id', '=', flagged.id).orderBy('id').execute()).map((r) => r.id);
    await t.db.updateTable('responses').set({ flags: 'repeat' }).where('id', 'in', ids.slice(0, 3)).execute();
    await t.db.updateTable('responses').set({ flags: 'too-fast' }).where('id', 'in', ids.slice(3)).execute();

    // The audit log: a change with long names and a state before and after, as an edited unit leaves it.
    await audit(t.db, {
      at: NOW.toISOString(),
      userId: adminId,
      action: 'unit.update',
      subject: 'trung-tam-phuc-vu-hanh-chinh-cong-tinh-nghe-an',
      before: { name: 'Trung tâm Phục vụ hành chính công tỉnh Nghệ An', kind: 'one_stop', parent: null, active: true },
      after: { name: 'Trung tâm Phục vụ hành chính công tỉnh Nghệ An (cơ sở 2)', kind: 'one_stop', parent: null, active: true },
    });

    // Alert settings (/canh-bao/cai-dat): a webhook with a long address and a delivery tried twice, as a flaky receiver leaves them.
    const hook = await t.db.insertInto('webhooks').values({ unit_id: desk.unit_id, url: `https://he-thong-tiep-nhan.ubnd-phuong.nghean.gov.vn/api/v2/sipas/canh-bao?khoa=${'x'.repeat(60)}`, secret: 'a'.repeat(64), created_by: adminId, created_at: NOW.toISOString() }).returning('id').executeTakeFirstOrThrow();
    const delivery = await t.db.insertInto('webhook_deliveries').values({ webhook_id: hook.id, event: 'ping', alert_id: null, payload: '{}', status: 'pending', attempts: 2, next_attempt_at: NOW.toISOString(), created_at: NOW.toISOString(), delivered_at: null }).returning('id').executeTakeFirstOrThrow();
    await t.db.insertInto('webhook_attempts').values([
      { delivery_id: delivery.id, tried_at: NOW.toISOString(), status_code: 500, error: null, duration_ms: 41 },
      { delivery_id: delivery.id, tried_at: NOW.toISOString(), status_code: null, error: 'ECONNREFUSED: fetch failed', duration_ms: 3 },
    ]).execute();

    signedOut = ['/', '/login', '/khong-co-trang-nay'];
    signedIn = [
      '/admin',
      '/admin/units',
      `/admin/units/${desk.unit_id}`,
      '/admin/units/new',
      `/admin/desks/${desk.id}`,
      `/admin/units/${desk.unit_id}/posters`,
      `/admin/units/${bare.id}/posters`,
      '/admin/questionnaires',
      `/admin/questionnaires/${questionnaire.id}`,
      '/admin/targets',
      '/admin/users',
      `/admin/users/${managerId}`,
      '/admin/users/new',
      '/admin/audit',
      '/admin/review',
      '/admin/dossiers',
      '/paper',
      '/dashboard/comments',
      '/canh-bao/cai-dat',
    ];
    server = await listen(t.app);
  }, 60_000);
  afterAll(async () => {
    await server?.close();
    await t?.close();
  });

  it('at 360 and 1366 px: no axe violation of any impact on any page, and no sideways scroll on a phone', async () => {
    const found: string[] = [];
    for (const width of [360, 1366]) {
      const browser = await launchBrowser({ bypassCSP: true, width, height: 800 });
      try {
        const page = await browser.context.newPage();
        const check = async (path: string) => {
          await page.goto(`${server.url}${path}`);
          // The review queue's responses are folded: open them, so their table is checked too.
          await page.evaluate(() => document.querySelectorAll('details.review-group__responses').forEach((d) => d.setAttribute('open', '')));
          for (const v of await allViolations(page)) found.push(`${width} ${path}: ${v.id} (${v.impact}) ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
          if (width === 360 && (await overflowsHorizontally(page))) found.push(`${width} ${path}: scrolls sideways`);
        };
        for (const path of signedOut) await check(path);
        await signInBrowser(page, server.url, 'quantri');
        for (const path of signedIn) await check(path);
      } finally {
        await browser.close();
      }
    }
    expect(found).toEqual([]);
  }, 90_000);
});
