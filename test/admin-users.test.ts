/** Staff accounts from /admin/users: invitations, roles and units, disabling, resets and API tokens. */
import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './support/app.ts';
import { countRows } from './support/db.ts';
import { DIALECTS } from './support/dialects.ts';
import { readable } from './support/html.ts';
import { buildToken, buildUser, PASSWORD, postForm, signIn } from './support/staff.ts';

describe.each(DIALECTS)('on %s', (dialect) => {
  let t: TestApp;
  let admin: Awaited<ReturnType<typeof signIn>>;
  let adminId: number;
  const unitId = async (code: string) => String((await t.db.selectFrom('units').select('id').where('code', '=', code).executeTakeFirstOrThrow()).id);
  const userId = async (username: string) => (await t.db.selectFrom('users').select('id').where('username', '=', username).executeTakeFirstOrThrow()).id;

  beforeAll(async () => {
    t = await startTestApp(dialect);
    adminId = await buildUser(t.db, 'quantri', 'admin', null);
    await buildUser(t.db, 'quanly.vinh', 'manager', '16681');
    admin = await signIn(t.app, 'quantri');
  });
  afterAll(() => t.close());

  /**
   * Every row of every table (sessions included) as JSON, to look for a secret in. A set-password
   * link once waited in the flash, in clear in the sessions table, until the administrator's next page.
   */
  async function everyRow(): Promise<string> {
    const rows: Record<string, unknown[]> = {};
    for (const { name } of await t.db.introspection.getTables()) rows[name] = (await sql`select * from ${sql.table(name)}`.execute(t.db)).rows;
    expect(Object.keys(rows)).toEqual(expect.arrayContaining(['sessions', 'password_links', 'users', 'audit_log']));
    return JSON.stringify(rows);
  }

  /** The one-time link on the page that answers the POST which made it; the database holds only its hash. */
  async function linkShownOnce(agent: typeof admin, res: request.Response, next: string): Promise<string> {
    // The link is shown in the answer to the POST itself, not carried in the session over a redirect.
    expect(res.status, res.text).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.text).toContain('Đường dẫn đặt mật khẩu');
    const link = /(https?:\/\/[^<\s]+\/set-password\/[A-Za-z0-9_-]+)/.exec(res.text)?.[1] ?? '';
    expect(link).not.toBe('');
    expect(res.text.split(link)).toHaveLength(2);
    const token = link.split('/').at(-1) ?? '';
    const dump = await everyRow();
    expect(dump).not.toContain(token);
    expect(dump).toContain(createHash('sha256').update(token).digest('hex'));
    // Shown once: the account's page, where the administrator goes next, does not have it.
    expect(res.text).toContain(`href="${next}"`);
    expect((await agent.get(next).expect(200)).text).not.toContain(token);
    return link;
  }

  /** Creates an account through the form and returns the one-time link shown in the answer. */
  async function invite(agent: typeof admin, fields: Record<string, string>): Promise<{ id: number; link: string }> {
    const res = await postForm(agent, '/admin/users/new', '/admin/users', fields);
    const id = await userId(fields.username ?? '');
    return { id, link: await linkShownOnce(agent, res, `/admin/users/${id}`) };
  }

  async function setPassword(link: string, password: string): Promise<request.Response> {
    return t.visitor().post(new URL(link).pathname, { password, password_again: password });
  }

  it('a new account gets a one-time link to set its own password; nobody can sign in before; the link works once', async () => {
    const { id, link } = await invite(admin, { username: 'nguyenvana', display_name: 'Nguyễn Văn A', role: 'viewer', unit: await unitId('16681') });
    const user = await t.db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    expect(user.password_hash).toBe('');
    const login = await t.visitor().page('/login');
    for (const password of ['', 'anything-at-all']) {
      await login.post('/login', { username: 'nguyenvana', password }).expect(401);
    }

    const set = await setPassword(link, 'mật-khẩu-của-văn-a');
    expect(set.status).toBe(303);
    expect(set.headers.location).toBe('/dashboard');
    await signIn(t.app, 'nguyenvana', 'mật-khẩu-của-văn-a').then((a) => a.get('/dashboard').expect(200));
    const again = await request(t.app).get(new URL(link).pathname).expect(404);
    expect(again.text).toContain('đã được dùng hoặc đã hết hạn');
    expect(await t.db.selectFrom('password_links').select('token_hash').execute()).not.toContainEqual({ token_hash: link.split('/').at(-1) });
  });

  it('checks each field and keeps what was typed: user name, a taken name, a unit for non-administrators', async () => {
    const bad = await postForm(admin, '/admin/users/new', '/admin/users', { username: 'Có Dấu', display_name: '', role: 'viewer', unit: '' });
    expect(bad.status).toBe(422);
    const text = readable(bad.text);
    expect(text).toContain('Tên đăng nhập gồm 3-40 ký tự');
    expect(text).toContain('Vui lòng nhập họ và tên.');
    expect(text).toContain('Quản lý và người xem cần thuộc một đơn vị.');
    expect(bad.text).toContain('value="có dấu"');
    const taken = await postForm(admin, '/admin/users/new', '/admin/users', { username: 'quantri', display_name: 'X', role: 'admin', unit: '' });
    expect(readable(taken.text)).toContain('Tên đăng nhập quantri đã có người dùng.');
  });

  it('a manager creates viewers of their own units only, and cannot make an administrator or reach others', async () => {
    const manager = await signIn(t.app, 'quanly.vinh');
    const list = await manager.get('/admin/users').expect(200);
    expect(list.text).not.toContain('quantri');
    const asAdmin = await postForm(manager, '/admin/users/new', '/admin/users', { username: 'leo.thang', display_name: 'Leo Thang', role: 'admin', unit: '' });
    expect(asAdmin.status).toBe(422);
    expect(readable(asAdmin.text)).toContain('Vui lòng chọn một vai trò Ông/Bà được phép cấp.');
    const elsewhere = await postForm(manager, '/admin/users/new', '/admin/users', { username: 'xem.anhson', display_name: 'Xem Anh Sơn', role: 'viewer', unit: await unitId('17329') });
    expect(readable(elsewhere.text)).toContain('Vui lòng chọn một đơn vị Ông/Bà quản lý.');
    await invite(manager, { username: 'xem.vinh2', display_name: 'Người xem Vinh', role: 'viewer', unit: await unitId('16681') });
    await manager.get(`/admin/users/${adminId}`).expect(403);
    expect(await countRows(t.db, 'users')).toBe(4);
  });

  it('disabling an account ends its open session and its API token at their next request', async () => {
    const id = await buildUser(t.db, 'sap.nghi', 'manager', '16681');
    const token = await buildToken(t.db, id);
    const session = await signIn(t.app, 'sap.nghi');
    await session.get('/dashboard').expect(200);
    await request(t.app).get('/api/v1/indicators').set('Authorization', `Bearer ${token}`).expect(200);

    const res = await postForm(admin, `/admin/users/${id}`, `/admin/users/${id}/active`, { active: '0' });
    expect(res.status).toBe(303);
    expect(readable((await admin.get(res.headers.location as string)).text)).toContain('đã kết thúc 1 phiên đăng nhập và thu hồi 1 token API');
    await session.get('/dashboard').expect(303);
    await request(t.app).get('/api/v1/indicators').set('Authorization', `Bearer ${token}`).expect(401);
    expect(await t.db.selectFrom('sessions').select('sid_hash').where('user_id', '=', id).execute()).toEqual([]);
    const entry = await t.db.selectFrom('audit_log').selectAll().where('action', '=', 'user.disable').executeTakeFirstOrThrow();
    expect(JSON.parse(entry.after_json ?? '{}')).toMatchObject({ active: false, sessions: 1, tokens: 1 });
  });

  it('the last active administrator can be neither disabled nor made a manager', async () => {
    const other = await buildUser(t.db, 'quantri2', 'admin', null);
    const second = await signIn(t.app, 'quantri2');
    await postForm(second, `/admin/users/${adminId}`, `/admin/users/${adminId}/active`, { active: '0' }).then((r) => expect(r.status).toBe(303));
    const refused = await postForm(second, `/admin/users/${other}`, `/admin/users/${other}/active`, { active: '0' });
    // quantri2 is now the only active administrator; it cannot be disabled, by itself or anyone.
    expect(refused.status).toBe(409);
    expect(readable(refused.text)).toContain('quản trị viên cuối cùng còn hoạt động');
    const demote = await postForm(second, `/admin/users/${other}`, `/admin/users/${other}`, { display_name: 'Quản trị 2', role: 'manager', unit: await unitId('16681') });
    expect(demote.status).toBe(409);
    expect((await t.db.selectFrom('users').select(['role', 'active']).where('id', '=', other).executeTakeFirstOrThrow())).toEqual({ role: 'admin', active: 1 });
    await postForm(second, `/admin/users/${adminId}`, `/admin/users/${adminId}/active`, { active: '1' }).then((r) => expect(r.status).toBe(303));
    admin = await signIn(t.app, 'quantri');
  });

  it('changes role and unit, resets a password with a new link, and revokes one API token', async () => {
    const id = await buildUser(t.db, 'doi.vai', 'viewer', '16681');
    await postForm(admin, `/admin/users/${id}`, `/admin/users/${id}`, { display_name: 'Đổi Vai', role: 'manager', unit: await unitId('17920'), paper_entry: '1' }).then((r) => expect(r.status).toBe(303));
    expect(await t.db.selectFrom('users').select(['role', 'display_name', 'paper_entry']).where('id', '=', id).executeTakeFirstOrThrow()).toEqual({ role: 'manager', display_name: 'Đổi Vai', paper_entry: 1 });

    const reset = await postForm(admin, `/admin/users/${id}`, `/admin/users/${id}/reset`, {});
    const link = await linkShownOnce(admin, reset, `/admin/users/${id}`);
    await setPassword(link, 'mật-khẩu-mới-hoàn-toàn').then((r) => expect(r.status).toBe(303));
    await signIn(t.app, 'doi.vai', 'mật-khẩu-mới-hoàn-toàn');
    expect((await t.visitor().signIn('doi.vai', PASSWORD)).status).toBe(401);

    const keep = await buildToken(t.db, id);
    const drop = await buildToken(t.db, id);
    const tokens = await t.db.selectFrom('api_tokens').select('id').where('user_id', '=', id).orderBy('id').execute();
    const dropId = tokens.at(-1)?.id ?? 0;
    await postForm(admin, `/admin/users/${id}`, `/admin/users/${id}/tokens/${dropId}/revoke`, {}).then((r) => expect(r.status).toBe(303));
    await request(t.app).get('/api/v1/indicators').set('Authorization', `Bearer ${drop}`).expect(401);
    await request(t.app).get('/api/v1/indicators').set('Authorization', `Bearer ${keep}`).expect(200);
  });
});
