/**
 * A province's first day, as a new administrator lives it: `npm start` on an empty database, the
 * setup link, a unit with three desks, their posters printed, one poster's QR code scanned and
 * answered, two paper forms typed in, and all three answers on the dashboard under their channels.
 */
import { PNG } from 'pngjs';
import jsQR from 'jsqr';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from './support/browser.ts';
import { citizenAt, type Visitor, visitorAt } from './support/actors.ts';
import { type FreshDatabase, freshDatabase } from './support/db.ts';
import { DIALECTS } from './support/dialects.ts';
import { type ServerProcess, startServerProcess, waitForOutput } from './support/server-process.ts';

describe.each(DIALECTS)('on %s', { timeout: 90_000 }, (dialect) => {
  let database: FreshDatabase;
  let server: ServerProcess;
  let agent: Visitor;
  let unitPath = '';
  const deskPaths: string[] = [];

  beforeAll(async () => {
    database = await freshDatabase(dialect);
    server = await startServerProcess({ DATABASE_URL: database.url, SURVEY_MIN_SECONDS: '0' }, { selfBaseUrl: true });
    agent = visitorAt(server.url);
  }, 60_000);
  afterAll(async () => {
    await server?.stop();
    await database?.drop();
  });

  async function post(pagePath: string, action: string, fields: Record<string, string | string[]>) {
    return agent.post(action, fields, pagePath);
  }

  it('the setup link printed by npm start creates the first administrator', async () => {
    const [link] = await waitForOutput(server.output, /\/setup\/[A-Za-z0-9_-]+/, 10_000, server.exited);
    const res = await post(link, link, { username: 'quantri', display_name: 'Quản trị tỉnh', password: 'mat-khau-quan-tri-tinh', password_again: 'mat-khau-quan-tri-tinh' });
    expect(res.status).toBe(303);
    await agent.get('/admin').expect(200);
  });

  it('creates a unit and three desks from the administration pages', async () => {
    const units = await agent.get('/admin/units/new').expect(200);
    const province = /<option value="(\d+)"[^>]*>Tỉnh Nghệ An \(40\)/.exec(units.text)?.[1] ?? '';
    const created = await post('/admin/units/new', '/admin/units', { code: 'TTPVHCC-DIEN-CHAU', name: 'Trung tâm Phục vụ hành chính công Diễn Châu', kind: 'province_center', parent: province });
    expect(created.status).toBe(303);
    unitPath = created.headers.location as string;
    const page = await agent.get(unitPath).expect(200);
    const fieldValue = (label: string) => new RegExp(`value="(\\d+)"[^>]*> ${label}</label>`).exec(page.text)?.[1] ?? '';
    const questionnaire = /<option value="(\d+)" selected>/.exec(page.text.slice(page.text.indexOf('name="questionnaire"')))?.[1] ?? '';
    for (const [code, name, field] of [['DD', 'Quầy Đất đai', 'Đất đai'], ['TP', 'Quầy Tư pháp - Hộ tịch', 'Tư pháp - Hộ tịch'], ['DKKD', 'Quầy Đăng ký kinh doanh', 'Đăng ký kinh doanh']] as const) {
      const res = await post(unitPath, `${unitPath}/desks`, { code, name, fields: fieldValue(field), questionnaire });
      expect(res.status, field).toBe(303);
      deskPaths.push(res.headers.location as string);
    }
    expect(deskPaths).toHaveLength(3);
  });

  it('prints the posters: three A4 pages', async () => {
    const browser = await launchBrowser({ width: 1366 });
    try {
      // The session cookie, among the others the sign-in set (the login form's, the known browser's).
      const cookie = (await agent.get('/admin')).request.cookies.split(';').map((c) => c.trim()).find((c) => c.startsWith('sipas.sid=')) ?? '';
      const [name = '', value = ''] = cookie.split('=');
      await browser.context.addCookies([{ name, value, url: server.url }]);
      const page = await browser.context.newPage();
      await page.goto(`${server.url}${unitPath}/posters`);
      await page.waitForFunction(() => [...document.images].every((img) => img.complete && img.naturalWidth > 0));
      const pdf = await page.pdf({ format: 'A4' });
      expect((pdf.toString('latin1').match(/\/Type\s*\/Page(?!s)/g) ?? []).length).toBe(3);
    } finally {
      await browser.close();
    }
  });

  it('a citizen scans the first poster’s QR code and answers', async () => {
    const png = await agent
      .get(`${deskPaths[0]}/qr.png`)
      .buffer(true)
      .parse((res, done) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => done(null, Buffer.concat(chunks)));
      })
      .expect(200);
    const image = PNG.sync.read(png.body as Buffer);
    const scanned = jsQR(new Uint8ClampedArray(image.data), image.width, image.height)?.data ?? '';
    expect(scanned.startsWith(`${server.url}/q/`)).toBe(true);
    const form = await citizenAt(server.url, { url: new URL(scanned).pathname }).take();
    expect(form.page.text).toContain('Quầy Đất đai');
    const sent = await form.send({ a: '5', b: '5', c: '4', d: '4', e: '5', overall: '5', comment: 'Nhanh gọn.' });
    expect(sent.status).toBe(303);
  });

  it('two paper forms are typed in, and the dashboard shows the three answers under their channels', async () => {
    const deskId = /\/admin\/desks\/(\d+)/.exec(deskPaths[1] ?? '')?.[1] ?? '';
    const today = /name="day" value="([^"]+)"/.exec((await agent.get('/paper').expect(200)).text)?.[1] ?? '';
    for (const [number, overall] of [['001', '4'], ['002', '2']] as const) {
      const entry = `/paper/entry?desk=${deskId}&day=${encodeURIComponent(today)}`;
      const res = await post(entry, '/paper/entry', { desk: deskId, day: today, count: '0', paper_number: number, a: '4', b: '3', c: '4', d: '4', e: '4', overall });
      expect(res.status).toBe(303);
    }
    const count = async (channel: string) => {
      const api = await agent.get(`/api/v1/indicators?period=year&channel=${channel}`).expect(200);
      return (api.body.indicators as { code: string; n: number }[]).find((i) => i.code === 'tthc')?.n;
    };
    expect(await count('qr')).toBe(1);
    expect(await count('paper')).toBe(2);
    const dashboard = await agent.get('/dashboard?period=year&channel=paper').expect(200);
    expect(dashboard.text).toContain('Phiếu giấy');
  });
});
