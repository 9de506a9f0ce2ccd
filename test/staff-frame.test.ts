/**
 * The staff frame (server/middleware/staff-frame.ts) is set once for every staff route: these check
 * what it promises, so a page no longer building its own frame cannot lose a piece of it. Signed in:
 * the navigation with the page's section marked, one CSRF token in every form, the last message shown
 * once, no-store on every answer. Not signed in: a form token and its cookie only with a form, never
 * with a redirect or an error page.
 */
import type { Response } from 'express';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { staffOf } from '../server/auth/middleware.ts';
import { startTestApp, type TestApp } from './support/app.ts';
import { DIALECTS } from './support/dialects.ts';
import { buildUser, csrfOf, postForm, signIn } from './support/staff.ts';

const FORM_COOKIE = /^sipas\.form=/;
const cookiesOf = (res: { headers: Record<string, unknown> }) => ((res.headers['set-cookie'] as string[] | undefined) ?? []);

describe('staffOf', () => {
  it('says which route lacks its sign-in check instead of answering undefined', () => {
    const res = { locals: {}, req: { method: 'GET', path: '/admin/somewhere' } } as unknown as Response;
    expect(() => staffOf(res)).toThrow(/GET \/admin\/somewhere: no signed-in staff member/);
  });
});

describe.each(DIALECTS)('the staff frame on %s', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(dialect);
    await buildUser(t.db, 'quantri', 'admin', null);
  });
  afterAll(() => t.close());

  it('gives a signed-in page its navigation, its section marked, one token for every form, and no-store', async () => {
    const agent = await signIn(t.app, 'quantri');
    const page = await agent.get('/admin/targets').expect(200);
    expect(page.headers['cache-control']).toBe('no-store');
    expect(page.text).toMatch(/<a href="\/admin\/targets" aria-current="page">/);
    // Once in the list a phone folds under "Trình đơn: …", once in the list a wider screen shows: one section marked in each.
    expect(page.text.match(/aria-current="page"/g)).toHaveLength(2);
    expect(page.text).toMatch(/<summary class="staff-nav__toggle">Trình đơn: <span class="staff-nav__current">Chỉ tiêu<\/span><\/summary>/);
    const tokens = new Set([...page.text.matchAll(/name="_csrf" value="([^"]+)"/g)].map((m) => m[1]));
    expect(tokens.size).toBe(1);
    const dashboard = await agent.get('/dashboard').expect(200);
    expect(dashboard.text).toMatch(/<a href="\/dashboard" aria-current="page">/);
    expect(csrfOf(dashboard.text)).toBe([...tokens][0]);
    // A redirect and an error page of a signed-in person are not kept either.
    const missing = await agent.get('/admin/units/999999').expect(404);
    expect(missing.headers['cache-control']).toBe('no-store');
  });

  it('shows the message left by a redirect once', async () => {
    const agent = await signIn(t.app, 'quantri');
    await postForm(agent, '/admin/targets', '/admin/targets/year', { year: '2031' }).then((r) => expect(r.status).toBe(303));
    const first = await agent.get('/admin/targets').expect(200);
    expect(first.text).toContain('notice--success');
    expect(first.text).toMatch(/năm 2031/);
    const again = await agent.get('/admin/targets').expect(200);
    expect(again.text).not.toContain('notice--success');
  });

  it('gives a visitor who is not signed in a form token and its cookie only with a form', async () => {
    const login = await request(t.app).get('/login').expect(200);
    expect(login.headers['cache-control']).toBe('no-store');
    expect(cookiesOf(login).some((c) => FORM_COOKIE.test(c))).toBe(true);
    expect(csrfOf(login.text)).toMatch(/\S/);
    const redirect = await request(t.app).get('/dashboard').expect(303);
    expect(cookiesOf(redirect).some((c) => FORM_COOKIE.test(c))).toBe(false);
    const missing = await request(t.app).get('/no/such/page').expect(404);
    expect(cookiesOf(missing).some((c) => FORM_COOKIE.test(c))).toBe(false);
    expect(missing.headers['cache-control']).toBeUndefined();
  });
});
