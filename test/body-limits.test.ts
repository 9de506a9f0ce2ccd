/**
 * Request bodies cannot exhaust the server's memory: a multipart body is read only on the upload
 * route, for a staff member allowed to use it, within small limits; anyone else is refused before
 * the body is read. Large bodies are streamed from a generator over a real socket, and the process's
 * memory (rss, sampled throughout) must stay within 50 MB of where it started.
 */
import type { AddressInfo } from 'node:net';
import { request as httpRequest, type Server } from 'node:http';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './support/app.ts';
import { countRows } from './support/db.ts';
import { DIALECTS } from './support/dialects.ts';
import { staffMember } from './support/actors.ts';
import { buildUser, signIn } from './support/staff.ts';

const MB = 1024 * 1024;
const BOUNDARY = 'sipas-test-boundary';

/**
 * A multipart body of about `mb` megabytes: a `_csrf` field, then one file of `a`s, 64 kB at a time.
 * Its token is forged by hand: the server must answer before it reads that far, whatever the token.
 */
function* multipartBody(mb: number): Generator<Buffer> {
  yield Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\nforged\r\n--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="big.csv"\r\nContent-Type: text/csv\r\n\r\n`);
  const chunk = Buffer.alloc(64 * 1024, 'a');
  for (let i = 0; i < mb * 16; i++) yield chunk;
  yield Buffer.from(`\r\n--${BOUNDARY}--\r\n`);
}

/**
 * Streams a large multipart POST; resolves with the status once the answer is read and the body was
 * either sent whole or cut off by the server closing the connection after answering.
 */
function streamPost(base: string, path: string, mb: number, cookie?: string): Promise<number> {
  return new Promise((resolve, reject) => {
    let status: number | undefined;
    let over = false;
    const done = () => {
      if (status !== undefined && over) resolve(status);
    };
    const req = httpRequest(`${base}${path}`, { method: 'POST', headers: { 'content-type': `multipart/form-data; boundary=${BOUNDARY}`, ...(cookie ? { cookie } : {}) } }, (res) => {
      res.resume();
      res.on('end', () => {
        status = res.statusCode;
        done();
      });
    });
    const finished = () => {
      over = true;
      if (status === undefined) req.once('response', (res) => res.once('end', done));
      done();
    };
    req.on('finish', finished);
    req.on('close', finished);
    req.on('error', (error) => {
      if (status === undefined) reject(error);
    });
    Readable.from(multipartBody(mb)).pipe(req);
  });
}

/** Signs in over the socket and returns the session cookie. */
async function sessionCookie(base: string, username: string): Promise<string> {
  const member = await staffMember(base, username);
  // The cookies the signed-in browser sends with its next request.
  const sent = String((await member.get('/dashboard').expect(200)).request.cookies);
  const sid = sent.split(';').map((c) => c.trim()).find((c) => c.includes('sipas.sid'));
  if (!sid) throw new Error('no session cookie');
  return sid;
}

describe.each(DIALECTS)('request body limits on %s', (dialect) => {
  let t: TestApp;
  let server: Server;
  let base: string;
  beforeAll(async () => {
    t = await startTestApp(dialect);
    await buildUser(t.db, 'quantri', 'admin', null);
    await buildUser(t.db, 'xem', 'viewer', null);
    server = t.app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    await t.close();
  });

  it('refuses large multipart posts without reading them, and memory stays put', { timeout: 120_000 }, async () => {
    const admin = await sessionCookie(base, 'quantri');
    const viewer = await sessionCookie(base, 'xem');
    // Warm up every path once (templates compiled, connections open) before the baseline.
    await streamPost(base, '/login', 1);
    await streamPost(base, '/admin/units/import', 1, admin);
    const start = process.memoryUsage().rss;
    let peak = start;
    const sampler = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage().rss);
    }, 10);
    const statuses: Record<string, number[]> = {};
    const cases: [string, string, string | undefined, number][] = [
      ['anonymous /login', '/login', undefined, 5],
      ['anonymous upload', '/admin/units/import', undefined, 5],
      ['viewer upload', '/admin/units/import', viewer, 2],
      ['administrator, a route that takes no file', '/admin/units', admin, 2],
      ['administrator, a file over the limit', '/admin/units/import', admin, 2],
    ];
    try {
      for (const [name, path, cookie, times] of cases) {
        statuses[name] = [];
        for (let i = 0; i < times; i++) statuses[name].push(await streamPost(base, path, 20, cookie));
      }
    } finally {
      clearInterval(sampler);
    }
    peak = Math.max(peak, process.memoryUsage().rss);
    expect(statuses).toEqual({
      'anonymous /login': [403, 403, 403, 403, 403],
      'anonymous upload': [403, 403, 403, 403, 403],
      'viewer upload': [403, 403],
      'administrator, a route that takes no file': [400, 400],
      'administrator, a file over the limit': [413, 413],
    });
    console.log(`rss ${Math.round(start / MB)} MB at the start, at most ${Math.round(peak / MB)} MB during 16 posts of 20 MB`);
    expect(peak - start).toBeLessThan(50 * MB);
  });

  it('checks the CSRF token of an upload after reading it: a forged token imports nothing', async () => {
    // The token is the subject: forged by hand.
    const admin = await signIn(t.app, 'quantri');
    const before = await countRows(t.db, 'units');
    const res = await admin.post('/admin/units/import').field('_csrf', 'forged').attach('file', Buffer.from('code,name,kind,parent_code\nX1,Xã Một,commune,40\n'), { filename: 'units.csv', contentType: 'text/csv' });
    expect(res.status).toBe(403);
    expect(await countRows(t.db, 'units')).toBe(before);
  });

  it('refuses an upload with more fields than the form has', async () => {
    const admin = await t.staff('quantri');
    const extra = Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`extra${i}`, 'x']));
    const res = await admin.upload('/admin/units/import', extra, { file: { content: 'code,name,kind,parent_code\n', filename: 'units.csv', contentType: 'text/csv' } }, '/admin/units');
    expect(res.status).toBe(413);
  });
});
