/**
 * The dashboard's lists (issue 12, items 10 and 12): the comments page (newest first, twenty a page,
 * filters by unit, field and overall rating, hide and undo back to the same comment, scope), the
 * unit picker (groups by kind in Vietnamese order, a search that works without JavaScript) and the
 * ranking (a section per kind of unit against its own target, units without responses named).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './support/app.ts';
import { launchBrowser, listen, overflowsHorizontally, seriousViolations } from './support/browser.ts';
import { buildDesk, storeResponses } from './support/builders.ts';
import { DIALECTS } from './support/dialects.ts';
import { readable } from './support/html.ts';
import { buildUser, signInBrowser } from './support/staff.ts';

const WARD = '16681'; // Phường Thành Vinh
const COMMUNE = '17329'; // Xã Anh Sơn
const COMMENTS = 45;
/** Comment i (1..45): at the ward's land desk for i <= 30, else at the commune's civil-status desk; overall rating (i % 5) + 1. */
const overallOf = (i: number) => (i % 5) + 1;

/** Comment texts in the order the page lists them. */
function listed(html: string): string[] {
  return [...html.matchAll(/<blockquote class="comment__text">([^<]*)<\/blockquote>/g)].map((m) => m[1] ?? '');
}

function totalOf(html: string): number {
  const match = /trong tổng số (\d+)/.exec(readable(html));
  return match ? Number(match[1]) : 0;
}

describe.each(DIALECTS)('on %s', (dialect) => {
  let t: TestApp;
  const commentId = new Map<number, number>();
  beforeAll(async () => {
    t = await startTestApp(dialect);
    const ward = await buildDesk(t.db, t.ready.secret, { unitCode: WARD, fields: ['dat-dai'] });
    const commune = await buildDesk(t.db, t.ready.secret, { unitCode: COMMUNE, fields: ['tu-phap-ho-tich'] });
    // Stored newest first, so the database's ids run against submission time: the page must sort by time.
    for (let i = COMMENTS; i >= 1; i--) {
      const ratings = { a: 4, b: 4, c: 4, d: 4, e: 4, overall: overallOf(i) };
      const time = `03:${String(i).padStart(2, '0')}`;
      if (i <= 30) await storeResponses(t.db, ward.id, 'dat-dai', '2025-06-10', [{ copies: 1, ratings, comment: `Góp ý số ${i}`, time }]);
      else await storeResponses(t.db, commune.id, 'tu-phap-ho-tich', '2025-06-10', [{ copies: 1, ratings, comment: `Góp ý số ${i}`, time }]);
    }
    for (const row of await t.db.selectFrom('comments').select(['id', 'text']).execute()) commentId.set(Number(row.text.replace('Góp ý số ', '')), row.id);
    // A hospital with responses, so its section has a row as well as the silent hospitals.
    const hospital = await t.db.selectFrom('units').select('code').where('name', '=', 'Bệnh viện Sản Nhi Nghệ An').executeTakeFirstOrThrow();
    const wardDesk = await buildDesk(t.db, t.ready.secret, { unitCode: hospital.code, fields: ['y-te'], questionnaire: 'health' });
    const health = { a1: 5, a2: 5, b1: 5, b2: 5, c1: 5, c2: 5, d1: 5, d2: 5, e1: 5, e3: 5, overall: 5 };
    await storeResponses(t.db, wardDesk.id, 'y-te', '2025-06-11', [{ copies: 3, ratings: health }]);
    await buildUser(t.db, 'admin', 'admin', null);
    await buildUser(t.db, 'ward-manager', 'manager', WARD);
    await buildUser(t.db, 'ward-viewer', 'viewer', WARD);
    await buildUser(t.db, 'commune-manager', 'manager', COMMUNE);
    await buildUser(t.db, 'commune-viewer', 'viewer', COMMUNE);
  }, 120_000);
  afterAll(() => t?.close());

  describe('the comments page', () => {
    it('lists comments newest first by submission time, twenty a page, with overall rating and dd/mm/yyyy date', async () => {
      const admin = await t.staff('admin');
      const one = await admin.get('/dashboard/comments?period=month').expect(200);
      expect(listed(one.text)).toEqual(Array.from({ length: 20 }, (_, k) => `Góp ý số ${45 - k}`));
      expect(readable(one.text)).toContain('Góp ý 1–20 trong tổng số 45, mới nhất trước.');
      expect(readable(one.text)).toContain('Trang 1/3');
      // Comment 45 gave overall rating (45 % 5) + 1 = 1, on 10/06/2025.
      const first = new RegExp(`id="comment-${commentId.get(45)}"[\\s\\S]*?</li>`).exec(one.text)?.[0] ?? '';
      expect(readable(first)).toContain('Hài lòng chung: 1 · Rất không hài lòng');
      expect(readable(first)).toContain('10/06/2025 · Xã Anh Sơn');
      const two = await admin.get('/dashboard/comments?period=month&page=2').expect(200);
      expect(listed(two.text)).toEqual(Array.from({ length: 20 }, (_, k) => `Góp ý số ${25 - k}`));
      const three = await admin.get('/dashboard/comments?period=month&page=3').expect(200);
      expect(listed(three.text)).toEqual(['Góp ý số 5', 'Góp ý số 4', 'Góp ý số 3', 'Góp ý số 2', 'Góp ý số 1']);
      expect(three.text).toContain('href="/dashboard/comments?period=month&amp;page=2" rel="prev"');
      expect(three.text).not.toContain('rel="next"');
    });

    it('filters by unit, field and overall rating with hand-counted totals', async () => {
      const admin = await t.staff('admin');
      const count = async (q: string) => totalOf((await admin.get(`/dashboard/comments?period=month${q}`).expect(200)).text);
      expect(await count(`&unit=${WARD}`)).toBe(30); // i = 1..30
      expect(await count('&field=tu-phap-ho-tich')).toBe(15); // i = 31..45
      expect(await count('&rating=5')).toBe(9); // i % 5 = 4: 4, 9, ..., 44
      expect(await count(`&unit=${WARD}&rating=5`)).toBe(6); // 4, 9, 14, 19, 24, 29
      expect(await count('&field=tu-phap-ho-tich&rating=1')).toBe(3); // 35, 40, 45
      const rated = await admin.get(`/dashboard/comments?period=month&unit=${WARD}&rating=5`).expect(200);
      expect(listed(rated.text)).toEqual(['Góp ý số 29', 'Góp ý số 24', 'Góp ý số 19', 'Góp ý số 14', 'Góp ý số 9', 'Góp ý số 4']);
      // A rating outside 1..5 is a clear message, in English too.
      expect((await admin.get('/dashboard/comments?rating=6').expect(400)).text).toContain('Mức hài lòng chung phải là một số từ 1 đến 5.');
      expect((await admin.get('/dashboard/comments?rating=x&lang=en').expect(400)).text).toContain('The overall rating must be a number from 1 to 5.');
    });

    it('hiding returns to the same comment on the same page with the filters, a confirmation and an undo that works', async () => {
      const manager = await t.staff('ward-manager');
      // The ward's 30 comments: page 2 holds 10..1.
      const pageUrl = `/dashboard/comments?period=month&unit=${WARD}&page=2`;
      const page = await manager.page(pageUrl);
      const id = commentId.get(7) as number;
      const hidden = await page.post(`/dashboard/comments/${id}/hide`, { return_to: pageUrl }).expect(303);
      expect(hidden.headers.location).toBe(`${pageUrl}#comment-${id}`);
      const after = await manager.page(pageUrl);
      const item = new RegExp(`id="comment-${id}"[\\s\\S]*?</li>`).exec(after.text)?.[0] ?? '';
      expect(readable(item)).toContain('Đã ẩn góp ý. Hoàn tác');
      expect(after.text).toContain(`<li class="comment comment--hidden" id="comment-${id}">`);
      expect(item).toContain(`action="/dashboard/comments/${id}/unhide"`);
      expect((await t.db.selectFrom('comments').select('hidden').where('id', '=', id).executeTakeFirstOrThrow()).hidden).toBe(1);
      // A viewer of the ward no longer sees it; the confirmation is shown once.
      const viewer = await t.staff('ward-viewer');
      const seen = await viewer.get(`/dashboard/comments?period=month&unit=${WARD}&page=2`).expect(200);
      expect(listed(seen.text)).not.toContain('Góp ý số 7');
      expect(totalOf(seen.text)).toBe(29);
      expect(readable((await manager.get(pageUrl).expect(200)).text)).not.toContain('Đã ẩn góp ý.');
      // Undo (the form in the confirmation) puts it back and says so, at the same place.
      const undone = await after.post(`/dashboard/comments/${id}/unhide`, { return_to: pageUrl }).expect(303);
      expect(undone.headers.location).toBe(`${pageUrl}#comment-${id}`);
      const back = await manager.page(pageUrl);
      expect(readable(new RegExp(`id="comment-${id}"[\\s\\S]*?</li>`).exec(back.text)?.[0] ?? '')).toContain('Đã hiện lại góp ý. Hoàn tác');
      expect((await t.db.selectFrom('comments').select('hidden').where('id', '=', id).executeTakeFirstOrThrow()).hidden).toBe(0);
      // A return address elsewhere is not followed.
      const away = await back.post(`/dashboard/comments/${id}/unhide`, { return_to: 'https://example.com/' }).expect(303);
      expect(away.headers.location).toBe(`/dashboard/comments#comment-${id}`);
    });

    it('staff of another unit cannot hide a comment (403), and the comment stays shown', async () => {
      const id = commentId.get(12) as number; // the ward's
      for (const who of ['commune-viewer', 'commune-manager', 'ward-viewer']) {
        const agent = await t.staff(who);
        const page = await agent.page('/dashboard/comments');
        await page.post(`/dashboard/comments/${id}/hide`, { return_to: '/dashboard/comments' }).expect(403);
      }
      expect((await t.db.selectFrom('comments').select('hidden').where('id', '=', id).executeTakeFirstOrThrow()).hidden).toBe(0);
      // Nor are the ward's comments listed for the commune.
      const commune = await t.staff('commune-viewer');
      expect(totalOf((await commune.get('/dashboard/comments?period=month').expect(200)).text)).toBe(15);
    });

    it('the dashboard keeps a short section: the count, the three newest and a link with the filters', async () => {
      const admin = await t.staff('admin');
      const page = await admin.get(`/dashboard?period=month&unit=${WARD}`).expect(200);
      const section = /id="comments-title"[\s\S]*?<\/section>/.exec(page.text)?.[0] ?? '';
      expect(readable(section)).toContain('Có 30 góp ý trong kỳ. Dưới đây là 3 góp ý mới nhất.');
      expect(listed(section)).toEqual(['Góp ý số 30', 'Góp ý số 29', 'Góp ý số 28']);
      expect(section).toContain(`href="/dashboard/comments?period=month&amp;unit=${WARD}"`);
      expect(readable(section)).toContain('Xem tất cả góp ý (30)');
    });
  });

  describe('the unit picker', () => {
    it('groups units by kind in Vietnamese alphabetical order', async () => {
      const admin = await t.staff('admin');
      const page = await admin.get('/dashboard').expect(200);
      const select = /<select name="unit">([\s\S]*?)<\/select>/.exec(page.text)?.[1] ?? '';
      expect([...select.matchAll(/<optgroup label="([^"]+)">/g)].map((m) => m[1])).toEqual(['Sở, ban, ngành', 'Xã, phường', 'Bệnh viện', 'Trường học']);
      const communes = /<optgroup label="Xã, phường">([\s\S]*?)<\/optgroup>/.exec(select)?.[1] ?? '';
      const names = [...communes.matchAll(/>([^<]+)<\/option>/g)].map((m) => m[1] ?? '');
      expect(names).toHaveLength(130);
      // Đ after D and before E, as a Vietnamese dictionary has it (code points would put Đ after Y).
      const at = (name: string) => names.indexOf(name);
      expect(at('Phường Thành Vinh')).toBeLessThan(at('Xã Anh Sơn'));
      expect(at('Xã Anh Sơn')).toBeLessThan(at('Xã Anh Sơn Đông'));
      expect(at('Xã Diễn Châu')).toBeLessThan(at('Xã Đô Lương'));
      expect(at('Xã Đô Lương')).toBeLessThan(at('Xã Đông Hiếu'));
      expect(at('Xã Đông Thành')).toBeLessThan(names.findIndex((n) => n.startsWith('Xã G')));
    });

    it('the search box narrows the options on the page that comes back, without JavaScript', async () => {
      const admin = await t.staff('admin');
      const page = await admin.get('/dashboard?unit_search=do+luong').expect(200);
      const select = /<select name="unit">([\s\S]*?)<\/select>/.exec(page.text)?.[1] ?? '';
      expect([...select.matchAll(/>([^<]+)<\/option>/g)].map((m) => m[1])).toEqual([
        'Tất cả đơn vị được xem',
        'Xã Đô Lương',
        'Trường THPT Đô Lương 1',
        'Trường THPT Đô Lương 3',
      ]);
      expect(readable(page.text)).toContain('Có 3 đơn vị khớp với “do luong”.');
      // The unit already chosen stays, whatever the search.
      const chosen = await admin.get(`/dashboard?unit=${WARD}&unit_search=do+luong`).expect(200);
      expect(chosen.text).toMatch(new RegExp(`<option value="${WARD}" selected>Phường Thành Vinh</option>`));
      // A manager's picker holds only what they may see.
      const manager = await t.staff('ward-manager');
      const own = /<select name="unit">([\s\S]*?)<\/select>/.exec((await manager.get('/dashboard').expect(200)).text)?.[1] ?? '';
      expect([...own.matchAll(/>([^<]+)<\/option>/g)].map((m) => m[1])).toEqual(['Tất cả đơn vị được xem', 'Phường Thành Vinh']);
    });
  });

  describe('the ranking', () => {
    it('has a section per kind of unit, each against its own target, naming the units with no responses', async () => {
      const admin = await t.staff('admin');
      const page = await admin.get('/dashboard?period=month').expect(200);
      const section = (key: string) => readable(new RegExp(`aria-labelledby="ranking-${key}-title">([\\s\\S]*?)</section>`).exec(page.text)?.[1] ?? '');
      const communes = section('commune');
      expect(communes).toContain('So với chỉ tiêu “Mức độ hài lòng về giải quyết thủ tục hành chính”: trên 87%.');
      expect(communes).toContain('2/130 đơn vị có phiếu trong kỳ.');
      expect(communes).toContain('Chưa có phiếu trong kỳ: 128 đơn vị');
      // Ranked only with enough responses for a verdict (30); a unit with 15 is listed apart, without a rank.
      expect(communes).toMatch(/1 Phường Thành Vinh 30 /);
      expect(communes).toContain('Chưa đủ phiếu để xếp hạng (dưới 30 phiếu): 1 đơn vị Xã Anh Sơn: 15 phiếu');
      expect(communes).not.toMatch(/2 Xã Anh Sơn/);
      const hospitals = section('hospital');
      expect(hospitals).toContain('So với chỉ tiêu “Mức độ hài lòng về cung cấp dịch vụ y tế, giáo dục công lập”: trên 85%.');
      expect(hospitals).toContain('1/7 đơn vị có phiếu trong kỳ.');
      expect(hospitals).toContain('Chưa đủ phiếu để xếp hạng (dưới 30 phiếu): 1 đơn vị Bệnh viện Sản Nhi Nghệ An: 3 phiếu');
      expect(hospitals).not.toMatch(/1 Bệnh viện Sản Nhi/);
      expect(hospitals).toContain('Chưa có phiếu trong kỳ: 6 đơn vị Bệnh viện Chấn thương Chỉnh hình Nghệ An');
      expect(section('school')).toContain('0/10 đơn vị có phiếu trong kỳ.');
      expect(section('school')).toContain('trên 85%');
      // Provincial bodies: 14 departments, the office of the People's Committee and the service center; the province itself is no desk.
      expect(section('department')).toContain('0/16 đơn vị có phiếu trong kỳ.');
      expect(section('department')).not.toContain('Tỉnh Nghệ An');
    });

    it('stays within the scope of the user', async () => {
      const manager = await t.staff('commune-manager');
      const page = await manager.get('/dashboard?period=month').expect(200);
      const ranking = readable(/id="ranking">([\s\S]*?)id="questions-title"/.exec(page.text)?.[1] ?? '');
      expect(ranking).toContain('Xã Anh Sơn');
      expect(ranking).toContain('1/1 đơn vị có phiếu trong kỳ.');
      expect(ranking).not.toContain('Phường Thành Vinh');
      expect(ranking).not.toContain('Bệnh viện');
    });
  });

  it('in a browser at 360 and 1366 px: the comments page fits, the hide button lands on the comment, axe-core finds nothing serious', async () => {
    const server = await listen(t.app);
    try {
      for (const width of [360, 1366]) {
        // Without JavaScript: plain forms and links do everything.
        const browser = await launchBrowser({ width, javaScriptEnabled: false });
        try {
          const page = await browser.context.newPage();
          await signInBrowser(page, server.url, 'ward-manager');
          await page.goto(`${server.url}/dashboard/comments?period=month&page=2`);
          expect(await overflowsHorizontally(page)).toBe(false);
          const id = commentId.get(3) as number;
          await page.click(`#comment-${id} button[type=submit]`);
          await page.waitForURL(new RegExp(`page=2#comment-${id}$`));
          expect(await page.locator(`#comment-${id} .comment__notice`).innerText()).toContain('Đã ẩn góp ý.');
          await page.click(`#comment-${id} .comment__notice button`);
          await page.waitForURL(new RegExp(`page=2#comment-${id}$`));
          expect(await page.locator(`#comment-${id} .comment__notice`).innerText()).toContain('Đã hiện lại góp ý.');
          expect(await overflowsHorizontally(page)).toBe(false);
        } finally {
          await browser.close();
        }
        const checker = await launchBrowser({ bypassCSP: true, width });
        try {
          const page = await checker.context.newPage();
          await signInBrowser(page, server.url, 'ward-manager');
          await page.goto(`${server.url}/dashboard/comments?period=month&page=2`);
          expect(await seriousViolations(page)).toEqual([]);
          await page.goto(`${server.url}/dashboard?period=month&unit_search=vinh`);
          expect(await overflowsHorizontally(page)).toBe(false);
          expect(await seriousViolations(page)).toEqual([]);
        } finally {
          await checker.close();
        }
      }
    } finally {
      await server.close();
    }
  }, 120_000);
});
