/**
 * Every state-changing staff route is protected against cross-site request forgery, including
 * routes added after this test was written: it walks the application's router and posts to each
 * route, signed in, without the CSRF token.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './support/app.ts';
import { buildDesk } from './support/builders.ts';
import { DIALECTS } from './support/dialects.ts';
import { routesOf } from './support/routes.ts';
import { buildUser, csrfOf, signIn } from './support/staff.ts';

/**
 * Citizens' forms carry their own signed, single-use form token instead (tested in survey-rejects);
 * API writes authenticate with a bearer token, which no browser attaches to a cross-site request;
 * the unsubscribe link of alert emails is signed for its account (test/alert-email.test.ts).
 */
const NOT_SESSION_ROUTES = /^\/((q|k|d)\/|api\/|thu\/huy-nhan$)/;

describe.each(DIALECTS)('CSRF protection of staff writes on %s', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(dialect);
    await buildUser(t.db, 'quantri', 'admin', null);
    await buildDesk(t.db, t.ready.secret);
  });
  afterAll(() => t.close());

  it('refuses every staff POST, PUT, PATCH and DELETE without the token, even signed in as an administrator', async () => {
    const writes = routesOf(t.app).filter((r) => !['GET', 'HEAD'].includes(r.method) && !NOT_SESSION_ROUTES.test(r.path));
    expect(writes.length).toBeGreaterThanOrEqual(4);
    const agent = await signIn(t.app, 'quantri');
    for (const route of writes) {
      // Parameters get plausible values, so the request reaches the route's own checks if CSRF lets it.
      const path = route.path.replace(/:[a-z]+/gi, '1');
      const res = await agent[route.method.toLowerCase() as 'post'](path).type('form').send({ _csrf: 'forged' });
      expect(res.status, `${route.method} ${route.path}`).toBe(403);
      expect(res.text, `${route.method} ${route.path}`).toContain('Phiên làm việc');
    }
  });

  it('lets the same request through with the token', async () => {
    const agent = await signIn(t.app, 'quantri');
    const page = await agent.get('/dashboard').expect(200);
    await agent.post('/logout').type('form').send({ _csrf: csrfOf(page.text) }).expect(303);
  });
});
