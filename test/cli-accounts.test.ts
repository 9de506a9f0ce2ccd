/**
 * Accounts and API tokens from the command line, as an IT officer uses them while the server runs:
 * a weak password refused, an account disabled (its session and tokens end), tokens that expire
 * and tokens revoked, each seen from the running application.
 */
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './support/app.ts';
import { sipas } from './support/cli.ts';
import { DIALECTS } from './support/dialects.ts';
import { readable } from './support/html.ts';
import { buildUser, signIn } from './support/staff.ts';

// Each command is a new Node.js process that compiles the TypeScript it imports: seconds each on a busy machine.
describe.each(DIALECTS)('on %s', { timeout: 90_000 }, (dialect) => {
  let t: TestApp;
  let env: Record<string, string>;
  const api = (token: string) => request(t.app).get('/api/v1/indicators').set('Authorization', `Bearer ${token}`);

  beforeAll(async () => {
    t = await startTestApp(dialect);
    env = { DATABASE_URL: t.config.databaseUrl, BASE_URL: t.config.baseUrl };
    await buildUser(t.db, 'quantri', 'admin', null);
    // The application's clock is the real one here: the commands stamp tokens with it.
    t.clock.now = new Date();
  });
  afterAll(() => t.close());

  it('user add refuses 1234567890, saying why in Vietnamese and English, and creates nothing', async () => {
    const weak = sipas(['user', 'add', '--username', 'quanly.vinh', '--role', 'manager', '--unit', '16681'], env, '1234567890\n');
    expect(weak.status).toBe(1);
    expect(weak.stderr).toContain('Mật khẩu này nằm trong danh sách những mật khẩu hay dùng nhất');
    expect(weak.stderr).toContain('This password is on the list of the most used passwords');
    const personal = sipas(['user', 'add', '--username', 'quanly.vinh', '--role', 'manager', '--unit', '16681'], env, 'quanly.vinh2025\n');
    expect(personal.stderr).toContain('The password contains the user name');
    expect(await t.db.selectFrom('users').select('id').where('username', '=', 'quanly.vinh').execute()).toEqual([]);
    const ok = sipas(['user', 'add', '--username', 'quanly.vinh', '--role', 'manager', '--unit', '16681'], env, 'nuoc-che-xanh-ben-song-lam\n');
    expect(ok.status, ok.stderr).toBe(0);
  });

  it('user disable ends the open session and revokes the API tokens; the last administrator stays', async () => {
    const session = await signIn(t.app, 'quanly.vinh', 'nuoc-che-xanh-ben-song-lam');
    await session.get('/dashboard').expect(200);
    const created = sipas(['token', 'create', '--username', 'quanly.vinh'], env);
    const token = created.stdout.trim().split('\n').at(-1) ?? '';
    await api(token).expect(200);

    const res = sipas(['user', 'disable', '--username', 'quanly.vinh'], env);
    expect(res.status, res.stderr).toBe(0);
    expect(res.stdout).toContain('1 phiên kết thúc / sessions ended, 1 token thu hồi / tokens revoked');
    await session.get('/dashboard').expect(303);
    await api(token).expect(401);
    const entry = await t.db.selectFrom('audit_log').select(['subject', 'detail']).where('action', '=', 'user.disable').executeTakeFirstOrThrow();
    expect(entry).toEqual({ subject: 'quanly.vinh', detail: 'cli' });

    expect(sipas(['user', 'disable', '--username', 'quantri'], env).stderr).toContain('last active administrator');
    expect(sipas(['user', 'disable', '--username', 'khong-co'], env).stderr).toContain('no account with that name');
    expect(sipas(['user', 'enable', '--username', 'quanly.vinh'], env).status).toBe(0);
    await signIn(t.app, 'quanly.vinh', 'nuoc-che-xanh-ben-song-lam').then((a) => a.get('/dashboard').expect(200));
  });

  it('token create --expires-days N: the token works until then, the admin page shows when it ends; revoked by number it stops at once', async () => {
    const res = sipas(['token', 'create', '--username', 'quanly.vinh', '--label', 'phan-mem-mot-cua', '--expires-days', '2'], env);
    expect(res.status, res.stderr).toBe(0);
    const token = res.stdout.trim().split('\n').at(-1) ?? '';
    const id = Number(/số \/ number (\d+)/.exec(res.stdout)?.[1]);
    await api(token).expect(200);
    const row = await t.db.selectFrom('api_tokens').select(['created_at', 'expires_at']).where('id', '=', id).executeTakeFirstOrThrow();
    expect(Date.parse(row.expires_at) - Date.parse(row.created_at)).toBe(2 * 86_400_000);

    const admin = await signIn(t.app, 'quantri');
    const userId = (await t.db.selectFrom('users').select('id').where('username', '=', 'quanly.vinh').executeTakeFirstOrThrow()).id;
    const local = new Date(Date.parse(row.expires_at) + 7 * 3_600_000).toISOString();
    const page = readable((await admin.get(`/admin/users/${userId}`).expect(200)).text);
    expect(page).toContain(`phan-mem-mot-cua`);
    expect(page).toContain(`${local.slice(8, 10)}/${local.slice(5, 7)}/${local.slice(0, 4)}`);

    t.clock.now = new Date(Date.parse(row.expires_at) + 1000);
    await api(token).expect(401);
    expect(readable((await admin.get(`/admin/users/${userId}`).expect(200)).text)).toContain('Đã hết hạn');
    t.clock.now = new Date();

    const list = sipas(['token', 'list', '--username', 'quanly.vinh'], env);
    expect(list.stdout).toMatch(new RegExp(`^${id}\\tquanly\\.vinh\\tphan-mem-mot-cua\\t.*valid until`, 'm'));
    expect(sipas(['token', 'revoke', '--id', String(id)], env).stdout).toContain('revoked 1');
    await api(token).expect(401);
    expect(sipas(['token', 'revoke', '--id', String(id)], env).stderr).toContain('not already revoked');
    expect(sipas(['token', 'create', '--username', 'quanly.vinh', '--expires-days', '0'], env).stderr).toContain('from 1 to 3650');
  });

  it('a token made without --expires-days lasts 365 days; token revoke --username U --all revokes every one', async () => {
    const made = [1, 2].map(() => sipas(['token', 'create', '--username', 'quanly.vinh'], env).stdout.trim().split('\n').at(-1) ?? '');
    const rows = await t.db.selectFrom('api_tokens').select(['created_at', 'expires_at']).where('revoked_at', 'is', null).execute();
    for (const r of rows) expect(Date.parse(r.expires_at) - Date.parse(r.created_at)).toBe(365 * 86_400_000);
    for (const token of made) await api(token).expect(200);
    expect(sipas(['token', 'revoke', '--username', 'quanly.vinh', '--all'], env).stdout).toContain('revoked 2');
    for (const token of made) await api(token).expect(401);
  });
});
