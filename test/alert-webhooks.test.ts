/**
 * Issue 22, webhooks, on the real stack and both databases: a receiving server on 127.0.0.1 checks
 * each request's signature with the secret the settings page showed once (it recomputes the HMAC, so
 * a tampered body is refused), the deliveries are driven through the retry schedule with a moved
 * clock, and /canh-bao/cai-dat shows each try. Who may configure which webhook, bad URLs, the
 * routing of alerts to units' and the province's webhooks, and two senders at once are checked too;
 * so is the rule that keeps webhooks off the server's own addresses (WEBHOOK_ALLOW_LOOPBACK, which the
 * other tests set because their receivers listen on 127.0.0.1).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Alert } from '../db/schema.ts';
import { isRefusedAddress } from '../server/alerts/webhook-address.ts';
import { deliverDueWebhooks, enqueueAlertEvents } from '../server/alerts/webhooks.ts';
import { ConfigError, loadConfig } from '../server/start/config.ts';
import type { StaffMember } from './support/actors.ts';
import { startTestApp, type TestApp } from './support/app.ts';
import { DIALECTS } from './support/dialects.ts';
import { buildUser } from './support/staff.ts';

const T0 = new Date('2025-06-15T03:00:00Z'); // 10:00 in Vinh
const PAGE = '/canh-bao/cai-dat';
const minutes = (n: number) => n * 60_000;

/** What a receiver does with a request: recompute the signature from the secret it was given. */
function signatureIsValid(secret: string, headers: IncomingHttpHeaders, body: string): boolean {
  const timestamp = headers['x-sipas-timestamp'];
  const sent = headers['x-sipas-signature'];
  if (typeof timestamp !== 'string' || typeof sent !== 'string') return false;
  const expected = `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
  return expected.length === sent.length && timingSafeEqual(Buffer.from(expected), Buffer.from(sent));
}

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
  valid: boolean;
}

/** A receiving system: answers the nth request (1-based) with `status(n)`, after `delayMs`; refuses a bad signature with 401. */
async function receiver(status: (n: number) => number, delayMs = 0) {
  const got: Received[] = [];
  const state = { secret: '' };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const valid = signatureIsValid(state.secret, req.headers, body);
      got.push({ headers: req.headers, body, valid });
      const n = got.length;
      setTimeout(() => {
        res.statusCode = valid ? status(n) : 401;
        res.end('ok');
      }, delayMs);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/sipas/canh-bao`,
    got,
    state,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

describe.each(DIALECTS)('webhooks on %s', (dialect) => {
  let t: TestApp;
  let admin: StaffMember;
  let unitA: number;
  let unitB: number;

  beforeAll(async () => {
    t = await startTestApp(dialect, { WEBHOOK_ALLOW_LOOPBACK: '1' });
    unitA = (await t.db.selectFrom('units').select('id').where('code', '=', '16681').executeTakeFirstOrThrow()).id; // Phường Thành Vinh
    unitB = (await t.db.selectFrom('units').select('id').where('code', '=', '17920').executeTakeFirstOrThrow()).id; // Phường Vinh Hưng
    await buildUser(t.db, 'quantri', 'admin', null);
    await buildUser(t.db, 'quanly', 'manager', '16681');
    await buildUser(t.db, 'canbo', 'viewer', '16681');
    admin = await t.staff('quantri');
  }, 120_000);
  afterAll(() => t?.close());

  beforeEach(async () => {
    t.clock.now = T0;
    await t.db.deleteFrom('webhook_attempts').execute();
    await t.db.deleteFrom('webhook_deliveries').execute();
    await t.db.deleteFrom('webhooks').execute();
    await t.db.deleteFrom('alerts').execute();
  });

  /** Adds a webhook from the settings page; the secret as the page shows it, once. */
  async function addWebhook(member: StaffMember, url: string, unit: number | null): Promise<{ id: number; secret: string }> {
    const res = await member.post(`${PAGE}/webhooks`, { url, unit: unit === null ? '' : String(unit) }, PAGE);
    expect(res.status).toBe(200);
    const secret = /id="webhook-secret">([0-9a-f]+)</.exec(res.text)?.[1];
    expect(secret).toMatch(/^[0-9a-f]{64}$/);
    const row = await t.db.selectFrom('webhooks').select('id').where('url', '=', url).orderBy('id', 'desc').executeTakeFirstOrThrow();
    return { id: row.id, secret: secret ?? '' };
  }

  let alertSeq = 0;
  /** An alert of a unit as the evaluation writes it: its dossiers on time below target this quarter. */
  async function openAlert(unitId: number, db: TestApp['db'] = t.db): Promise<Alert> {
    alertSeq += 1;
    const id = (
      await db
        .insertInto('alerts')
        .values({
          alert_key: `dossier_on_time|unit:${unitId}|${alertSeq}`,
          rule: 'dossier_on_time',
          subject_kind: 'unit',
          subject_id: unitId,
          unit_id: unitId,
          window: 'quarter',
          period_from: '2025-04-01',
          period_to: '2025-06-14',
          value: 0.8,
          target: 0.9,
          bound: null,
          n: 120,
          details_json: JSON.stringify({ late: 24, apologised: 10, unapologised: 14 }),
          status: 'open',
          opened_at: T0.toISOString(),
          evaluated_at: T0.toISOString(),
          acknowledged_at: null,
          acknowledged_by: null,
          closed_at: null,
          close_reason: null,
          closed_value: null,
        })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
    return db.selectFrom('alerts').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  }

  const deliver = () => deliverDueWebhooks(t.db, { now: () => t.clock.now, allowLoopback: t.config.webhookAllowLoopback });
  const at = (ms: number) => {
    t.clock.now = new Date(T0.getTime() + ms);
  };
  /** The tries of one delivery as the page's log shows them. */
  const triesOnPage = (html: string, deliveryId: number) =>
    [...(new RegExp(`<tr id="delivery-${deliveryId}"[\\s\\S]*?</tr>`).exec(html)?.[0] ?? '').matchAll(/<li>([^<]*)<\/li>/g)].map((m) => (m[1] ?? '').replace(/, \d+ ms$/, ''));

  it('retries a receiver that answers 500 three times, then 200: delivered after 4 tries, each signed and in the log', async () => {
    const hook = await receiver((n) => (n <= 3 ? 500 : 200));
    try {
      const { secret } = await addWebhook(admin, hook.url, null);
      hook.state.secret = secret;
      const alert = await openAlert(unitA);
      expect(await enqueueAlertEvents(t.db, { opened: [alert], closed: [] }, T0, t.config.baseUrl)).toBe(1);

      expect(await deliver()).toEqual({ tried: 1, delivered: 0, failed: 1 });
      // Not due again before its minute has passed.
      at(minutes(1) - 1000);
      expect(await deliver()).toEqual({ tried: 0, delivered: 0, failed: 0 });
      at(minutes(1));
      expect(await deliver()).toEqual({ tried: 1, delivered: 0, failed: 1 });
      at(minutes(1 + 5));
      expect(await deliver()).toEqual({ tried: 1, delivered: 0, failed: 1 });
      at(minutes(1 + 5 + 30));
      expect(await deliver()).toEqual({ tried: 1, delivered: 1, failed: 0 });
      at(minutes(24 * 60));
      expect(await deliver()).toEqual({ tried: 0, delivered: 0, failed: 0 });

      const delivery = await t.db.selectFrom('webhook_deliveries').selectAll().executeTakeFirstOrThrow();
      expect(delivery).toMatchObject({ status: 'delivered', attempts: 4, event: 'alert.opened', alert_id: alert.id, next_attempt_at: null, delivered_at: new Date(T0.getTime() + minutes(36)).toISOString() });
      expect(hook.got).toHaveLength(4);
      expect(hook.got.every((r) => r.valid)).toBe(true);
      // Every try sends the same bytes; its own timestamp is signed with them.
      expect(new Set(hook.got.map((r) => r.body)).size).toBe(1);
      expect(hook.got.map((r) => r.headers['x-sipas-timestamp'])).toEqual([0, 1, 6, 36].map((m) => String((T0.getTime() + minutes(m)) / 1000)));
      expect(hook.got[0]?.headers).toMatchObject({ 'content-type': 'application/json', 'x-sipas-event': 'alert.opened', 'x-sipas-delivery': String(delivery.id) });
      const payload = JSON.parse(hook.got[0]?.body ?? '{}') as { event: string; delivery: number; alert: Record<string, unknown>; sent_at: string };
      expect(payload).toMatchObject({ event: 'alert.opened', delivery: delivery.id, sent_at: T0.toISOString() });
      expect(payload.alert).toMatchObject({
        id: alert.id,
        rule: 'dossier_on_time',
        status: 'open',
        subject_kind: 'unit',
        subject_id: unitA,
        unit_id: unitA,
        window: 'quarter',
        period_from: '2025-04-01',
        period_to: '2025-06-14',
        value: 0.8,
        target: 0.9,
        n: 120,
        url: `http://sipas.test/canh-bao/${alert.id}`,
      });
      expect(String(payload.alert.title)).not.toBe('');
      expect(String(payload.alert.text)).toMatch(/[ạảãàáâậầấẩẫăắằặẳẵệếềểễộốồổỗơớờợởỡưứừựửữđ]/);
      expect(String(payload.alert.text_en)).not.toBe(payload.alert.text);

      // The page's log: the four tries at 10:00, 10:01, 10:06 and 10:36 in Vinh, with their statuses.
      const page = await admin.get(PAGE).expect(200);
      expect(triesOnPage(page.text, delivery.id)).toEqual(['15/06/2025 10:00: HTTP 500', '15/06/2025 10:01: HTTP 500', '15/06/2025 10:06: HTTP 500', '15/06/2025 10:36: HTTP 200']);
      expect(page.text).toContain(`Cảnh báo mới #${alert.id}`);
      expect(page.text).toContain('Đã gửi');
    } finally {
      await hook.close();
    }
  });

  it('gives up after 6 tries (waits of 1, 5, 30, 120 and 720 minutes) when the receiver never answers 2xx', async () => {
    const hook = await receiver(() => 503);
    try {
      hook.state.secret = (await addWebhook(admin, hook.url, unitA)).secret;
      await enqueueAlertEvents(t.db, { opened: [await openAlert(unitA)], closed: [] }, T0, t.config.baseUrl);
      let elapsed = 0;
      for (const wait of [0, 1, 5, 30, 120, 720]) {
        elapsed += wait;
        at(minutes(elapsed));
        expect(await deliver()).toEqual({ tried: 1, delivered: 0, failed: 1 });
      }
      at(minutes(elapsed + 7 * 24 * 60));
      expect(await deliver()).toEqual({ tried: 0, delivered: 0, failed: 0 });
      const delivery = await t.db.selectFrom('webhook_deliveries').selectAll().executeTakeFirstOrThrow();
      expect(delivery).toMatchObject({ status: 'failed', attempts: 6, next_attempt_at: null, delivered_at: null });
      const tries = await t.db.selectFrom('webhook_attempts').selectAll().where('delivery_id', '=', delivery.id).orderBy('id').execute();
      expect(tries.map((a) => a.status_code)).toEqual([503, 503, 503, 503, 503, 503]);
      expect(hook.got).toHaveLength(6);
      const page = await admin.get(PAGE).expect(200);
      expect(page.text).toContain('Không gửi được sau 6 lần thử');
      expect(triesOnPage(page.text, delivery.id)).toHaveLength(6);
    } finally {
      await hook.close();
    }
  });

  it('logs a receiver that cannot be reached (no status, the reason) and retries it', async () => {
    const gone = await receiver(() => 200);
    await gone.close();
    await addWebhook(admin, gone.url, null);
    await enqueueAlertEvents(t.db, { opened: [await openAlert(unitA)], closed: [] }, T0, t.config.baseUrl);
    expect(await deliver()).toEqual({ tried: 1, delivered: 0, failed: 1 });
    const attempt = await t.db.selectFrom('webhook_attempts').selectAll().executeTakeFirstOrThrow();
    expect(attempt.status_code).toBeNull();
    expect(attempt.error).toContain('ECONNREFUSED');
    const delivery = await t.db.selectFrom('webhook_deliveries').selectAll().executeTakeFirstOrThrow();
    expect(delivery).toMatchObject({ status: 'pending', attempts: 1, next_attempt_at: new Date(T0.getTime() + minutes(1)).toISOString() });
    const page = await admin.get(PAGE).expect(200);
    expect(page.text).toContain('không kết nối được (ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:');
    expect(page.text).toContain('Chờ gửi lại lúc 15/06/2025 10:01');
  });

  it('says why fetch refused a port it will not use ("bad port"), not just "fetch failed"', async () => {
    await addWebhook(admin, 'http://127.0.0.1:1/sipas', null);
    await enqueueAlertEvents(t.db, { opened: [await openAlert(unitA)], closed: [] }, T0, t.config.baseUrl);
    expect(await deliver()).toEqual({ tried: 1, delivered: 0, failed: 1 });
    expect((await t.db.selectFrom('webhook_attempts').select('error').executeTakeFirstOrThrow()).error).toBe('bad port');
    expect((await admin.get(PAGE).expect(200)).text).toContain('không kết nối được (bad port)');
  });

  it("sends a unit's webhook its own unit's alerts only, and the province's webhook every alert", async () => {
    const a = await receiver(() => 200);
    const b = await receiver(() => 200);
    const province = await receiver(() => 200);
    try {
      a.state.secret = (await addWebhook(admin, a.url, unitA)).secret;
      b.state.secret = (await addWebhook(admin, b.url, unitB)).secret;
      province.state.secret = (await addWebhook(admin, province.url, null)).secret;
      const ofA = await openAlert(unitA);
      const ofB = await openAlert(unitB);
      expect(await enqueueAlertEvents(t.db, { opened: [ofA], closed: [ofB] }, T0, t.config.baseUrl)).toBe(4);
      expect(await deliver()).toEqual({ tried: 4, delivered: 4, failed: 0 });
      const alertsGot = (r: { got: Received[] }) => r.got.map((x) => [(JSON.parse(x.body) as { event: string; alert: { id: number } }).event, (JSON.parse(x.body) as { alert: { id: number } }).alert.id]);
      expect(alertsGot(a)).toEqual([['alert.opened', ofA.id]]);
      expect(alertsGot(b)).toEqual([['alert.closed', ofB.id]]);
      expect(alertsGot(province).sort()).toEqual([['alert.closed', ofB.id], ['alert.opened', ofA.id]].sort());
      expect([...a.got, ...b.got, ...province.got].every((r) => r.valid)).toBe(true);
      // A disabled webhook gets no new deliveries.
      await admin.post(`${PAGE}/webhooks/${(await t.db.selectFrom('webhooks').select('id').where('unit_id', '=', unitA).executeTakeFirstOrThrow()).id}/active`, { active: '0' }, PAGE).then((r) => expect(r.status).toBe(303));
      expect(await enqueueAlertEvents(t.db, { opened: [await openAlert(unitA)], closed: [] }, T0, t.config.baseUrl)).toBe(1);
    } finally {
      await Promise.all([a.close(), b.close(), province.close()]);
    }
  });

  it("the receiver's check is real: a tampered body, another timestamp or another secret fails it", async () => {
    const hook = await receiver(() => 200);
    try {
      const { secret } = await addWebhook(admin, hook.url, null);
      hook.state.secret = secret;
      await enqueueAlertEvents(t.db, { opened: [await openAlert(unitA)], closed: [] }, T0, t.config.baseUrl);
      await deliver();
      const got = hook.got[0];
      if (!got) throw new Error('nothing received');
      expect(signatureIsValid(secret, got.headers, got.body)).toBe(true);
      expect(signatureIsValid(secret, got.headers, got.body.replace('"value":0.8', '"value":0.95'))).toBe(false);
      expect(signatureIsValid(secret, { ...got.headers, 'x-sipas-timestamp': String(Number(got.headers['x-sipas-timestamp']) + 1) }, got.body)).toBe(false);
      expect(signatureIsValid('0'.repeat(64), got.headers, got.body)).toBe(false);
      // And a receiver holding the wrong secret refuses (401), which is retried like any failure.
      hook.state.secret = 'f'.repeat(64);
      await enqueueAlertEvents(t.db, { opened: [await openAlert(unitA)], closed: [] }, T0, t.config.baseUrl);
      expect(await deliver()).toEqual({ tried: 1, delivered: 0, failed: 1 });
      expect(hook.got[1]?.valid).toBe(false);
    } finally {
      await hook.close();
    }
  });

  it('two senders at once send each try once', async () => {
    const hook = await receiver(() => 200, 30);
    try {
      hook.state.secret = (await addWebhook(admin, hook.url, null)).secret;
      const alerts = [await openAlert(unitA), await openAlert(unitB), await openAlert(unitA)];
      expect(await enqueueAlertEvents(t.db, { opened: alerts, closed: [] }, T0, t.config.baseUrl)).toBe(3);
      const [one, two] = await Promise.all([deliver(), deliver()]);
      expect((one?.tried ?? 0) + (two?.tried ?? 0)).toBe(3);
      expect(hook.got).toHaveLength(3);
      expect(new Set(hook.got.map((r) => r.headers['x-sipas-delivery'])).size).toBe(3);
      const attempts = await t.db.selectFrom('webhook_attempts').select('delivery_id').execute();
      expect(attempts).toHaveLength(3);
      expect(await t.db.selectFrom('webhook_deliveries').select('status').where('status', '!=', 'delivered').execute()).toEqual([]);
    } finally {
      await hook.close();
    }
  });

  it('"Gửi thử" sends a signed ping at once and says what the receiver answered', async () => {
    const hook = await receiver(() => 204);
    try {
      const { id, secret } = await addWebhook(admin, hook.url, null);
      hook.state.secret = secret;
      const res = await admin.post(`${PAGE}/webhooks/${id}/ping`, {}, PAGE);
      expect(res.status).toBe(303);
      expect(hook.got).toHaveLength(1);
      expect(hook.got[0]).toMatchObject({ valid: true, headers: { 'x-sipas-event': 'ping' } });
      expect(JSON.parse(hook.got[0]?.body ?? '{}')).toMatchObject({ event: 'ping', webhook: { id, unit_id: null } });
      const page = await admin.get(PAGE).expect(200);
      expect(page.text).toContain(`Đã gửi thử đến ${hook.url}: hệ thống nhận trả lời HTTP 204.`);
      expect(page.text).toContain('Gửi thử</td>');
      expect(page.text).toMatch(/<div class="notice notice--success" role="status">\s*<p>Đã gửi thử đến/);
    } finally {
      await hook.close();
    }
  });

  it('a "Gửi thử" that fails is shown as a failure (red, read out at once), with the reason', async () => {
    const hook = await receiver(() => 500);
    try {
      const { id, secret } = await addWebhook(admin, hook.url, null);
      hook.state.secret = secret;
      expect((await admin.post(`${PAGE}/webhooks/${id}/ping`, {}, PAGE)).status).toBe(303);
      expect(hook.got).toHaveLength(1);
      const page = await admin.get(PAGE).expect(200);
      expect(page.text).toMatch(
        new RegExp(`<div class="notice notice--error" role="alert">\\s*<p>Gửi thử đến ${hook.url.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} không thành công: HTTP 500\\. Sẽ gửi lại theo lịch`),
      );
      expect(page.text).not.toContain('notice notice--success" role="status"');
    } finally {
      await hook.close();
    }
  });

  it('the page: email off without SMTP_URL, the webhooks with their unit, and each change audited without its secret', async () => {
    const page = await admin.get(PAGE).expect(200);
    expect(page.text).toContain('Email đang tắt: chưa đặt SMTP_URL, cảnh báo vẫn hiện trong ứng dụng (xem docs/configuration.md).');
    expect(page.text).toContain('Chưa có webhook nào.');
    const { id, secret } = await addWebhook(admin, 'https://hethong.thanhvinh.gov.vn/sipas', unitA);
    const listed = await admin.get(PAGE).expect(200);
    expect(listed.text).toMatch(
      /<code class="copyable">https:\/\/hethong\.thanhvinh\.gov\.vn\/sipas<\/code><\/th>\s*<td class="wrap"><span class="stack-label">Cảnh báo của: <\/span>Phường Thành Vinh<\/td>\s*<td><span class="stack-label">Trạng thái: <\/span>Đang gửi<\/td>\s*<td><span class="stack-label">Ngày tạo: <\/span>15\/06\/2025<\/td>/,
    );
    expect(listed.text).not.toContain(secret);
    expect((await admin.post(`${PAGE}/webhooks/${id}/active`, { active: '0' }, PAGE)).status).toBe(303);
    expect((await admin.get(PAGE).expect(200)).text).toContain('Đã tắt webhook https://hethong.thanhvinh.gov.vn/sipas.');
    expect((await t.db.selectFrom('webhooks').select('active').where('id', '=', id).executeTakeFirstOrThrow()).active).toBe(0);
    expect((await admin.post(`${PAGE}/webhooks/${id}/delete`, {}, PAGE)).status).toBe(303);
    expect(await t.db.selectFrom('webhooks').select('id').execute()).toEqual([]);
    const entries = await t.db.selectFrom('audit_log').selectAll().where('action', 'like', 'webhook.%').where('subject', 'like', `webhook ${id} %`).orderBy('id').execute();
    expect(entries.map((e) => e.action)).toEqual(['webhook.create', 'webhook.disable', 'webhook.delete']);
    for (const e of entries) expect(JSON.stringify(e)).not.toContain(secret);
  });

  it('with SMTP_URL set, the page says email is on and through which host (never its password)', async () => {
    const other = await startTestApp(dialect, { SMTP_URL: 'smtp://sipas:bi-mat@mail.nghean.gov.vn:587' });
    try {
      await buildUser(other.db, 'quantri', 'admin', null);
      const page = await (await other.staff('quantri')).get(PAGE).expect(200);
      expect(page.text).toContain('Email: đang bật, gửi qua mail.nghean.gov.vn:587.');
      expect(page.text).not.toContain('bi-mat');
    } finally {
      await other.close();
    }
  }, 60_000);

  it('a manager configures their own unit only: another unit or the province is refused (403) and nothing is written; a viewer gets 403', async () => {
    const manager = await t.staff('quanly');
    const page = await manager.get(PAGE).expect(200);
    // Email off: a manager, who cannot set it, is told whom to ask, not the setting's name.
    expect(page.text).toContain('Việc gửi cảnh báo qua email chưa được cài đặt trên hệ thống; cảnh báo vẫn hiện trong ứng dụng. Nếu cần nhận cảnh báo qua email, Ông/Bà hãy đề nghị quản trị viên hệ thống cài đặt.');
    expect(page.text).not.toContain('SMTP_URL');
    // Their unit is offered; the province and other units are not.
    expect(page.text).toContain(`<option value="${unitA}" selected>`);
    expect(page.text).not.toContain('<option value="">Toàn tỉnh</option>');
    expect(page.text).not.toContain(`<option value="${unitB}"`);
    const before = await t.db.selectFrom('audit_log').select('id').execute();
    expect((await manager.post(`${PAGE}/webhooks`, { url: 'https://vinhhung.example.vn/hook', unit: String(unitB) }, PAGE)).status).toBe(403);
    expect((await manager.post(`${PAGE}/webhooks`, { url: 'https://tinh.example.vn/hook', unit: '' }, PAGE)).status).toBe(403);
    expect(await t.db.selectFrom('webhooks').select('id').execute()).toEqual([]);
    expect(await t.db.selectFrom('audit_log').select('id').execute()).toHaveLength(before.length);
    // Their own unit's webhook they add; the province's (added by the administrator) they neither see nor change.
    await addWebhook(manager, 'https://thanhvinh.example.vn/hook', unitA);
    const provinceHook = await addWebhook(admin, 'https://tinh.example.vn/hook', null);
    const theirs = await manager.get(PAGE).expect(200);
    expect(theirs.text).toContain('https://thanhvinh.example.vn/hook');
    expect(theirs.text).not.toContain('https://tinh.example.vn/hook');
    expect((await manager.post(`${PAGE}/webhooks/${provinceHook.id}/delete`, {}, PAGE)).status).toBe(403);
    expect((await manager.post(`${PAGE}/webhooks/${provinceHook.id}/active`, { active: '0' }, PAGE)).status).toBe(403);
    expect(await t.db.selectFrom('webhooks').select(['url', 'active']).where('id', '=', provinceHook.id).executeTakeFirstOrThrow()).toEqual({ url: 'https://tinh.example.vn/hook', active: 1 });

    const viewer = await t.staff('canbo');
    expect((await viewer.get(PAGE)).status).toBe(403);
  });

  it('a bad URL gets its message, in Vietnamese and English, and nothing is written', async () => {
    const before = (await t.db.selectFrom('audit_log').select('id').execute()).length;
    const refused = await admin.post(`${PAGE}/webhooks`, { url: 'ftp://hethong.example.vn/hook', unit: '' }, PAGE);
    expect(refused.status).toBe(422);
    expect(refused.text).toContain('Địa chỉ nhận phải là một URL bắt đầu bằng http:// hoặc https://');
    expect(refused.text).toContain('value="ftp://hethong.example.vn/hook"');
    const long = await admin.post(`${PAGE}/webhooks`, { url: `https://example.vn/${'a'.repeat(490)}`, unit: '' }, PAGE);
    expect(long.status).toBe(422);
    expect(long.text).toContain('Địa chỉ nhận dài quá 500 ký tự.');
    const english = await admin.post(`${PAGE}/webhooks?lang=en`, { url: 'hethong.example.vn', unit: '' }, `${PAGE}?lang=en`);
    expect(english.status).toBe(422);
    expect(english.text).toContain('The address must be a URL starting with http:// or https://');
    expect(await t.db.selectFrom('webhooks').select('id').execute()).toEqual([]);
    expect(await t.db.selectFrom('audit_log').select('id').execute()).toHaveLength(before);
  });

  it('a URL with a user name or password is refused, in Vietnamese and English, and neither is stored anywhere', async () => {
    const before = (await t.db.selectFrom('audit_log').select('id').execute()).length;
    const refused = await admin.post(`${PAGE}/webhooks`, { url: 'https://sipas:bi-mat-9@hethong.example.vn/hook', unit: '' }, PAGE);
    expect(refused.status).toBe(422);
    expect(refused.text).toContain('Địa chỉ nhận không được chứa tên đăng nhập hay mật khẩu');
    const userOnly = await admin.post(`${PAGE}/webhooks?lang=en`, { url: 'https://sipas@hethong.example.vn/hook', unit: '' }, `${PAGE}?lang=en`);
    expect(userOnly.status).toBe(422);
    expect(userOnly.text).toContain('The address must not contain a user name or password');
    expect(await t.db.selectFrom('webhooks').select('id').execute()).toEqual([]);
    const audit = await t.db.selectFrom('audit_log').selectAll().execute();
    expect(audit).toHaveLength(before);
    expect(JSON.stringify(audit)).not.toContain('bi-mat-9');
  });

  it("without WEBHOOK_ALLOW_LOOPBACK: the server's own addresses are refused on save, and a name resolving to one fails at send with nothing sent", async () => {
    const strict = await startTestApp(dialect);
    const hook = await receiver(() => 200);
    try {
      expect(strict.config.webhookAllowLoopback).toBe(false);
      await buildUser(strict.db, 'quantri', 'admin', null);
      const boss = await strict.staff('quantri');
      const port = new URL(hook.url).port;
      // Written as an address (or localhost): refused on save, with its message, nothing written.
      for (const url of [hook.url, `http://localhost:${port}/sipas`, 'http://[::1]:8080/', 'http://169.254.169.254/latest/meta-data/', 'http://0.0.0.0:8080/', 'http://2130706433/', 'http://[::ffff:127.0.0.1]/']) {
        const refused = await boss.post(`${PAGE}/webhooks`, { url, unit: '' }, PAGE);
        expect(refused.status, url).toBe(422);
        expect(refused.text, url).toContain('Địa chỉ nhận là địa chỉ nội bộ của chính máy chủ');
      }
      const english = await boss.post(`${PAGE}/webhooks?lang=en`, { url: hook.url, unit: '' }, `${PAGE}?lang=en`);
      expect(english.status).toBe(422);
      expect(english.text).toContain('own internal addresses (127.x.x.x, localhost, ::1, 169.254.x.x, 0.x.x.x…), which is not allowed.');
      expect(await strict.db.selectFrom('webhooks').select('id').execute()).toEqual([]);
      // The province's intranet stays allowed.
      expect((await boss.post(`${PAGE}/webhooks`, { url: 'http://10.20.30.40:8080/sipas', unit: '' }, PAGE)).status).toBe(200);
      await strict.db.deleteFrom('webhooks').execute();

      // A host name: only resolving it tells. `localhost` resolves to 127.0.0.1 (and maybe ::1): the try is not made.
      const adminId = (await strict.db.selectFrom('users').select('id').where('username', '=', 'quantri').executeTakeFirstOrThrow()).id;
      const viaName = `${hook.url.replace('127.0.0.1', 'localhost')}`;
      const { id } = await strict.db
        .insertInto('webhooks')
        .values({ unit_id: null, url: viaName, secret: 'a'.repeat(64), created_by: adminId, created_at: T0.toISOString() })
        .returning('id')
        .executeTakeFirstOrThrow();
      await enqueueAlertEvents(strict.db, { opened: [await openAlert(unitA, strict.db)], closed: [] }, T0, strict.config.baseUrl);
      expect(await deliverDueWebhooks(strict.db, { now: () => T0, allowLoopback: strict.config.webhookAllowLoopback })).toEqual({ tried: 1, delivered: 0, failed: 1 });
      const attempt = await strict.db.selectFrom('webhook_attempts').selectAll().executeTakeFirstOrThrow();
      expect(attempt.status_code).toBeNull();
      expect(attempt.error).toMatch(/^internal-address (127\.0\.0\.1|::1)$/);
      // "Gửi thử" too: refused, shown as a failure with the reason.
      expect((await boss.post(`${PAGE}/webhooks/${id}/ping`, {}, PAGE)).status).toBe(303);
      const page = await boss.get(PAGE).expect(200);
      expect(page.text).toMatch(/<div class="notice notice--error" role="alert">\s*<p>Gửi thử đến [^<]* không thành công: địa chỉ nội bộ của máy chủ không được phép: (127\.0\.0\.1|::1)\. Sẽ gửi lại theo lịch/);
      expect(hook.got).toHaveLength(0);
    } finally {
      await hook.close();
      await strict.close();
    }
  }, 60_000);
});

describe('which addresses a webhook may not reach', () => {
  it("refuses the server's own (loopback, link-local, unspecified, multicast), allows the province's intranet and the Internet", () => {
    for (const a of ['127.0.0.1', '127.8.9.10', '::1', '169.254.169.254', 'fe80::1', '0.0.0.0', '0.1.2.3', '::', '224.0.0.1', 'ff02::1', '255.255.255.255', '::ffff:127.0.0.1', '[::1]']) expect(isRefusedAddress(a), a).toBe(true);
    for (const a of ['10.1.2.3', '172.16.0.1', '172.31.255.254', '192.168.1.10', '203.162.4.190', '2001:ee0:4f1::1', 'fd00::5']) expect(isRefusedAddress(a), a).toBe(false);
  });

  it('WEBHOOK_ALLOW_LOOPBACK takes 1 or 0 (unset: 0), and says so otherwise', () => {
    expect(loadConfig({}).webhookAllowLoopback).toBe(false);
    expect(loadConfig({ WEBHOOK_ALLOW_LOOPBACK: '1' }).webhookAllowLoopback).toBe(true);
    expect(loadConfig({ WEBHOOK_ALLOW_LOOPBACK: '0' }).webhookAllowLoopback).toBe(false);
    expect(() => loadConfig({ WEBHOOK_ALLOW_LOOPBACK: 'yes' })).toThrow(ConfigError);
  });
});
