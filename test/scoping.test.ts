/**
 * Roles and unit scope on every staff route and API route. Scope comes from the session or the
 * token's user; asking for another unit through the query string gets 403.
 */
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './support/app.ts';
import { buildDesk, shortAnswers, submitSurvey, type TestDesk } from './support/builders.ts';
import { buildToken, buildUser } from './support/staff.ts';
import { DIALECTS } from './support/dialects.ts';

describe.each(DIALECTS)('on %s', (dialect) => {
  let t: TestApp;
  let vinhDesk: TestDesk; // Phường Thành Vinh (16681)
  let anhSonDesk: TestDesk; // Xã Anh Sơn (17329)
  const tokens: Record<string, string> = {};

  async function submit(desk: TestDesk, comment: string): Promise<void> {
    await submitSurvey(t.app, desk.url, shortAnswers({ comment })).then((res) => expect(res.status).toBe(303));
  }

  beforeAll(async () => {
    t = await startTestApp(dialect);
    vinhDesk = await buildDesk(t.db, t.ready.secret, { unitCode: '16681' });
    anhSonDesk = await buildDesk(t.db, t.ready.secret, { unitCode: '17329' });
    for (let i = 0; i < 3; i++) await submit(vinhDesk, `Góp ý Thành Vinh ${i}`);
    for (let i = 0; i < 2; i++) await submit(anhSonDesk, `Góp ý Anh Sơn ${i}`);
    const users: [string, 'admin' | 'manager' | 'viewer', string | null][] = [
      ['admin', 'admin', null],
      ['province', 'manager', '40'],
      ['vinh-manager', 'manager', '16681'],
      ['vinh-viewer', 'viewer', '16681'],
    ];
    for (const [name, role, unit] of users) tokens[name] = await buildToken(t.db, await buildUser(t.db, name, role, unit));
  });
  afterAll(() => t.close());

  const PERIOD = 'from=2025-06-01&to=2025-06-30';

  async function apiN(user: string, query = ''): Promise<{ status: number; n: number | undefined }> {
    const res = await request(t.app).get(`/api/v1/indicators?${PERIOD}${query}`).set('Authorization', `Bearer ${tokens[user]}`);
    return { status: res.status, n: (res.body.indicators as { code: string; n: number }[] | undefined)?.find((i) => i.code === 'tthc')?.n };
  }

  describe('the API is scoped like its user', () => {
    it.each([
      ['admin', '', 200, 5],
      ['province', '', 200, 5], // a manager of the province sees every unit under it
      ['vinh-manager', '', 200, 3],
      ['vinh-viewer', '', 200, 3],
      ['admin', '&unit=17329', 200, 2],
      ['vinh-manager', '&unit=16681', 200, 3],
      ['vinh-manager', '&unit=17329', 403, undefined],
      ['vinh-viewer', '&unit=17329', 403, undefined],
      ['vinh-viewer', '&unit=40', 403, undefined],
    ])('%s asking %s gets %i (n = %s)', async (user, query, status, n) => {
      expect(await apiN(user, query)).toEqual({ status, n });
    });

    it('a desk of another unit is refused, a desk of one’s own is allowed', async () => {
      expect((await apiN('vinh-manager', `&desk=${anhSonDesk.id}`)).status).toBe(403);
      expect(await apiN('vinh-manager', `&desk=${vinhDesk.id}`)).toEqual({ status: 200, n: 3 });
    });

    it('/api/v1/questions follows the same scope', async () => {
      const own = await request(t.app).get(`/api/v1/questions?${PERIOD}`).set('Authorization', `Bearer ${tokens['vinh-viewer']}`).expect(200);
      const overall = (own.body.questions as { key: string; n: number }[]).find((q) => q.key === 'overall');
      expect(overall?.n).toBe(3);
      await request(t.app).get(`/api/v1/questions?${PERIOD}&unit=17329`).set('Authorization', `Bearer ${tokens['vinh-viewer']}`).expect(403);
    });

    it('bad filters get 400 with a message, not a guess', async () => {
      const res = await request(t.app).get('/api/v1/indicators?from=2025-13-01&to=2025-12-31').set('Authorization', `Bearer ${tokens.admin}`).expect(400);
      expect(res.body.error).toContain('Ngày không hợp lệ');
      await request(t.app).get('/api/v1/indicators?unit=khong-co').set('Authorization', `Bearer ${tokens.admin}`).expect(400);
      await request(t.app).get('/api/v1/indicators?from=2025-06-30&to=2025-06-01').set('Authorization', `Bearer ${tokens.admin}`).expect(400);
    });
  });

  describe('the dashboard is scoped like its user', () => {
    it('without a session it sends the visitor to sign in', async () => {
      await request(t.app).get('/dashboard').expect(303).expect('location', '/login?next=%2Fdashboard');
    });

    it('a viewer sees their own unit and only it in the unit filter; another unit is 403', async () => {
      const agent = await t.staff('vinh-viewer');
      const page = await agent.get(`/dashboard?${PERIOD}`).expect(200);
      expect(page.text).toContain('Góp ý Thành Vinh 0');
      expect(page.text).not.toContain('Góp ý Anh Sơn');
      expect(page.text).toContain('<option value="16681"');
      expect(page.text).not.toContain('<option value="17329"');
      await agent.get(`/dashboard?${PERIOD}&unit=17329`).expect(403);
      await agent.get(`/dashboard?${PERIOD}&desk=${anhSonDesk.id}`).expect(403);
    });

    it('an administrator sees everything', async () => {
      const agent = await t.staff('admin');
      // The dashboard shows the three newest comments; the comments page has them all.
      const page = await agent.get(`/dashboard/comments?${PERIOD}`).expect(200);
      expect(page.text).toContain('Góp ý Thành Vinh 0');
      expect(page.text).toContain('Góp ý Anh Sơn 0');
    });
  });

  describe('hiding comments', () => {
    async function commentId(text: string): Promise<number> {
      const row = await t.db.selectFrom('comments').select('id').where('text', '=', text).executeTakeFirstOrThrow();
      return row.id;
    }

    it('a manager hides an abusive comment of their unit: gone from the dashboard, still in the database', async () => {
      const agent = await t.staff('vinh-manager');
      const page = await agent.page(`/dashboard?${PERIOD}`);
      const id = await commentId('Góp ý Thành Vinh 1');
      await page.post(`/dashboard/comments/${id}/hide`, { return_to: `/dashboard?${PERIOD}` }).expect(303);
      const stored = await t.db.selectFrom('comments').select(['hidden', 'text']).where('id', '=', id).executeTakeFirstOrThrow();
      expect(stored).toEqual({ hidden: 1, text: 'Góp ý Thành Vinh 1' });
      const viewer = await t.staff('vinh-viewer');
      expect((await viewer.get(`/dashboard?${PERIOD}`)).text).not.toContain('Góp ý Thành Vinh 1');
      // The manager still sees it, marked hidden, and can show it again.
      const again = await agent.page(`/dashboard?${PERIOD}`);
      expect(again.text).toContain('Đã ẩn (vẫn lưu trong hệ thống)');
      await again.post(`/dashboard/comments/${id}/unhide`).expect(303);
      expect((await t.db.selectFrom('comments').select('hidden').where('id', '=', id).executeTakeFirstOrThrow()).hidden).toBe(0);
      const audit = await t.db.selectFrom('audit_log').select('action').where('subject', '=', String(id)).execute();
      expect(audit.map((a) => a.action)).toEqual(['comment.hide', 'comment.unhide']);
    });

    it('a manager cannot hide a comment of another unit', async () => {
      const agent = await t.staff('vinh-manager');
      const page = await agent.page('/dashboard');
      const id = await commentId('Góp ý Anh Sơn 0');
      await page.post(`/dashboard/comments/${id}/hide`).expect(403);
      expect((await t.db.selectFrom('comments').select('hidden').where('id', '=', id).executeTakeFirstOrThrow()).hidden).toBe(0);
    });

    it('a viewer cannot hide comments and gets no button', async () => {
      const agent = await t.staff('vinh-viewer');
      const page = await agent.page(`/dashboard?${PERIOD}`);
      expect(page.text).not.toContain('Ẩn góp ý');
      const id = await commentId('Góp ý Thành Vinh 2');
      await page.post(`/dashboard/comments/${id}/hide`).expect(403);
    });

    it('hiding without the CSRF token is refused', async () => {
      const agent = await t.staff('admin');
      const id = await commentId('Góp ý Thành Vinh 2');
      await agent.agent.post(`/dashboard/comments/${id}/hide`).type('form').send({}).expect(403);
    });
  });
});
