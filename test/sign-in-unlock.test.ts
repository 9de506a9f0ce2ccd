/**
 * An official kept out of a new phone by a stranger's wrong passwords (issue 17, item 7): anyone who
 * knows a user name can make the account wait on every browser where it never signed in. The owner
 * gets back in with a one-time sign-in unlock link from whoever manages the account, opened on the
 * new phone; the stranger's browser still waits, and the link works once and is stored only hashed.
 */
import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loggedPath } from '../server/middleware/request-log.ts';
import type { Visitor } from './support/actors.ts';
import { startTestApp, type TestApp } from './support/app.ts';
import { DIALECTS } from './support/dialects.ts';
import { readable } from './support/html.ts';
import { buildUser, PASSWORD } from './support/staff.ts';

type Agent = Visitor;

const HINT = 'Nếu Ông/Bà là chủ tài khoản: hãy đăng nhập trên trình duyệt đã dùng để đăng nhập trước đây, hoặc nhờ quản trị viên gửi đường dẫn mở khóa đăng nhập';

/** One sign-in attempt from a browser at address `from`, the way a person (or a script that reads the page) makes it. */
async function attempt(browser: Visitor, username: string, password: string, from: string): Promise<request.Response> {
  browser.who['X-Forwarded-For'] = from;
  return browser.signIn(username, password);
}

/** The known-browser mark set by this answer, if any. */
function browserCookie(res: request.Response): string[] {
  const cookies: string | string[] = res.headers['set-cookie'] ?? [];
  return [cookies].flat().filter((c) => c.startsWith('sipas.browser='));
}

describe.each(DIALECTS)('on %s', (dialect) => {
  let t: TestApp;
  let admin: Agent;
  let address = 1;
  /** The attacker's addresses: a new one for every guess, as a botnet would. */
  const stranger = () => `203.0.113.${address++}`;
  const userId = async (username: string) => (await t.db.selectFrom('users').select('id').where('username', '=', username).executeTakeFirstOrThrow()).id;

  beforeAll(async () => {
    t = await startTestApp(dialect);
    await buildUser(t.db, 'quantri', 'admin', null);
    await buildUser(t.db, 'quanly.vinh', 'manager', '16681');
    for (const name of ['canbo', 'ketoan', 'vanthu', 'thuquy']) await buildUser(t.db, name, 'viewer', '16681');
    admin = await t.staff('quantri');
  });
  afterAll(() => t.close());

  /** Every row of every table as JSON, to look for a secret in, or to see that nothing was written. */
  async function everyRow(): Promise<string> {
    const rows: Record<string, unknown[]> = {};
    for (const { name } of await t.db.introspection.getTables()) rows[name] = (await sql`select * from ${sql.table(name)}`.execute(t.db)).rows;
    expect(Object.keys(rows)).toEqual(expect.arrayContaining(['sessions', 'unlock_links', 'password_links', 'sign_in_throttle', 'audit_log']));
    return JSON.stringify(rows);
  }

  /** Five wrong passwords from five addresses: the account now makes every browser it does not know wait. */
  async function lockOut(username: string): Promise<Agent> {
    const script = t.visitor();
    for (let i = 0; i < 5; i++) expect((await attempt(script, username, `doan-sai-${i}`, stranger())).status).toBe(401);
    expect((await attempt(script, username, PASSWORD, stranger())).status).toBe(429);
    return script;
  }

  /** The administrator makes an unlock link on the account's page; it is shown once, and only its hash is kept. */
  async function unlockLink(username: string): Promise<string> {
    const id = await userId(username);
    const page = await admin.get(`/admin/users/${id}`).expect(200);
    expect(readable(page.text)).toContain('Tạo đường dẫn mở khóa đăng nhập');
    const res = await admin.post(`/admin/users/${id}/unlock`, {}, `/admin/users/${id}`);
    expect(res.status, res.text).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(readable(res.text)).toContain(`Đường dẫn mở khóa đăng nhập cho Cán bộ ${username} (dùng được một lần, trong 24 giờ, chỉ hiện ra lần này)`);
    const link = /(https?:\/\/[^<\s]+\/unlock\/[A-Za-z0-9_-]+)/.exec(res.text)?.[1] ?? '';
    expect(link).not.toBe('');
    const token = link.split('/').at(-1) ?? '';
    const dump = await everyRow();
    expect(dump).not.toContain(token);
    expect(dump).toContain(createHash('sha256').update(token).digest('hex'));
    expect((await admin.get(`/admin/users/${id}`).expect(200)).text).not.toContain(token);
    return new URL(link).pathname;
  }

  it('an official kept out of a new phone by a stranger opens an unlock link there and signs in at once; the stranger still waits; the link works once', async () => {
    const script = await lockOut('canbo');
    const phone = t.visitor();
    const home = '198.51.100.7';
    const refused = await attempt(phone, 'canbo', PASSWORD, home);
    expect(refused.status).toBe(429);
    // The sign-in page says how the owner gets in anyway.
    expect(readable(refused.text)).toContain(HINT);

    const path = await unlockLink('canbo');
    const opened = await phone.get(path).expect(200);
    expect(readable(opened.text)).toContain('Tài khoản canbo (Cán bộ canbo)');
    // Opening the link only shows a button (a chat app's link preview must not use it).
    expect(browserCookie(opened)).toEqual([]);
    expect(readable((await phone.get(`${path}?lang=en`).expect(200)).text)).toContain('Account canbo (Cán bộ canbo). Once unlocked, wrong passwords typed elsewhere no longer keep you from signing in on this browser.');
    const unlocked = await phone.pageFrom(opened).post(path);
    expect(unlocked.status).toBe(200);
    expect(readable(unlocked.text)).toContain('Ông/Bà có thể đăng nhập ngay bây giờ trên trình duyệt này bằng tài khoản canbo và mật khẩu của mình.');
    expect(browserCookie(unlocked)).toHaveLength(1);

    // At once: no wait, though the account's count still asks every other browser to wait.
    const in_ = await attempt(phone, 'canbo', PASSWORD, home);
    expect(in_.status).toBe(303);
    await phone.get('/dashboard').expect(200);
    expect((await attempt(script, 'canbo', PASSWORD, stranger())).status).toBe(429);

    // A second opening, by anyone: refused, and nothing is written (no unlock, no audit, no cookie).
    const before = await everyRow();
    const other = t.visitor();
    const again = await other.get(path).expect(404);
    expect(readable(again.text)).toContain('Đường dẫn mở khóa đăng nhập này sai, đã được dùng hoặc đã hết hạn.');
    // Sent anyway, from a page that has a form token (the sign-in page).
    const reused = await other.post(path, {}, '/login');
    expect(reused.status).toBe(404);
    expect(browserCookie(reused)).toEqual([]);
    expect(await everyRow()).toBe(before);
    expect((await attempt(other, 'canbo', PASSWORD, stranger())).status).toBe(429);

    const actions = (await t.db.selectFrom('audit_log').select(['action', 'subject']).where('action', 'like', 'user.unlock%').orderBy('id').execute());
    expect(actions).toEqual([{ action: 'user.unlock.link', subject: 'canbo' }, { action: 'user.unlock', subject: 'canbo' }]);
  });

  it('the sign-in page answers a user name without an account exactly as it answers a real one', async () => {
    await lockOut('ketoan');
    await lockOut('khong.co.ai');
    const page = async (username: string) => readable((await attempt(t.visitor(), username, PASSWORD, '198.51.100.9')).text).replaceAll(username, 'NAME');
    const real = await page('ketoan');
    expect(real).toContain(HINT);
    expect(await page('khong.co.ai')).toBe(real);
  });

  it('an unlock link sets no password, is refused for a disabled account, and only its manager may make one', async () => {
    const path = await unlockLink('thuquy');
    await request(t.app).get(`/set-password/${path.split('/').at(-1) ?? ''}`).expect(404);
    const manager = await t.staff('quanly.vinh');
    const adminId = await userId('quantri');
    await manager.post(`/admin/users/${adminId}/unlock`, {}, '/admin/users').then((r) => expect(r.status).toBe(403));
    // A manager may make one for the viewers of their unit.
    const byManager = await manager.post(`/admin/users/${await userId('thuquy')}/unlock`, {}, '/admin/users');
    expect(byManager.status).toBe(200);
    expect(byManager.text).toMatch(/\/unlock\/[A-Za-z0-9_-]+/);
    // The link made by the manager replaced the administrator's.
    await request(t.app).get(path).expect(404);

    const id = await userId('thuquy');
    const unused = `/unlock/${/\/unlock\/([A-Za-z0-9_-]+)/.exec(byManager.text)?.[1] ?? ''}`;
    await admin.post(`/admin/users/${id}/active`, { active: '0' }, `/admin/users/${id}`).then((r) => expect(r.status).toBe(303));
    const refused = await admin.post(`/admin/users/${id}/unlock`, {}, `/admin/users/${id}`);
    expect(refused.status).toBe(409);
    expect(readable(refused.text)).toContain('Tài khoản đang bị khóa.');
    // Enabled again, the account does not get back the link made before it was disabled.
    await admin.post(`/admin/users/${id}/active`, { active: '1' }, `/admin/users/${id}`).then((r) => expect(r.status).toBe(303));
    await request(t.app).get(unused).expect(404);
    expect(loggedPath(path)).toBe('/unlock/:token');
  });

  it('completing a set-password link on a new browser makes it one the account signs in on', async () => {
    const script = await lockOut('vanthu');
    const id = await userId('vanthu');
    const reset = await admin.post(`/admin/users/${id}/reset`, {}, `/admin/users/${id}`);
    const path = new URL(/(https?:\/\/[^<\s]+\/set-password\/[A-Za-z0-9_-]+)/.exec(reset.text)?.[1] ?? 'http://x/').pathname;
    const phone = t.visitor();
    await phone.post(path, { password: 'mật-khẩu-mới-của-văn-thư', password_again: 'mật-khẩu-mới-của-văn-thư' }).then((r) => expect(r.status).toBe(303));
    await phone.signOut().then((r) => expect(r.status).toBe(303));
    expect((await attempt(phone, 'vanthu', 'mật-khẩu-mới-của-văn-thư', '198.51.100.8')).status).toBe(303);
    // The owner signing in on a browser of theirs gives the stranger no fresh start.
    expect((await attempt(script, 'vanthu', 'doan-tiep', stranger())).status).toBe(429);
  });

  it('an expired unlock link is refused and writes nothing', async () => {
    await lockOut('quanly.vinh');
    const path = await unlockLink('quanly.vinh');
    t.clock.now = new Date(t.clock.now.getTime() + 24 * 3600_000 + 1000);
    const before = await everyRow();
    const phone = t.visitor();
    await phone.get(path).expect(404);
    // Sent anyway, from a page that has a form token (the sign-in page).
    const reused = await phone.post(path, {}, '/login');
    expect(reused.status).toBe(404);
    expect(browserCookie(reused)).toEqual([]);
    expect(await everyRow()).toBe(before);
  });
});
