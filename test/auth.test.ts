/** Staff sign-in, the one-time setup link, sessions and API tokens. */
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../server/app.ts';
import { issueSetupLink } from '../server/auth/setup.ts';
import { createLogger } from '../server/log.ts';
import { startTestApp, type TestApp } from './support/app.ts';
import { buildDesk } from './support/builders.ts';
import { countRows } from './support/db.ts';
import { buildToken, buildUser, csrfOf, PASSWORD, signIn } from './support/staff.ts';
import { DIALECTS } from './support/dialects.ts';

describe.each(DIALECTS)('on %s', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(dialect);
  });
  afterAll(() => t.close());

  describe('the first administrator', () => {
    it('is created once through the setup link printed on an empty database; the link then stops working', async () => {
      const link = await issueSetupLink(t.db, t.config.baseUrl);
      expect(link).toMatch(/^http:\/\/sipas\.test\/setup\/[A-Za-z0-9_-]{32}$/);
      const path = new URL(link ?? '').pathname;
      const person = t.visitor();
      const page = await person.page(path);
      expect(page.text).toContain('Tạo tài khoản quản trị đầu tiên');

      const mismatch = await page.post(path, { username: 'quantri', display_name: 'Nguyễn Văn A', password: 'mot-mat-khau-dai', password_again: 'khac-hoan-toan' }).expect(422);
      expect(mismatch.text).toContain('Hai mật khẩu không giống nhau.');
      expect(await countRows(t.db, 'users')).toBe(0);

      // Corrected on the page that said what was wrong.
      await person
        .pageFrom(mismatch)
        .post(path, { username: 'quantri', display_name: 'Nguyễn Văn A', password: 'mot-mat-khau-dai', password_again: 'mot-mat-khau-dai' })
        .expect(303)
        .expect('location', '/dashboard');
      const user = await t.db.selectFrom('users').selectAll().executeTakeFirstOrThrow();
      expect(user).toMatchObject({ username: 'quantri', role: 'admin', unit_id: null });
      expect(user.password_hash).toMatch(/^\$argon2id\$/);
      await person.get('/dashboard').expect(200);

      await request(t.app).get(path).expect(404);
      expect(await issueSetupLink(t.db, t.config.baseUrl)).toBeNull();
    });

    it('a made-up setup link is refused', async () => {
      const res = await request(t.app).get('/setup/made-up-token').expect(404);
      expect(res.text).toContain('không hợp lệ');
    });
  });

  describe('signing in', () => {
    beforeAll(async () => {
      await buildUser(t.db, 'canbo', 'viewer', '16681');
    });

    it('a wrong password is refused with a message, and the attempt is audited', async () => {
      const person = t.visitor();
      const res = await person.signIn('canbo', 'sai-mat-khau');
      expect(res.status).toBe(401);
      expect(res.text).toContain('Tên đăng nhập hoặc mật khẩu không đúng.');
      const failed = await t.db.selectFrom('audit_log').select('subject').where('action', '=', 'login.failed').execute();
      expect(failed.map((r) => r.subject)).toContain('canbo');
      await person.get('/dashboard').expect(303);
    });

    it('an unknown user gets the same message', async () => {
      const res = await t.visitor().signIn('khongco', PASSWORD);
      expect(res.status).toBe(401);
      expect(res.text).toContain('Tên đăng nhập hoặc mật khẩu không đúng.');
    });

    it('a form without the CSRF token is refused', async () => {
      await request(t.app).post('/login').type('form').send({ username: 'canbo', password: PASSWORD }).expect(403);
    });

    it('the right password opens the dashboard with an httpOnly session cookie; signing out closes it', async () => {
      const person = t.visitor();
      const res = await person.post('/login', { username: 'canbo', password: PASSWORD, next: '/dashboard?period=month' }, '/login?next=%2Fdashboard%3Fperiod%3Dmonth');
      expect(res.status).toBe(303);
      expect(res.headers.location).toBe('/dashboard?period=month');
      expect(String(res.headers['set-cookie'])).toMatch(/sipas\.sid=.*HttpOnly.*SameSite=Lax/);
      await person.get('/dashboard').expect(200);
      expect((await person.signOut()).status).toBe(303);
      await person.get('/dashboard').expect(303).expect('location', '/login?next=%2Fdashboard');
    });

    it('never redirects to another site after sign-in', async () => {
      const res = await t.visitor().signIn('canbo', PASSWORD, { next: '//evil.example/x' });
      expect(res.headers.location).toBe('/dashboard');
    });

    it('the session survives an application restart (stored in the database)', async () => {
      const agent = await signIn(t.app, 'canbo');
      const cookie = (await agent.get('/dashboard').expect(200)).request.cookies;
      expect(await countRows(t.db, 'sessions')).toBeGreaterThan(0);
      const again = createApp({ db: t.db, config: t.config, secret: t.ready.secret, logger: createLogger('silent') });
      await request(again).get('/dashboard').set('Cookie', cookie).expect(200);
    });
  });

  describe('citizens', () => {
    it('never get a cookie from the survey', async () => {
      const desk = await buildDesk(t.db, t.ready.secret);
      const res = await request(t.app).get(desk.url).expect(200);
      expect(res.headers['set-cookie']).toBeUndefined();
    });
  });

  describe('API tokens', () => {
    it('authorise the API with Authorization: Bearer; a wrong token gets 401 JSON', async () => {
      const userId = await buildUser(t.db, 'maytinh', 'admin', null);
      const token = await buildToken(t.db, userId);
      const ok = await request(t.app).get('/api/v1/indicators').set('Authorization', `Bearer ${token}`).expect(200);
      expect(ok.body.indicators).toHaveLength(4);
      const stored = await t.db.selectFrom('api_tokens').select(['token_hash', 'last_used_at']).where('user_id', '=', userId).executeTakeFirstOrThrow();
      expect(stored.token_hash).not.toContain(token);
      expect(stored.last_used_at).not.toBeNull();
      const bad = await request(t.app).get('/api/v1/indicators').set('Authorization', 'Bearer sipas_wrong').expect(401);
      expect(bad.body.error).toContain('authentication required');
      await request(t.app).get('/api/v1/questions').expect(401);
    });
  });

  describe('behind an https reverse proxy', () => {
    it('the session cookie is Secure and still set when TLS ends at the proxy', async () => {
      const proxied = await startTestApp(dialect, { BASE_URL: 'https://khaosat.nghean.example' });
      try {
        await buildUser(proxied.db, 'canbo', 'viewer', '16681');
        // The test client speaks plain http, so it hands the Secure cookie back by hand, as a browser would over https,
        // and with it the login form's token (the cookie jar of support/actors.ts would keep the cookie to itself).
        const page = await request(proxied.app).get('/login').set('X-Forwarded-Proto', 'https').expect(200);
        const cookie = String(page.headers['set-cookie']).split(';')[0] ?? '';
        // Before signing in only the login form's token cookie, which only this host can set over https.
        expect(String(page.headers['set-cookie'])).toMatch(/^__Host-sipas\.form=.*Secure/);
        const res = await request(proxied.app)
          .post('/login')
          .set('X-Forwarded-Proto', 'https')
          .set('Cookie', cookie)
          .type('form')
          .send({ _csrf: csrfOf(page.text), username: 'canbo', password: PASSWORD })
          .expect(303);
        expect(String(res.headers['set-cookie'])).toMatch(/sipas\.sid=.*Secure/);
        expect(String(res.headers['strict-transport-security'])).toContain('max-age=');
      } finally {
        await proxied.close();
      }
    });
  });
});
