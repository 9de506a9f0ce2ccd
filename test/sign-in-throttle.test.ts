/**
 * Sign-in throttling as an attacker meets it: guessing one account from many addresses, trying one
 * password on many accounts from one address, a forged X-Forwarded-For, a restart or a second app
 * server in between; and as the officials behind a shared address meet it: still able to sign in.
 */
import type { Express } from 'express';
import type request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../server/app.ts';
import { waitSeconds, ACCOUNT_RULE } from '../server/auth/throttle.ts';
import { createLogger } from '../server/log.ts';
import { type Visitor, visitorAt } from './support/actors.ts';
import { startTestApp, type TestApp } from './support/app.ts';
import { countRows } from './support/db.ts';
import { DIALECTS } from './support/dialects.ts';
import { buildUser, PASSWORD } from './support/staff.ts';

/** One sign-in attempt from a browser (at address `from`), the way a person (or a script that reads the page) makes it. */
async function attempt(browser: Visitor, username: string, password: string, from?: string): Promise<request.Response> {
  if (from) browser.who['X-Forwarded-For'] = from;
  else delete browser.who['X-Forwarded-For'];
  return browser.signIn(username, password);
}

describe('the growing waits', () => {
  it('allow 5 failures, then ask for 1, 2, 4, 8 and at most 15 minutes after each further one', () => {
    const at = new Date('2025-06-15T03:00:00Z');
    const row = (failures: number) => ({ failures, window_start: at.toISOString(), last_failure_at: at.toISOString() });
    expect([4, 5, 6, 7, 8, 9, 20].map((f) => waitSeconds(ACCOUNT_RULE, row(f), at))).toEqual([0, 60, 120, 240, 480, 900, 900]);
    expect(waitSeconds(ACCOUNT_RULE, row(6), new Date(at.getTime() + 100_000))).toBe(20);
    // A day after the window opened, the count starts again.
    expect(waitSeconds(ACCOUNT_RULE, row(20), new Date(at.getTime() + 24 * 3600_000))).toBe(0);
  });
});

describe.each(DIALECTS)('on %s', (dialect) => {
  let t: TestApp;
  const later = (seconds: number) => {
    t.clock.now = new Date(t.clock.now.getTime() + seconds * 1000);
  };
  beforeAll(async () => {
    // The test client reaches the app from the loopback address, where a reverse proxy would be.
    t = await startTestApp(dialect, { TRUST_PROXY: 'loopback' });
    for (const name of ['canbo', 'quanly', 'ketoan', 'vanthu']) await buildUser(t.db, name, 'viewer', '16681');
  });
  afterAll(() => t.close());

  it('a burst of 20 attempts at once on a fresh account checks 5 passwords, not 17, and does not reveal the right one among the rest', async () => {
    await buildUser(t.db, 'thu.nhanh', 'viewer', '16681');
    // Twenty browsers of one script, each with its own sign-in form.
    const scripts = Array.from({ length: 20 }, () => t.visitor({ 'X-Forwarded-For': '203.0.113.200' }));
    const pages = await Promise.all(scripts.map((script) => script.page('/login')));
    const answers = await Promise.all(pages.map((page, i) => page.post('/login', { username: 'thu.nhanh', password: i === 11 ? PASSWORD : `doan-sai-${i}` })));
    const statuses = answers.map((r) => r.status);
    // Checked one at a time: the first 5 are wrong (401), every later one waits (429), the right one included.
    expect(statuses.filter((s) => s === 401)).toHaveLength(5);
    expect(statuses.filter((s) => s === 429)).toHaveLength(15);
    expect(statuses[11]).toBe(429);
  });

  it('one account guessed from ever new addresses is slowed with growing waits, on every app server and after a restart', async () => {
    const script = t.visitor();
    let address = 1;
    const from = () => `203.0.113.${address++}`;
    for (let i = 0; i < 5; i++) expect((await attempt(script, 'canbo', `doan-sai-${i}`, from())).status).toBe(401);
    const refused = await attempt(script, 'canbo', PASSWORD, from());
    expect(refused.status).toBe(429);
    expect(refused.headers['retry-after']).toBe('60');
    expect(refused.text).toContain('Vui lòng thử lại sau 1 phút');

    // Another app server over the same database, or this one restarted: the count is the same.
    const other: Express = createApp({ db: t.db, config: t.config, secret: t.ready.secret, logger: createLogger('silent'), now: () => t.clock.now });
    expect((await attempt(visitorAt(other), 'canbo', PASSWORD, from())).status).toBe(429);

    later(61);
    expect((await attempt(script, 'canbo', 'doan-sai-5', from())).status).toBe(401);
    const longer = await attempt(visitorAt(other), 'canbo', PASSWORD, from());
    expect(longer.status).toBe(429);
    expect(longer.headers['retry-after']).toBe('120');
    later(121);
    // The owner, from their usual address, after the wait.
    const owner = t.visitor();
    expect((await attempt(owner, 'canbo', PASSWORD, '198.51.100.7')).status).toBe(303);
    await owner.get('/dashboard').expect(200);
  });

  it('a correct password for another account still works from the address the script guesses from', async () => {
    later(3600);
    const shared = '198.51.100.20';
    const script = t.visitor();
    for (let i = 0; i < 6; i++) await attempt(script, 'ketoan', `doan-sai-${i}`, shared);
    expect((await attempt(script, 'ketoan', PASSWORD, shared)).status).toBe(429);
    const colleague = t.visitor();
    expect((await attempt(colleague, 'quanly', PASSWORD, shared)).status).toBe(303);
  });

  it('one address trying many accounts is slowed; a browser that signed in before still gets its own account', async () => {
    later(3600);
    const center = '2001:db8:40:1::10';
    // An official signs in on this browser in the morning.
    const official = t.visitor();
    expect((await attempt(official, 'vanthu', PASSWORD, center)).status).toBe(303);
    await official.signOut();

    // A script tries one common password on many accounts, from another address of the same /64.
    const script = t.visitor();
    for (let i = 0; i < 20; i++) expect((await attempt(script, `nguoi${i}`, 'Matkhau@123', `2001:db8:40:1::${100 + i}`)).status).toBe(401);
    expect((await attempt(script, 'nguoi20', 'Matkhau@123', center)).status).toBe(429);
    // A first sign-in on a new browser from that network waits too (docs/security.md says so) ...
    expect((await attempt(t.visitor(), 'quanly', PASSWORD, center)).status).toBe(429);
    // ... while the official's own browser is let through for their own account.
    expect((await attempt(official, 'vanthu', PASSWORD, center)).status).toBe(303);
    // Another /64 is another network.
    expect((await attempt(t.visitor(), 'quanly', PASSWORD, '2001:db8:40:2::10')).status).toBe(303);
  });

  it('a form refused for its CSRF token is not counted as a guess', async () => {
    later(3600);
    await t.db.deleteFrom('sign_in_throttle').execute();
    const forger = t.visitor();
    await forger.get('/login');
    // The token is the subject: a forged one, written by hand.
    for (let i = 0; i < 30; i++) {
      await forger.agent.post('/login').set('X-Forwarded-For', '192.0.2.50').type('form').send({ _csrf: 'forged', username: 'canbo', password: `doan-${i}` }).expect(403);
    }
    expect(await countRows(t.db, 'sign_in_throttle')).toBe(0);
    expect((await attempt(forger, 'canbo', PASSWORD, '192.0.2.50')).status).toBe(303);
  });

  it('keeps no account name and no address in clear', async () => {
    later(3600);
    await attempt(t.visitor(), 'canbo', 'doan-sai', '192.0.2.77');
    const stored = JSON.stringify(await t.db.selectFrom('sign_in_throttle').selectAll().execute());
    expect(stored).not.toContain('canbo');
    expect(stored).not.toContain('192.0.2.77');
  });
});

describe.each(DIALECTS)('X-Forwarded-For on %s', (dialect) => {
  it('from a peer that is not the configured proxy is ignored: rotating it does not escape the address count', async () => {
    const direct = await startTestApp(dialect, { TRUST_PROXY: '10.0.0.2' });
    const proxied = await startTestApp(dialect, { TRUST_PROXY: 'loopback' });
    try {
      for (const t of [direct, proxied]) {
        const script = t.visitor();
        for (let i = 0; i < 20; i++) expect((await attempt(script, `nguoi${i}`, 'Matkhau@123', `203.0.113.${i + 1}`)).status).toBe(401);
        const next = await attempt(script, 'nguoi20', 'Matkhau@123', '203.0.113.99');
        // Reaching the app directly, the client's own address counts whatever the header says;
        // through the trusted proxy, the header is the client's address.
        expect(next.status).toBe(t === direct ? 429 : 401);
      }
    } finally {
      await direct.close();
      await proxied.close();
    }
  });
});
