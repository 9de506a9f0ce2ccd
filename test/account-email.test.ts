/**
 * Issue 22: an account's email address, the language of its emails and the switch, on the account
 * forms of /admin/users: a bad address is refused in the reader's language with nothing written; the
 * audit entry's before and after carry them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './support/app.ts';
import { DIALECTS } from './support/dialects.ts';
import { buildUser, postForm, signIn } from './support/staff.ts';

describe.each(DIALECTS)('on %s', (dialect) => {
  let t: TestApp;
  let admin: Awaited<ReturnType<typeof signIn>>;
  let unit: string;

  beforeAll(async () => {
    t = await startTestApp(dialect);
    await buildUser(t.db, 'quantri', 'admin', null);
    admin = await signIn(t.app, 'quantri');
    unit = String((await t.db.selectFrom('units').select('id').where('code', '=', '17920').executeTakeFirstOrThrow()).id);
  }, 120_000);
  afterAll(() => t?.close());

  const account = (fields: Record<string, string>) => ({ username: 'lan.nguyen', display_name: 'Nguyễn Thị Lan', role: 'manager', unit, ...fields });

  it('the new-account form offers the address, the language and the switch (ticked); a bad address is refused in Vietnamese or English', async () => {
    const page = await admin.get('/admin/users/new').expect(200);
    expect(page.text).toContain('name="email"');
    expect(page.text).toMatch(/<option value="en"\s*>English<\/option>/);
    expect(page.text).toMatch(/name="alert_emails" value="1" checked/);
    const bad = await postForm(admin, '/admin/users/new', '/admin/users', account({ email: 'lan@', lang: 'vi', alert_emails: '1' }));
    expect(bad.status).toBe(422);
    expect(bad.text).toContain('Địa chỉ email không hợp lệ. Vui lòng nhập dạng ten@donvi.gov.vn, hoặc để trống.');
    expect(bad.text).toContain('value="lan@"');
    const en = await postForm(admin, '/admin/users/new?lang=en', '/admin/users?lang=en', account({ email: 'lan nguyen@vinhhung.gov.vn', lang: 'en' }));
    expect(en.status).toBe(422);
    expect(en.text).toContain('This email address is not valid.');
    const wrongLang = await postForm(admin, '/admin/users/new', '/admin/users', account({ email: '', lang: 'fr' }));
    expect(wrongLang.text).toContain('Vui lòng chọn Tiếng Việt hoặc English.');
    expect(await t.db.selectFrom('users').select('id').where('username', '=', 'lan.nguyen').executeTakeFirst()).toBeUndefined();
  });

  it('creating and changing an account stores them, and the audit entries say before and after', async () => {
    const created = await postForm(admin, '/admin/users/new', '/admin/users', account({ email: 'lan@vinhhung.gov.vn', lang: 'en', alert_emails: '1' }));
    expect(created.status).toBe(200);
    const user = await t.db.selectFrom('users').select(['id', 'email', 'lang', 'alert_emails']).where('username', '=', 'lan.nguyen').executeTakeFirstOrThrow();
    expect(user).toMatchObject({ email: 'lan@vinhhung.gov.vn', lang: 'en', alert_emails: 1 });
    const create = await t.db.selectFrom('audit_log').select('after_json').where('action', '=', 'user.create').where('subject', '=', 'lan.nguyen').executeTakeFirstOrThrow();
    expect(JSON.parse(create.after_json ?? '{}')).toMatchObject({ email: 'lan@vinhhung.gov.vn', lang: 'en', alertEmails: true });

    // Unticked and emptied: no address, no emails.
    const saved = await postForm(admin, `/admin/users/${user.id}`, `/admin/users/${user.id}`, { display_name: 'Nguyễn Thị Lan', role: 'manager', unit, email: '', lang: 'vi' });
    expect(saved.status).toBe(303);
    expect(await t.db.selectFrom('users').select(['email', 'lang', 'alert_emails']).where('id', '=', user.id).executeTakeFirstOrThrow()).toEqual({ email: null, lang: 'vi', alert_emails: 0 });
    const update = await t.db.selectFrom('audit_log').select(['before_json', 'after_json']).where('action', '=', 'user.update').where('subject', '=', 'lan.nguyen').executeTakeFirstOrThrow();
    expect(JSON.parse(update.before_json ?? '{}')).toMatchObject({ email: 'lan@vinhhung.gov.vn', lang: 'en', alertEmails: true });
    expect(JSON.parse(update.after_json ?? '{}')).toMatchObject({ email: null, lang: 'vi', alertEmails: false });
  });
});
