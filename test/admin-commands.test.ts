/**
 * The administration commands of units, desks, counter tablets, targets and questionnaires
 * (server/units/, server/desks/, server/targets/, server/questionnaires/) write their change and its
 * audit entry in one transaction (issue 19): with the audit log unwritable for a moment (renamed
 * away, as test/admin-desks.test.ts does for saving a desk), each write is refused whole (500) and
 * nothing of it is left; on the normal path each writes its change and exactly one entry with its
 * action. `sipas desk add` makes its desk with the same command as the pages, and logs it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDesk } from '../server/cli/desks.ts';
import type { StaffMember } from './support/actors.ts';
import { startTestApp, type TestApp } from './support/app.ts';
import { buildDesk } from './support/builders.ts';
import { withoutAuditLog } from './support/audit.ts';
import { DIALECTS } from './support/dialects.ts';
import { buildUser } from './support/staff.ts';


describe.each(DIALECTS)('on %s', (dialect) => {
  let t: TestApp;
  let admin: StaffMember;
  /** The audit entries with this action (and subject), in order. */
  const entries = (action: string, subject?: string) => {
    let q = t.db.selectFrom('audit_log').select(['action', 'subject', 'detail']).where('action', '=', action);
    if (subject !== undefined) q = q.where('subject', '=', subject);
    return q.orderBy('id').execute();
  };
  const unit = (code: string) => t.db.selectFrom('units').selectAll().where('code', '=', code).executeTakeFirst();
  const provinceId = async () => String((await t.db.selectFrom('units').select('id').where('kind', '=', 'province').executeTakeFirstOrThrow()).id);

  /** Posts `form` to `action` from the page `from`, first with the audit log away (refused whole), then as usual (done). */
  async function refusedThenDone(action: string, form: Record<string, string | string[]>, from: string): Promise<void> {
    const page = await admin.page(from);
    await withoutAuditLog(t.db, () => page.post(action, form).expect(500));
    expect((await admin.post(action, form, from)).status).toBe(303);
  }

  beforeAll(async () => {
    t = await startTestApp(dialect);
    await buildUser(t.db, 'quantri', 'admin', null);
    admin = await t.staff('quantri');
  });
  afterAll(() => t.close());

  it('units: creating, changing, deactivating and deleting one, each with one entry or not at all', async () => {
    const form = { code: 'THU-NGHIEM', name: 'Xã Thử Nghiệm', kind: 'commune', parent: await provinceId() };
    await refusedThenDone('/admin/units', form, '/admin/units/new');
    expect(await entries('unit.create', 'THU-NGHIEM')).toHaveLength(1);
    const made = await unit('THU-NGHIEM');
    expect(made?.name).toBe('Xã Thử Nghiệm');
    const id = made?.id ?? 0;

    const page = await admin.page(`/admin/units/${id}/edit`);
    await withoutAuditLog(t.db, () => page.post(`/admin/units/${id}`, { ...form, name: 'Xã Đổi Tên' }).expect(500));
    expect((await unit('THU-NGHIEM'))?.name).toBe('Xã Thử Nghiệm');
    expect((await admin.post(`/admin/units/${id}`, { ...form, name: 'Xã Đổi Tên' }, `/admin/units/${id}/edit`)).status).toBe(303);
    expect((await unit('THU-NGHIEM'))?.name).toBe('Xã Đổi Tên');
    expect(await entries('unit.update', 'THU-NGHIEM')).toHaveLength(1);

    await refusedThenDone(`/admin/units/${id}/active`, { active: '0' }, `/admin/units/${id}`);
    expect((await unit('THU-NGHIEM'))?.active).toBe(0);
    expect(await entries('unit.deactivate', 'THU-NGHIEM')).toHaveLength(1);
    expect(await entries('unit.activate', 'THU-NGHIEM')).toHaveLength(0);

    const before = await admin.page(`/admin/units/${id}`);
    await withoutAuditLog(t.db, () => before.post(`/admin/units/${id}/delete`).expect(500));
    expect(await unit('THU-NGHIEM')).toBeDefined();
    expect((await admin.post(`/admin/units/${id}/delete`, {}, `/admin/units/${id}`)).status).toBe(303);
    expect(await unit('THU-NGHIEM')).toBeUndefined();
    expect(await entries('unit.delete', 'THU-NGHIEM')).toHaveLength(1);
  });

  it('units: an imported file is taken with its entry or not at all', async () => {
    const file = { file: { content: 'code,name,kind,parent_code\r\nNHAP-1,Xã Nhập Một,commune,\r\nNHAP-2,Xã Nhập Hai,commune,NHAP-1\r\n', filename: 'nhap.csv', contentType: 'text/csv' } };
    const page = await admin.page('/admin/units');
    await withoutAuditLog(t.db, () => page.upload('/admin/units/import', {}, file).expect(500));
    expect(await unit('NHAP-1')).toBeUndefined();
    expect(await unit('NHAP-2')).toBeUndefined();
    expect((await admin.upload('/admin/units/import', {}, file, '/admin/units')).status).toBe(303);
    expect((await unit('NHAP-2'))?.parent_id).toBe((await unit('NHAP-1'))?.id);
    expect(await entries('unit.import', 'nhap.csv')).toEqual([{ action: 'unit.import', subject: 'nhap.csv', detail: '' }]);
  });

  it('desks: deactivating and rotating the QR code, each with one entry or not at all', async () => {
    const desk = await buildDesk(t.db, t.ready.secret, { code: 'LENH' });
    const row = () => t.db.selectFrom('desks').select(['active', 'token_version']).where('id', '=', desk.id).executeTakeFirstOrThrow();
    const subject = '16681/LENH';

    await refusedThenDone(`/admin/desks/${desk.id}/active`, { active: '0' }, `/admin/desks/${desk.id}`);
    expect((await row()).active).toBe(0);
    expect(await entries('desk.deactivate', subject)).toHaveLength(1);

    const version = (await row()).token_version;
    await refusedThenDone(`/admin/desks/${desk.id}/rotate`, {}, `/admin/desks/${desk.id}/rotate`);
    expect((await row()).token_version).toBe(version + 1);
    expect(await entries('desk.rotate', subject)).toHaveLength(1);
  });

  it('counter tablets: registering and revoking one, each with one entry or not at all', async () => {
    const desk = await buildDesk(t.db, t.ready.secret, { code: 'MAY' });
    const tablets = () => t.db.selectFrom('kiosks').select(['id', 'name', 'revoked_at']).where('desk_id', '=', desk.id).execute();
    await refusedThenDone(`/admin/desks/${desk.id}/kiosks`, { kiosk_name: 'Máy cửa số 1' }, `/admin/desks/${desk.id}`);
    const [tablet, ...others] = await tablets();
    expect(others).toEqual([]);
    expect(tablet?.name).toBe('Máy cửa số 1');
    expect(await entries('kiosk.create', '16681/MAY')).toEqual([{ action: 'kiosk.create', subject: '16681/MAY', detail: 'Máy cửa số 1' }]);

    const revoke = `/admin/desks/${desk.id}/kiosks/${tablet?.id}/revoke`;
    await refusedThenDone(revoke, {}, revoke);
    expect((await tablets())[0]?.revoked_at).not.toBeNull();
    expect(await entries('kiosk.revoke', '16681/MAY')).toHaveLength(1);
  });

  it('targets: saving one and adding a year, each with one entry or not at all', async () => {
    const indicator = await t.db.selectFrom('indicators').select(['id', 'code']).orderBy('position').executeTakeFirstOrThrow();
    const target = (year: number) =>
      t.db.selectFrom('targets').select(['threshold', 'confirmed']).where('indicator_id', '=', indicator.id).where('valid_from', '=', `${year}-01-01`).executeTakeFirst();
    const before = await target(2025);
    const form = { indicator: String(indicator.id), year: '2025', threshold: '91,5', source: 'Quyết định thử nghiệm' };
    const page = await admin.page('/admin/targets');
    await withoutAuditLog(t.db, () => page.post('/admin/targets', form).expect(500));
    expect(await target(2025)).toEqual(before);
    expect((await admin.post('/admin/targets', form, '/admin/targets')).status).toBe(303);
    expect(await target(2025)).toEqual({ threshold: 91.5, confirmed: 1 });
    expect(await entries('target.save', `${indicator.code} 2025`)).toHaveLength(1);

    const years = () => t.db.selectFrom('targets').select('id').where('valid_from', '=', '2031-01-01').execute();
    await withoutAuditLog(t.db, () => page.post('/admin/targets/year', { year: '2031' }).expect(500));
    expect(await years()).toEqual([]);
    expect((await admin.post('/admin/targets/year', { year: '2031' }, '/admin/targets')).status).toBe(303);
    expect((await years()).length).toBeGreaterThan(0);
    expect(await entries('target.year', '2031')).toHaveLength(1);
  });

  it('questionnaires: a new version and a change of its words, each with one entry or not at all', async () => {
    const versions = () => t.db.selectFrom('questionnaires').select(['id', 'version', 'title_vi']).where('code', '=', 'education').orderBy('version').execute();
    const seeded = await versions();
    const v1 = seeded.at(-1);
    const next = (v1?.version ?? 0) + 1;
    const from = `/admin/questionnaires/${v1?.id}`;
    const page = await admin.page(from);
    await withoutAuditLog(t.db, () => page.post(`${from}/new-version`).expect(500));
    expect(await versions()).toHaveLength(seeded.length);
    expect((await admin.post(`${from}/new-version`, {}, from)).status).toBe(303);
    const v2 = (await versions()).at(-1);
    expect(v2?.version).toBe(next);
    expect(await entries('questionnaire.version', `education v${next}`)).toEqual([{ action: 'questionnaire.version', subject: `education v${next}`, detail: `copied from v${v1?.version}` }]);

    const id = v2?.id ?? 0;
    const q = await t.db.selectFrom('questionnaires').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    const form: Record<string, string> = { title_vi: 'Phiếu đã đổi tên', title_en: q.title_en, intro_vi: q.intro_vi, intro_en: q.intro_en };
    for (const e of await t.db.selectFrom('elements').selectAll().where('questionnaire_id', '=', id).execute()) {
      form[`element_${e.id}_vi`] = e.name_vi;
      form[`element_${e.id}_en`] = e.name_en;
    }
    for (const x of await t.db.selectFrom('questions').selectAll().where('questionnaire_id', '=', id).execute()) {
      form[`q_${x.id}_position`] = String(x.position + 1);
      form[`q_${x.id}_vi`] = x.text_vi;
      form[`q_${x.id}_en`] = x.text_en;
      if (x.role === 'criterion' && x.element_code) form[`q_${x.id}_element`] = x.element_code;
      if (x.required) form[`q_${x.id}_required`] = '1';
    }
    const editor = await admin.page(`/admin/questionnaires/${id}`);
    await withoutAuditLog(t.db, () => editor.post(`/admin/questionnaires/${id}`, form).expect(500));
    expect((await versions()).at(-1)?.title_vi).toBe(q.title_vi);
    expect((await admin.post(`/admin/questionnaires/${id}`, form, `/admin/questionnaires/${id}`)).status).toBe(303);
    expect((await versions()).at(-1)?.title_vi).toBe('Phiếu đã đổi tên');
    expect(await entries('questionnaire.update', `education v${next}`)).toHaveLength(1);
  });

  it('`sipas desk add` makes its desk through the same command, with its entry (by the command line) or not at all', async () => {
    const values = { unit: '17380', code: 'CLI', name: 'Quầy từ dòng lệnh', fields: 'dat-dai' };
    await withoutAuditLog(t.db, () => expect(addDesk(t.db, values)).rejects.toThrow());
    const desk = () => t.db.selectFrom('desks').innerJoin('units', 'units.id', 'desks.unit_id').select('desks.name').where('units.code', '=', '17380').where('desks.code', '=', 'CLI').executeTakeFirst();
    expect(await desk()).toBeUndefined();
    await addDesk(t.db, values);
    expect(await desk()).toEqual({ name: 'Quầy từ dòng lệnh' });
    expect(await entries('desk.create', '17380/CLI')).toEqual([{ action: 'desk.create', subject: '17380/CLI', detail: 'cli' }]);
    // The pages' rules: a code that could not be printed is refused, in the command line's words.
    await expect(addDesk(t.db, { ...values, code: 'có dấu' })).rejects.toThrow(/--code có dấu: The desk code may hold only/);
    await expect(addDesk(t.db, values)).rejects.toThrow('already has a desk with that code');
  });
});
