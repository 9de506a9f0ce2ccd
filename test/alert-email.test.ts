/**
 * Issue 22, email: the weekly digest and the immediate alert email, delivered to a real SMTP server
 * on 127.0.0.1 (smtp-server) and read back with mailparser as a mail client would: the subject in
 * Vietnamese UTF-8, a plain-text and an HTML part, the one-click unsubscribe headers and a link that
 * works; one digest per recipient when two app servers tick at once; a server down on Monday sends
 * that week's digest when it comes back, once; the limit on immediate emails; and without SMTP_URL
 * nothing is sent and nothing fails. The clock is the injected `now`.
 */
import type { AddressInfo } from 'node:net';
import { type ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Kysely } from 'kysely';
import type { AlertRule, AlertStatus, AlertSubjectKind, Database } from '../db/schema.ts';
import { createMailer, type MailDeps } from '../server/alerts/mail.ts';
import { runAlerts } from '../server/alerts/run.ts';
import { createScheduler, type Scheduler } from '../server/alerts/scheduler.ts';
import { createLogger } from '../server/log.ts';
import { startTestApp, type TestApp } from './support/app.ts';
import { buildDesk, storeResponses } from './support/builders.ts';
import { DIALECTS } from './support/dialects.ts';
import { buildUser } from './support/staff.ts';

interface Received {
  to: string[];
  mail: ParsedMail;
}

/** A mail server that keeps what it is sent: no TLS, no authentication (the settings of a relay on the intranet). */
async function startSmtp(): Promise<{ port: number; received: Received[]; close(): Promise<void> }> {
  const received: Received[] = [];
  const server = new SMTPServer({
    secure: false,
    disabledCommands: ['STARTTLS', 'AUTH'],
    authOptional: true,
    logger: false,
    onData(stream, session, callback) {
      simpleParser(stream).then(
        (mail) => {
          received.push({ to: session.envelope.rcptTo.map((r) => r.address), mail });
          callback();
        },
        (error: Error) => callback(error),
      );
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  return { port, received, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

const silent = createLogger('silent');

function depsOf(t: TestApp): MailDeps {
  return { db: t.db, config: t.config, secret: t.ready.secret, logger: silent, mailer: createMailer(t.config) };
}

function schedulerOf(t: TestApp, holder: string): Scheduler {
  return createScheduler({ ...depsOf(t), now: () => t.clock.now, holder });
}

async function unitIdOf(db: Kysely<Database>, code: string): Promise<number> {
  return (await db.selectFrom('units').select('id').where('code', '=', code).executeTakeFirstOrThrow()).id;
}

async function withEmail(db: Kysely<Database>, id: number, email: string, lang: 'vi' | 'en' = 'vi'): Promise<void> {
  await db.updateTable('users').set({ email, lang }).where('id', '=', id).execute();
}

/** An alert row written directly (the evaluation is not what these tests are about). */
async function insertAlert(
  db: Kysely<Database>,
  a: { rule?: AlertRule; kind: AlertSubjectKind; subjectId: number; unitId: number | null; openedAt: string; status?: AlertStatus },
): Promise<number> {
  const rule = a.rule ?? 'below_target';
  const status = a.status ?? 'open';
  const { id } = await db
    .insertInto('alerts')
    .values({
      alert_key: `${rule}|${a.kind}:${a.subjectId}`,
      rule,
      subject_kind: a.kind,
      subject_id: a.subjectId,
      unit_id: a.unitId,
      window: '30d',
      period_from: '2026-11-04',
      period_to: '2026-12-03',
      value: 0.7,
      target: 0.87,
      bound: 0.851,
      n: 60,
      details_json: JSON.stringify({ yes: 42 }),
      status,
      opened_at: a.openedAt,
      evaluated_at: a.openedAt,
      acknowledged_at: null,
      acknowledged_by: null,
      closed_at: status === 'closed' ? a.openedAt : null,
      close_reason: status === 'closed' ? 'recovered' : null,
      closed_value: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return id;
}

/** The evaluation of that day ran already (another server): a tick then does only the digest and webhooks. */
async function evaluated(db: Kysely<Database>, day: string): Promise<void> {
  await db
    .insertInto('job_runs')
    .values({ job: 'evaluate', run_key: day, holder: 'elsewhere', started_at: `${day}T18:00:00.000Z`, lease_until: `${day}T18:10:00.000Z`, finished_at: `${day}T18:01:00.000Z`, summary: '{}' })
    .onConflict((oc) => oc.columns(['job', 'run_key']).doNothing())
    .execute();
}

function textOf(mail: ParsedMail): string {
  return typeof mail.text === 'string' ? mail.text : '';
}

/** A header as it was sent (unfolded), without its name. */
function headerText(mail: ParsedMail, name: string): string {
  const line = mail.headerLines.find((h) => h.key === name)?.line ?? '';
  return line.slice(line.indexOf(':') + 1).replace(/\r?\n[ \t]+/g, ' ').trim();
}

describe.each(DIALECTS)('on %s', { timeout: 120_000 }, (dialect) => {
  describe('the weekly digest', () => {
    let t: TestApp;
    let smtp: Awaited<ReturnType<typeof startSmtp>>;
    let managerId: number;
    const sent = (address: string) => smtp.received.filter((r) => r.to.includes(address));

    beforeAll(async () => {
      smtp = await startSmtp();
      t = await startTestApp(dialect, { SMTP_URL: `smtp://127.0.0.1:${smtp.port}/?ignoreTLS=true`, MAIL_FROM: 'SIPAS Nghệ An <khaosat@nghean.gov.vn>' });
      const vinhHung = await unitIdOf(t.db, '17920');
      managerId = await buildUser(t.db, 'quanly', 'manager', '17920');
      await withEmail(t.db, managerId, 'quanly@vinhhung.gov.vn');
      await withEmail(t.db, await buildUser(t.db, 'quantri', 'admin', null), 'quantri@nghean.gov.vn', 'en');
      await withEmail(t.db, await buildUser(t.db, 'xem', 'viewer', '16681'), 'xem@thanhvinh.gov.vn');
      // No address: no digest.
      await buildUser(t.db, 'khongthu', 'manager', '17920');
      const desk = await buildDesk(t.db, t.ready.secret, { unitCode: '17920', fields: ['dat-dai'] });
      // The week 30/11–06/12/2026: 58 of 60 satisfied at Vinh Hưng.
      await storeResponses(t.db, desk.id, 'dat-dai', '2026-12-02', [
        { copies: 58, ratings: { a: 5, b: 5, c: 5, d: 5, e: 5, overall: 5 } },
        { copies: 2, ratings: { a: 5, b: 5, c: 5, d: 5, e: 5, overall: 2 } },
      ]);
      // Opened that week and still open: the desk's (Vinh Hưng) and a field's (the province's, administrators only).
      await insertAlert(t.db, { kind: 'desk', subjectId: desk.id, unitId: vinhHung, openedAt: '2026-12-03T02:00:00.000Z' });
      const field = (await t.db.selectFrom('fields').select('id').where('code', '=', 'dat-dai').executeTakeFirstOrThrow()).id;
      await insertAlert(t.db, { kind: 'field', subjectId: field, unitId: null, openedAt: '2026-12-04T02:00:00.000Z' });
      // Opened that week but closed since: not "new".
      await insertAlert(t.db, { rule: 'fall', kind: 'unit', subjectId: vinhHung, unitId: vinhHung, openedAt: '2026-12-01T02:00:00.000Z', status: 'closed' });
      // Opened the week before, with a follow-up due 05/12/2026: past its day.
      const older = await insertAlert(t.db, { rule: 'suspect_run', kind: 'desk', subjectId: desk.id, unitId: vinhHung, openedAt: '2026-11-25T02:00:00.000Z' });
      await t.db
        .insertInto('alert_actions')
        .values({ alert_id: older, owner: 'Chị Lan, tổ một cửa', action: 'Rà soát phiếu nghi vấn', due_day: '2026-12-05', created_by: managerId, created_at: '2026-11-26T02:00:00.000Z', created_day: '2026-11-26' })
        .execute();
    }, 180_000);
    afterAll(async () => {
      await t?.close();
      await smtp?.close();
    });

    it('two app servers ticking at the same moment on Monday 07:00 send one digest to each account with an address', async () => {
      await evaluated(t.db, '2026-12-06');
      t.clock.now = new Date('2026-12-07T00:00:30Z'); // Monday 07:00:30 in Nghệ An
      const [a, b] = [schedulerOf(t, 'server-a'), schedulerOf(t, 'server-b')];
      const reports = await Promise.all([a.tick(), b.tick()]);
      // One of the two ran it, the other found it claimed.
      expect(reports.map((r) => r.digest ?? 'none').sort()).toEqual(['2026-W49', 'none']);
      expect(smtp.received.map((r) => r.to.join()).sort()).toEqual(['quanly@vinhhung.gov.vn', 'quantri@nghean.gov.vn', 'xem@thanhvinh.gov.vn']);
      // Later ticks of either server send nothing more.
      t.clock.now = new Date('2026-12-07T05:00:00Z');
      await Promise.all([a.tick(), b.tick()]);
      expect(smtp.received).toHaveLength(3);
      const run = await t.db.selectFrom('job_runs').selectAll().where('job', '=', 'digest').execute();
      expect(run).toHaveLength(1);
      expect(run[0]?.finished_at).not.toBeNull();
    });

    it("the manager's digest: a Vietnamese subject, the week's figures, the new alert and the late follow-up, text and HTML", () => {
      const [only] = sent('quanly@vinhhung.gov.vn');
      if (!only) throw new Error('no digest for the manager');
      const { mail } = only;
      expect(mail.subject).toBe('SIPAS Nghệ An: tuần 30/11–06/12/2026, 1 cảnh báo mới');
      // Sent encoded (RFC 2047, UTF-8), as every mail client reads it.
      expect(headerText(mail, 'subject')).toMatch(/^=\?UTF-8\?/i);
      expect(mail.from?.value).toEqual([{ name: 'SIPAS Nghệ An', address: 'khaosat@nghean.gov.vn' }]);
      const text = textOf(mail);
      expect(text).toContain('Kính gửi Ông/Bà Cán bộ quanly,');
      expect(text).toContain('Phường Vinh Hưng và các đơn vị trực thuộc');
      expect(text).toContain('Số phiếu: 60');
      // 58 of 60 = 96.7%; the week is provisional (read at 99.9%), whose lower bound is under 87%.
      expect(text).toContain('Tỷ lệ hài lòng chung: 96,7%, chỉ tiêu trên 87%: Chưa đủ cơ sở kết luận');
      expect(text).toContain('Cảnh báo mới trong tuần, còn mở (1)');
      expect(text).toContain('Việc khắc phục đã quá hạn (1)');
      expect(text).toContain('Chị Lan, tổ một cửa: Rà soát phiếu nghi vấn (hạn 05/12/2026)');
      expect(text).toContain('http://sipas.test/canh-bao');
      expect(text).toContain('http://sipas.test/dashboard?period=custom&from=2026-11-30&to=2026-12-06');
      expect(mail.html).toContain('<h2>Cảnh báo mới trong tuần, còn mở (1)</h2>');
      expect(mail.html).toContain('href="http://sipas.test/canh-bao"');
      expect(headerText(mail, 'list-unsubscribe-post')).toBe('List-Unsubscribe=One-Click');
    });

    it("an administrator's digest is in English and has the province's alert; a viewer elsewhere is told there is nothing new", () => {
      const admin = sent('quantri@nghean.gov.vn')[0]?.mail;
      expect(admin?.subject).toBe('SIPAS Nghệ An: week 30/11–06/12/2026, 2 new alerts');
      expect(textOf(admin as ParsedMail)).toContain('the whole province');
      const viewer = sent('xem@thanhvinh.gov.vn')[0]?.mail;
      expect(viewer?.subject).toBe('SIPAS Nghệ An: tuần 30/11–06/12/2026, không có cảnh báo mới');
      expect(textOf(viewer as ParsedMail)).toContain('Không có cảnh báo mới trong tuần.');
      expect(textOf(viewer as ParsedMail)).toContain('Số phiếu: 0');
    });

    it('the unsubscribe link of the email: a page with a button, then off with its audit entry; a changed link is refused', async () => {
      const mail = sent('quanly@vinhhung.gov.vn')[0]?.mail as ParsedMail;
      const header = /<(http:\/\/sipas\.test(\/thu\/huy-nhan\?[^>]+))>/.exec(headerText(mail, 'list-unsubscribe'));
      if (!header?.[2]) throw new Error('no List-Unsubscribe link');
      const path = header[2];
      expect(textOf(mail)).toContain(header[1]);
      const page = await request(t.app).get(path).expect(200);
      expect(page.text).toContain('Ngừng nhận thư cảnh báo');
      expect(page.text).toContain('<button type="submit"');
      // Opening the page changes nothing.
      expect((await t.db.selectFrom('users').select('alert_emails').where('id', '=', managerId).executeTakeFirstOrThrow()).alert_emails).toBe(1);

      const forged = path.replace(/sig=[^&]+/, 'sig=AAAA');
      const bad = await request(t.app).post(forged).type('form').send('List-Unsubscribe=One-Click').expect(400);
      expect(bad.text).toContain('Đường dẫn ngừng nhận thư này không đúng');
      const other = path.replace(`u=${managerId}`, `u=${managerId + 1}`);
      await request(t.app).get(other).expect(400);

      // The one-click POST of a mail client, without cookie or CSRF token.
      const done = await request(t.app).post(path).type('form').send('List-Unsubscribe=One-Click').expect(200);
      expect(done.text).toContain('Đã ngừng gửi thư');
      expect(done.text).toContain('đề nghị quản trị viên hệ thống bật lại');
      expect((await t.db.selectFrom('users').select('alert_emails').where('id', '=', managerId).executeTakeFirstOrThrow()).alert_emails).toBe(0);
      // A second click writes nothing more.
      await request(t.app).post(path).expect(200);
      const entries = await t.db.selectFrom('audit_log').selectAll().where('action', '=', 'user.unsubscribe').execute();
      expect(entries).toHaveLength(1);
      expect(entries[0]).toMatchObject({ user_id: managerId, subject: 'quanly' });
      expect(JSON.parse(entries[0]?.after_json ?? '{}')).toEqual({ alertEmails: false });
    });

    it("a server down on Monday sends that week's digest on Wednesday, once, and not to the account that unsubscribed", async () => {
      const before = smtp.received.length;
      await evaluated(t.db, '2026-12-15');
      await evaluated(t.db, '2026-12-16');
      t.clock.now = new Date('2026-12-16T02:00:00Z'); // Wednesday 09:00
      const server = schedulerOf(t, 'server-c');
      expect((await server.tick()).digest).toBe('2026-W50');
      const week = smtp.received.slice(before);
      expect(week.map((r) => r.to.join()).sort()).toEqual(['quantri@nghean.gov.vn', 'xem@thanhvinh.gov.vn']);
      expect(week.find((r) => r.to.includes('xem@thanhvinh.gov.vn'))?.mail.subject).toBe('SIPAS Nghệ An: tuần 07/12–13/12/2026, không có cảnh báo mới');
      t.clock.now = new Date('2026-12-17T02:00:00Z');
      await server.tick();
      expect(smtp.received.length).toBe(before + 2);
      // Never an older week's: W49 was sent once, W50 once.
      expect((await t.db.selectFrom('mail_log').select('run_key').where('kind', '=', 'digest').execute()).map((r) => r.run_key).sort()).toEqual([
        '2026-W49',
        '2026-W49',
        '2026-W49',
        '2026-W50',
        '2026-W50',
      ]);
    });

    it('a digest run whose holder stopped is taken over once its lease lapsed, skipping those already sent', async () => {
      const before = smtp.received.length;
      await evaluated(t.db, '2026-12-20');
      // Server "dead" claimed W51 on Monday at 07:00 and sent the administrator's, then stopped.
      await t.db
        .insertInto('job_runs')
        .values({ job: 'digest', run_key: '2026-W51', holder: 'dead', started_at: '2026-12-21T00:00:00.000Z', lease_until: '2026-12-21T00:10:00.000Z', finished_at: null, summary: null })
        .execute();
      const admin = (await t.db.selectFrom('users').select('id').where('username', '=', 'quantri').executeTakeFirstOrThrow()).id;
      await t.db.insertInto('mail_log').values({ user_id: admin, kind: 'digest', run_key: '2026-W51', address: 'quantri@nghean.gov.vn', subject: '…', sent_at: '2026-12-21T00:00:01.000Z' }).execute();
      const server = schedulerOf(t, 'server-d');
      t.clock.now = new Date('2026-12-21T00:05:00Z'); // the lease holds: nothing
      expect((await server.tick()).digest).toBeNull();
      t.clock.now = new Date('2026-12-21T00:11:00Z');
      expect((await server.tick()).digest).toBe('2026-W51');
      expect(smtp.received.slice(before).map((r) => r.to.join())).toEqual(['xem@thanhvinh.gov.vn']);
      expect(await t.db.selectFrom('job_runs').select(['holder', 'finished_at']).where('run_key', '=', '2026-W51').executeTakeFirstOrThrow()).toMatchObject({ holder: 'server-d' });
    });
  });

  describe('the immediate alert email', () => {
    let t: TestApp;
    let smtp: Awaited<ReturnType<typeof startSmtp>>;
    const sent = (address: string) => smtp.received.filter((r) => r.to.includes(address));
    const unhappy = [
      { copies: 20, ratings: { a: 5, b: 5, c: 5, d: 5, e: 5, overall: 5 } },
      { copies: 80, ratings: { a: 2, b: 2, c: 2, d: 2, e: 2, overall: 2 } },
    ];

    beforeAll(async () => {
      smtp = await startSmtp();
      t = await startTestApp(dialect, { SMTP_URL: `smtp://127.0.0.1:${smtp.port}/?ignoreTLS=true`, ALERT_EMAIL_MIN_MINUTES: '360' });
      await withEmail(t.db, await buildUser(t.db, 'quanly', 'manager', '17920'), 'quanly@vinhhung.gov.vn');
      await withEmail(t.db, await buildUser(t.db, 'quanlykhac', 'manager', '16681'), 'quanly@thanhvinh.gov.vn');
      await withEmail(t.db, await buildUser(t.db, 'xem', 'viewer', '17920'), 'xem@vinhhung.gov.vn');
      const desk = await buildDesk(t.db, t.ready.secret, { unitCode: '17920', fields: ['dat-dai'] });
      // 20 of 100 satisfied: far under 87% at any level.
      await storeResponses(t.db, desk.id, 'dat-dai', '2026-12-08', unhappy);
    }, 180_000);
    afterAll(async () => {
      await t?.close();
      await smtp?.close();
    });

    it("an alert that opens reaches its unit's manager in one email; not another unit's manager, nor a viewer", async () => {
      const now = new Date('2026-12-10T03:00:00Z');
      const run = await runAlerts(depsOf(t), { now });
      const mine = run.evaluation.opened.filter((a) => a.unit_id !== null);
      expect(mine.length).toBeGreaterThan(0);
      const [mail] = sent('quanly@vinhhung.gov.vn');
      expect(sent('quanly@vinhhung.gov.vn')).toHaveLength(1);
      expect(mail?.mail.subject).toMatch(/^SIPAS Nghệ An: /);
      expect(textOf(mail?.mail as ParsedMail)).toContain('Hệ thống vừa ghi nhận');
      expect(textOf(mail?.mail as ParsedMail)).toContain('Quầy');
      expect(mail?.mail.html).toContain('/thu/huy-nhan?u=');
      expect(sent('quanly@thanhvinh.gov.vn')).toHaveLength(0);
      expect(sent('xem@vinhhung.gov.vn')).toHaveLength(0);
      expect(run.emails.sent).toBe(1);
    });

    it('a second alert within ALERT_EMAIL_MIN_MINUTES sends none; it goes in the next email once the limit has passed', async () => {
      const second = await buildDesk(t.db, t.ready.secret, { unitCode: '17920', fields: ['dat-dai'] });
      await storeResponses(t.db, second.id, 'dat-dai', '2026-12-09', unhappy);
      const run = await runAlerts(depsOf(t), { now: new Date('2026-12-10T04:00:00Z') });
      expect(run.evaluation.opened.some((a) => a.subject_kind === 'desk' && a.subject_id === second.id)).toBe(true);
      expect(run.emails).toMatchObject({ sent: 0, held: 1 });
      expect(sent('quanly@vinhhung.gov.vn')).toHaveLength(1);

      // Seven hours after the first email: nothing new opens, the alert held back goes out.
      const later = await runAlerts(depsOf(t), { now: new Date('2026-12-10T10:00:00Z') });
      expect(later.evaluation.opened).toHaveLength(0);
      const mails = sent('quanly@vinhhung.gov.vn');
      expect(mails).toHaveLength(2);
      expect(textOf(mails[1]?.mail as ParsedMail)).toContain(`Quầy`);
      expect(textOf(mails[1]?.mail as ParsedMail)).not.toBe(textOf(mails[0]?.mail as ParsedMail));
      expect(await t.db.selectFrom('mail_log').select('run_key').where('kind', '=', 'alert').execute()).toHaveLength(2);
    });
  });

  describe('without SMTP_URL', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await startTestApp(dialect);
      await withEmail(t.db, await buildUser(t.db, 'quanly', 'manager', '17920'), 'quanly@vinhhung.gov.vn');
      const desk = await buildDesk(t.db, t.ready.secret, { unitCode: '17920', fields: ['dat-dai'] });
      await storeResponses(t.db, desk.id, 'dat-dai', '2026-12-05', [{ copies: 100, ratings: { a: 2, b: 2, c: 2, d: 2, e: 2, overall: 2 } }]);
    }, 180_000);
    afterAll(() => t?.close());

    it('the scheduler evaluates on Monday morning but sends nothing, claims no digest, and nothing fails', async () => {
      expect(createMailer(t.config)).toBeNull();
      t.clock.now = new Date('2026-12-07T01:00:00Z');
      const report = await schedulerOf(t, 'server-a').tick();
      expect(report).toMatchObject({ evaluated: '2026-12-06', digest: null });
      expect(await t.db.selectFrom('alerts').select('id').execute()).not.toHaveLength(0);
      expect(await t.db.selectFrom('mail_log').selectAll().execute()).toHaveLength(0);
      expect(await t.db.selectFrom('job_runs').select(['job', 'run_key']).execute()).toEqual([{ job: 'evaluate', run_key: '2026-12-06' }]);
    });
  });
});
