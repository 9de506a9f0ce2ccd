/**
 * The account commands (server/accounts/, auth/setup.ts, auth/sign-in.ts) write their change and its
 * audit entry in one transaction (issue 19): with the audit log unwritable for a moment (renamed
 * away, as test/admin-desks.test.ts does for a desk), each write is refused whole and nothing of it
 * is left; on the normal path each writes exactly one entry with its action. The administration
 * page and the command line call the same commands, so the command line's calls are checked here too
 * (directly, as `sipas` calls them, with the operator as the actor).
 */
import { createHash } from 'node:crypto';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OPERATOR } from '../server/accounts/actor.ts';
import { createApiTokenFor, revokeAllApiTokens } from '../server/accounts/api-tokens.ts';
import { createAccount } from '../server/accounts/create-account.ts';
import { setAccountActive } from '../server/accounts/set-active.ts';
import { issueSetupLink } from '../server/auth/setup.ts';
import type { StaffMember } from './support/actors.ts';
import { startTestApp, type TestApp } from './support/app.ts';
import { withoutAuditLog } from './support/audit.ts';
import { DIALECTS } from './support/dialects.ts';
import { buildToken, buildUser, PASSWORD } from './support/staff.ts';


/** The one-time link's token shown on the page that answers the POST which made it. */
const linkToken = (html: string, path: 'set-password' | 'unlock') => new RegExp(`/${path}/([A-Za-z0-9_-]+)`).exec(html)?.[1] ?? '';
const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

describe.each(DIALECTS)('on %s', (dialect) => {
  let t: TestApp;
  let admin: StaffMember;
  const user = (username: string) => t.db.selectFrom('users').selectAll().where('username', '=', username).executeTakeFirstOrThrow();
  const unitId = async (code: string) => String((await t.db.selectFrom('units').select('id').where('code', '=', code).executeTakeFirstOrThrow()).id);
  /** The audit entries with this action (and subject), in order. */
  const entries = (action: string, subject?: string) => {
    let q = t.db.selectFrom('audit_log').select(['action', 'subject', 'detail', 'user_id']).where('action', '=', action);
    if (subject !== undefined) q = q.where('subject', '=', subject);
    return q.orderBy('id').execute();
  };

  beforeAll(async () => {
    t = await startTestApp(dialect);
    // The application's clock is the real one here: links and tokens are checked against it.
    t.clock.now = new Date();
  });
  afterAll(() => t.close());

  it('the first administrator (setup link): no account without its entry; then one account and one "user.create"', async () => {
    const path = new URL((await issueSetupLink(t.db, t.config.baseUrl)) ?? '').pathname;
    const person = t.visitor();
    const page = await person.page(path);
    const form = { username: 'dautien', display_name: 'Người Đầu Tiên', password: 'mot-mat-khau-dai', password_again: 'mot-mat-khau-dai' };
    await withoutAuditLog(t.db, () => page.post(path, form).expect(500));
    expect(await t.db.selectFrom('users').select('id').execute()).toEqual([]);

    await person.post(path, form).then((r) => expect(r.status).toBe(303));
    expect(await entries('user.create', 'dautien')).toEqual([{ action: 'user.create', subject: 'dautien', detail: 'first administrator via setup link', user_id: (await user('dautien')).id }]);

    await buildUser(t.db, 'quantri', 'admin', null);
    await buildUser(t.db, 'quanly.vinh', 'manager', '16681');
    admin = await t.staff('quantri');
  });

  it('signing in: a failure is counted only with its "login.failed" entry, a success recorded only with its "login" entry', async () => {
    const person = t.visitor({ 'X-Forwarded-For': '198.51.100.7' });
    await withoutAuditLog(t.db, () => person.signIn('quanly.vinh', 'sai-mat-khau').then((r) => expect(r.status).toBe(500)));
    expect(await t.db.selectFrom('sign_in_throttle').select('key').execute()).toEqual([]);
    await withoutAuditLog(t.db, () => person.signIn('quanly.vinh').then((r) => expect(r.status).toBe(500)));
    expect((await user('quanly.vinh')).last_login_at).toBeNull();
    await person.get('/dashboard').expect(303);

    await person.signIn('quanly.vinh', 'sai-mat-khau').then((r) => expect(r.status).toBe(401));
    expect(await entries('login.failed', 'quanly.vinh')).toHaveLength(1);
    expect((await t.db.selectFrom('sign_in_throttle').select('failures').execute()).map((r) => Number(r.failures))).toEqual([1, 1]);
    await person.signIn('quanly.vinh').then((r) => expect(r.status).toBe(303));
    expect(await entries('login', 'quanly.vinh')).toHaveLength(1);
    expect((await user('quanly.vinh')).last_login_at).not.toBeNull();
  });

  it('creating an account on the page: no account nor link without its entry; then one "user.create"', async () => {
    const form = { username: 'moi.vao', display_name: 'Mới Vào', role: 'viewer', unit: await unitId('16681') };
    await withoutAuditLog(t.db, () => admin.post('/admin/users', form, '/admin/users/new').then((r) => expect(r.status).toBe(500)));
    expect(await t.db.selectFrom('users').select('id').where('username', '=', 'moi.vao').execute()).toEqual([]);
    expect(await t.db.selectFrom('password_links').select('id').execute()).toEqual([]);

    const created = await admin.post('/admin/users', form, '/admin/users/new');
    expect(created.status).toBe(200);
    const token = linkToken(created.text, 'set-password');
    const id = (await user('moi.vao')).id;
    expect(await t.db.selectFrom('password_links').select(['user_id', 'purpose']).where('token_hash', '=', sha256(token)).execute()).toEqual([{ user_id: id, purpose: 'invite' }]);
    expect(await entries('user.create', 'moi.vao')).toEqual([{ action: 'user.create', subject: 'moi.vao', detail: '', user_id: (await user('quantri')).id }]);
  });

  it('setting a password with the link: the link stays unused and the password unset without its entry; then one "user.password.set"', async () => {
    const id = (await user('moi.vao')).id;
    // A fresh link for the account, made by the page.
    const reset = await admin.post(`/admin/users/${id}/reset`, {}, `/admin/users/${id}`);
    const path = `/set-password/${linkToken(reset.text, 'set-password')}`;
    expect(await entries('user.reset', 'moi.vao')).toHaveLength(1);
    const person = t.visitor();
    const page = await person.page(path);
    const form = { password: 'mat-khau-cua-moi-vao', password_again: 'mat-khau-cua-moi-vao' };
    await withoutAuditLog(t.db, () => page.post(path, form).expect(500));
    expect((await user('moi.vao')).password_hash).toBe('');
    await person.post(path, form).then((r) => expect(r.status).toBe(303));
    expect((await user('moi.vao')).password_hash).not.toBe('');
    expect(await entries('user.password.set', 'moi.vao')).toHaveLength(1);
  });

  it('a reset link and an unlock link: none written without its entry', async () => {
    const id = (await user('moi.vao')).id;
    await withoutAuditLog(t.db, async () => {
      await admin.post(`/admin/users/${id}/reset`, {}, `/admin/users/${id}`).then((r) => expect(r.status).toBe(500));
      await admin.post(`/admin/users/${id}/unlock`, {}, `/admin/users/${id}`).then((r) => expect(r.status).toBe(500));
    });
    expect(await t.db.selectFrom('password_links').select('id').where('user_id', '=', id).where('used_at', 'is', null).execute()).toEqual([]);
    expect(await t.db.selectFrom('unlock_links').select('id').execute()).toEqual([]);
    expect(await entries('user.reset', 'moi.vao')).toHaveLength(1);
  });

  it('using an unlock link: the link stays unused without its entry; then one "user.unlock.link" and one "user.unlock"', async () => {
    const id = (await user('moi.vao')).id;
    const made = await admin.post(`/admin/users/${id}/unlock`, {}, `/admin/users/${id}`);
    expect(made.status).toBe(200);
    expect(await entries('user.unlock.link', 'moi.vao')).toHaveLength(1);
    const path = `/unlock/${linkToken(made.text, 'unlock')}`;
    const person = t.visitor();
    const page = await person.page(path);
    await withoutAuditLog(t.db, () => page.post(path, {}).expect(500));
    expect(await t.db.selectFrom('unlock_links').select('used_at').where('user_id', '=', id).execute()).toEqual([{ used_at: null }]);
    await person.post(path, {}).then((r) => expect(r.status).toBe(200));
    expect(await entries('user.unlock', 'moi.vao')).toHaveLength(1);
  });

  it('changing an account: unchanged without its entry; then one "user.update"', async () => {
    const id = (await user('moi.vao')).id;
    const form = { display_name: 'Tên Đã Đổi', role: 'manager', unit: await unitId('16681') };
    await withoutAuditLog(t.db, () => admin.post(`/admin/users/${id}`, form).then((r) => expect(r.status).toBe(500)));
    expect(await user('moi.vao')).toMatchObject({ display_name: 'Mới Vào', role: 'viewer' });
    await admin.post(`/admin/users/${id}`, form).then((r) => expect(r.status).toBe(303));
    expect(await user('moi.vao')).toMatchObject({ display_name: 'Tên Đã Đổi', role: 'manager' });
    expect(await entries('user.update', 'moi.vao')).toHaveLength(1);
  });

  it('revoking a token on the page: still valid without its entry; then one "token.revoke"', async () => {
    const owner = await user('moi.vao');
    const token = await buildToken(t.db, owner.id);
    const tokenId = (await t.db.selectFrom('api_tokens').select('id').where('user_id', '=', owner.id).orderBy('id', 'desc').executeTakeFirstOrThrow()).id;
    const action = `/admin/users/${owner.id}/tokens/${tokenId}/revoke`;
    await withoutAuditLog(t.db, () => admin.post(action, {}, `/admin/users/${owner.id}`).then((r) => expect(r.status).toBe(500)));
    await request(t.app).get('/api/v1/indicators').set('Authorization', `Bearer ${token}`).expect(200);
    await admin.post(action, {}, `/admin/users/${owner.id}`).then((r) => expect(r.status).toBe(303));
    await request(t.app).get('/api/v1/indicators').set('Authorization', `Bearer ${token}`).expect(401);
    expect(await entries('token.revoke', 'moi.vao')).toEqual([{ action: 'token.revoke', subject: 'moi.vao', detail: `token ${tokenId}`, user_id: (await user('quantri')).id }]);
  });

  it('disabling an account on the page: still active, signed in and holding its tokens without its entry; then one "user.disable"', async () => {
    const id = await buildUser(t.db, 'sap.khoa', 'viewer', '16681');
    const token = await buildToken(t.db, id);
    const session = await t.staff('sap.khoa');
    await withoutAuditLog(t.db, () => admin.post(`/admin/users/${id}/active`, { active: '0' }, `/admin/users/${id}`).then((r) => expect(r.status).toBe(500)));
    expect((await user('sap.khoa')).active).toBe(1);
    await session.get('/dashboard').expect(200);
    await request(t.app).get('/api/v1/indicators').set('Authorization', `Bearer ${token}`).expect(200);

    await admin.post(`/admin/users/${id}/active`, { active: '0' }, `/admin/users/${id}`).then((r) => expect(r.status).toBe(303));
    await session.get('/dashboard').expect(303);
    expect(await entries('user.disable', 'sap.khoa')).toHaveLength(1);
    // A second click changes nothing and writes nothing, with the same answer.
    await admin.post(`/admin/users/${id}/active`, { active: '0' }, `/admin/users/${id}`).then((r) => expect(r.status).toBe(303));
    expect(await entries('user.disable', 'sap.khoa')).toHaveLength(1);
  });

  it('the command line calls the same commands: no account, token, revocation or change of state without its entry', async () => {
    const at = new Date().toISOString();
    const account = { username: 'tu.dong', displayName: 'Tự Động', role: 'viewer', unitId: Number(await unitId('16681')), paperEntry: false, password: 'nuoc-che-xanh-ben-song-lam' };
    await withoutAuditLog(t.db, () => expect(createAccount(t.db, OPERATOR, account, at)).rejects.toThrow());
    expect(await t.db.selectFrom('users').select('id').where('username', '=', 'tu.dong').execute()).toEqual([]);
    expect(await createAccount(t.db, OPERATOR, account, at)).toMatchObject({ ok: true, token: null });
    expect(await entries('user.create', 'tu.dong')).toEqual([{ action: 'user.create', subject: 'tu.dong', detail: 'cli viewer 16681', user_id: null }]);

    const owner = await user('tu.dong');
    await withoutAuditLog(t.db, () => expect(createApiTokenFor(t.db, OPERATOR, { user: owner, label: 'cli' }, new Date())).rejects.toThrow());
    expect(await t.db.selectFrom('api_tokens').select('id').where('user_id', '=', owner.id).execute()).toEqual([]);
    expect(await createApiTokenFor(t.db, OPERATOR, { user: owner, label: 'cli' }, new Date())).toMatchObject({ ok: true });
    expect(await entries('token.create', 'tu.dong')).toHaveLength(1);

    await withoutAuditLog(t.db, () => expect(revokeAllApiTokens(t.db, OPERATOR, owner, at)).rejects.toThrow());
    expect(await t.db.selectFrom('api_tokens').select('id').where('user_id', '=', owner.id).where('revoked_at', 'is', null).execute()).toHaveLength(1);
    expect(await revokeAllApiTokens(t.db, OPERATOR, owner, at)).toEqual({ ok: true, revoked: 1 });
    expect(await entries('token.revoke', 'tu.dong')).toEqual([{ action: 'token.revoke', subject: 'tu.dong', detail: 'all 1 tokens (cli)', user_id: null }]);

    await withoutAuditLog(t.db, () => expect(setAccountActive(t.db, OPERATOR, owner, false, at)).rejects.toThrow());
    expect((await user('tu.dong')).active).toBe(1);
    expect(await setAccountActive(t.db, OPERATOR, owner, false, at)).toEqual({ ok: true, ended: { sessions: 0, tokens: 0 } });
    expect(await entries('user.disable', 'tu.dong')).toEqual([{ action: 'user.disable', subject: 'tu.dong', detail: 'cli', user_id: null }]);
  });

  it('the rules are the same for the page and the command line: a manager may not make an administrator, the operator may', async () => {
    const manager = await t.staff('quanly.vinh');
    const refused = await manager.post('/admin/users', { username: 'leo.thang', display_name: 'Leo Thang', role: 'admin', unit: '' }, '/admin/users/new');
    expect(refused.status).toBe(422);
    const asOperator = await createAccount(t.db, OPERATOR, { username: 'leo.thang', displayName: 'Leo Thang', role: 'admin', unitId: null, paperEntry: false, password: PASSWORD }, new Date().toISOString());
    expect(asOperator).toMatchObject({ ok: true, role: 'admin' });
    const taken = await createAccount(t.db, OPERATOR, { username: 'leo.thang', displayName: 'Leo Thang', role: 'viewer', unitId: null, paperEntry: false, password: PASSWORD }, new Date().toISOString());
    expect(taken).toEqual({ ok: false, status: 422, problems: { username: { key: 'admin.user.error.taken', params: { username: 'leo.thang' } }, unit: { key: 'admin.user.error.unit.required' } } });
  });
});
