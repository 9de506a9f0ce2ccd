/**
 * Staff sessions that a backup cannot hand out, no session row for anonymous visitors, and the
 * first-administrator link used exactly once however many browsers race for it.
 */
import { createHash, createHmac } from 'node:crypto';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueSetupLink } from '../server/auth/setup.ts';
import { startTestApp, type TestApp } from './support/app.ts';
import { countRows } from './support/db.ts';
import { DIALECTS } from './support/dialects.ts';
import { buildUser, csrfOf, PASSWORD } from './support/staff.ts';

/** A session cookie as express-session signs it: what anyone holding the secret can make for any id. */
function sessionCookie(sid: string, secret: string): string {
  const signature = createHmac('sha256', secret).update(sid).digest('base64').replace(/=+$/, '');
  return `sipas.sid=${encodeURIComponent(`s:${sid}.${signature}`)}`;
}

function sidOf(setCookie: unknown): string {
  const match = /sipas\.sid=s%3A([^.;]+)\./.exec(String(setCookie));
  if (!match?.[1]) throw new Error(`no session cookie in ${String(setCookie)}`);
  return decodeURIComponent(match[1]);
}

describe.each(DIALECTS)('on %s', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(dialect);
    await buildUser(t.db, 'quantri', 'admin', null);
  });
  afterAll(() => t.close());

  describe('a copy of the database (a backup, a dump)', () => {
    it('holds only hashes of session ids: a session rebuilt from its rows and the secret is refused', async () => {
      const login = await t.visitor().signIn('quantri', PASSWORD);
      expect(login.status).toBe(303);
      const sid = sidOf(login.headers['set-cookie']);

      const rows = await t.db.selectFrom('sessions').select(['sid_hash', 'data']).execute();
      expect(rows).toHaveLength(1);
      expect(rows[0]?.sid_hash).toBe(createHash('sha256').update(sid).digest('hex'));
      expect(JSON.stringify(rows)).not.toContain(sid);

      // The way of rebuilding a cookie is right: with the real id it opens the dashboard...
      await request(t.app).get('/dashboard').set('Cookie', sessionCookie(sid, t.ready.secret)).expect(200);
      // ...but what the backup holds is not an id that anything accepts.
      for (const fromBackup of rows.map((r) => r.sid_hash)) {
        await request(t.app).get('/dashboard').set('Cookie', sessionCookie(fromBackup, t.ready.secret)).expect(303).expect('location', '/login?next=%2Fdashboard');
      }
    });
  });

  describe('anonymous visitors', () => {
    it('write no session row, whatever they open, and the login form still works and stays protected', async () => {
      const fresh = await startTestApp(dialect);
      try {
        // Opened while no account exists, so that the setup page is a real form too.
        const setup = new URL((await issueSetupLink(fresh.db, fresh.config.baseUrl)) ?? '').pathname;
        const visitor = request.agent(fresh.app);
        for (const path of [setup, '/login', '/login?lang=en', '/dashboard', '/admin/users', '/api/v1/indicators', '/cong-khai', '/khong-co-trang-nay', '/set-password/made-up']) {
          const res = await visitor.get(path);
          expect(res.status, path).toBeLessThan(500);
          expect(String(res.headers['set-cookie'] ?? ''), path).not.toContain('sipas.sid');
        }
        for (let i = 0; i < 50; i++) await request(fresh.app).get('/login').expect(200);
        expect(await countRows(fresh.db, 'sessions')).toBe(0);

        await buildUser(fresh.db, 'quantri', 'admin', null);
        // A form token only works with the cookie it was made for: another browser's token is refused.
        // (The token is the subject here, so these posts write it by hand.)
        const other = await request.agent(fresh.app).get('/login');
        const page = await visitor.get('/login');
        await visitor.post('/login').type('form').send({ _csrf: csrfOf(other.text), username: 'quantri', password: PASSWORD }).expect(403);
        await request(fresh.app).post('/login').type('form').send({ _csrf: csrfOf(page.text), username: 'quantri', password: PASSWORD }).expect(403);
        expect(await countRows(fresh.db, 'sessions')).toBe(0);

        await visitor.post('/login').type('form').send({ _csrf: csrfOf(page.text), username: 'quantri', password: PASSWORD }).expect(303);
        expect(await countRows(fresh.db, 'sessions')).toBe(1);
        await visitor.get('/dashboard').expect(200);
      } finally {
        await fresh.close();
      }
    });
  });
});

describe.each(DIALECTS)('the first-administrator link on %s', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(dialect);
  });
  afterAll(() => t.close());

  it('sent by 8 browsers at once creates exactly one administrator; the others are told the link was used', async () => {
    const path = new URL((await issueSetupLink(t.db, t.config.baseUrl)) ?? '').pathname;
    // Eight browsers with the setup page open, pressing its button at the same moment.
    const browsers = await Promise.all(
      Array.from({ length: 8 }, async () => {
        const visitor = t.visitor();
        return { agent: visitor.agent, page: await visitor.page(path) };
      }),
    );
    const answers = await Promise.all(
      browsers.map(({ page }, i) => page.post(path, { username: `quantri${i}`, display_name: `Quản trị ${i}`, password: 'mot-mat-khau-dai', password_again: 'mot-mat-khau-dai' })),
    );
    expect(answers.map((a) => a.status).sort()).toEqual([303, 404, 404, 404, 404, 404, 404, 404]);
    for (const refused of answers.filter((a) => a.status === 404)) expect(refused.text).toContain('đã được sử dụng');
    const users = await t.db.selectFrom('users').select(['username', 'role']).execute();
    expect(users).toHaveLength(1);
    expect(users[0]?.role).toBe('admin');
    const winner = browsers[answers.findIndex((a) => a.status === 303)];
    await winner?.agent.get('/dashboard').expect(200);
    // Every link printed at any start stops working.
    await request(t.app).get(path).expect(404);
  });

  it('a weak password is refused on the setup form, with the reason, and creates nothing', async () => {
    const fresh = await startTestApp(dialect);
    try {
      const path = new URL((await issueSetupLink(fresh.db, fresh.config.baseUrl)) ?? '').pathname;
      const agent = fresh.visitor();
      const vi = await agent.post(path, { username: 'quantri', display_name: 'Nguyễn Văn A', password: '1234567890', password_again: '1234567890' });
      expect(vi.status).toBe(422);
      expect(vi.text).toContain('Mật khẩu này nằm trong danh sách những mật khẩu hay dùng nhất');
      const en = await agent.post(`${path}?lang=en`, { username: 'quantri', display_name: 'Nguyễn Văn A', password: 'quantri2025', password_again: 'quantri2025' });
      expect(en.status).toBe(422);
      expect(en.text).toContain('The password contains the user name');
      expect(await countRows(fresh.db, 'users')).toBe(0);
      await agent.get(path).expect(200);
    } finally {
      await fresh.close();
    }
  });
});

describe.each(DIALECTS)('sign-in links on %s', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(dialect);
    await buildUser(t.db, 'quantri', 'admin', null);
  });
  afterAll(() => t.close());

  it('a set-password link refuses 1234567890 and the hint\'s own example, and keeps working for a better password', async () => {
    const admin = await t.staff('quantri');
    const unit = await t.db.selectFrom('units').select('id').where('code', '=', '16681').executeTakeFirstOrThrow();
    const created = await admin.post('/admin/users', { username: 'nguyenvana', display_name: 'Nguyễn Văn A', role: 'viewer', unit: String(unit.id) }, '/admin/users/new');
    const link = /(https?:\/\/[^<\s]+\/set-password\/[A-Za-z0-9_-]+)/.exec(created.text)?.[1] ?? '';
    const path = new URL(link).pathname;
    const person = t.visitor();
    const weak = await person.post(path, { password: '1234567890', password_again: '1234567890' });
    expect(weak.status).toBe(422);
    expect(weak.text).toContain('những mật khẩu hay dùng nhất');
    expect((await t.db.selectFrom('users').select('password_hash').where('username', '=', 'nguyenvana').executeTakeFirstOrThrow()).password_hash).toBe('');
    // The example in the page's own hint is known to everyone who reads the page.
    const example = await person.post(path, { password: 'ca-phe-sang-o-cho-vinh', password_again: 'ca-phe-sang-o-cho-vinh' });
    expect(example.status).toBe(422);
    expect(example.text).toContain('Đây là mật khẩu ví dụ in trên trang này');
    const strong = await person.post(path, { password: 'nuoc-che-xanh-ben-song-lam', password_again: 'nuoc-che-xanh-ben-song-lam' });
    expect(strong.status).toBe(303);
    await person.get('/dashboard').expect(200);
  });
});
