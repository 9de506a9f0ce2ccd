/** Links that never point at another site, and a request log without the secrets some paths carry. */
import { Writable } from 'node:stream';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../server/app.ts';
import { issueSetupLink } from '../server/auth/setup.ts';
import { createLogger } from '../server/log.ts';
import { signDossierLink, signKioskToken } from '../server/tokens/tokens.ts';
import { startTestApp, type TestApp } from './support/app.ts';
import { buildDesk } from './support/builders.ts';
import { DIALECTS } from './support/dialects.ts';
import { buildUser, postForm, signIn } from './support/staff.ts';

describe.each(DIALECTS)('on %s', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(dialect);
  });
  afterAll(() => t.close());

  it('a 404 page for //evil.example/x links its language switch to this site, never to //evil.example', async () => {
    for (const path of ['//evil.example/x', '/\\evil.example/x', '///evil.example/x?lang=en']) {
      const res = await request(t.app).get(path).expect(404);
      const hrefs = [...res.text.matchAll(/href="([^"]*)"/g)].map((m) => m[1] ?? '');
      expect(hrefs.filter((h) => h.startsWith('//') || h.startsWith('/\\')), path).toEqual([]);
      expect(hrefs, path).toContain(path.endsWith('lang=en') ? '/evil.example/x' : '/evil.example/x?lang=en');
    }
  });

  it('writes /q/:token, /k/:token, /d/:token, /setup/:token and /set-password/:token to the log, never the tokens', async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        lines.push(...chunk.toString().trim().split('\n'));
        done();
      },
    });
    const app = createApp({ db: t.db, config: t.config, secret: t.ready.secret, logger: createLogger('info', sink), now: () => t.clock.now });
    const desk = await buildDesk(t.db, t.ready.secret);
    const kiosk = signKioskToken(t.ready.secret, desk.id, 1);
    const personal = signDossierLink(t.ready.secret, { deskId: desk.id, issuedAt: Math.floor(t.clock.now.getTime() / 1000), nonce: 'n'.repeat(22), dossier: 'h'.repeat(22) });
    const setup = new URL((await issueSetupLink(t.db, t.config.baseUrl)) ?? '').pathname;
    await buildUser(t.db, 'quantri', 'admin', null);
    const admin = await signIn(app, 'quantri');
    const unit = await t.db.selectFrom('units').select('id').where('code', '=', '16681').executeTakeFirstOrThrow();
    const created = await postForm(admin, '/admin/users/new', '/admin/users', { username: 'nguyenvana', display_name: 'Nguyễn Văn A', role: 'viewer', unit: String(unit.id) });
    const link = /(https?:\/\/[^<\s]+\/set-password\/[A-Za-z0-9_-]+)/.exec(created.text)?.[1] ?? '';
    const setPassword = new URL(link).pathname;

    lines.length = 0;
    await request(app).get(desk.url).expect(200);
    await request(app).get(`${desk.url}/cam-on`);
    await request(app).get(`/k/${kiosk}`).expect(200);
    await request(app).get(`/d/${personal}`).expect(200);
    await request(app).get(setup);
    await request(app).get(setPassword).expect(200);
    await request(app).get(`/Q/${desk.token}`);
    // An encoded letter is the same path to the router, and to the log.
    await request(app).get(`/%71/${desk.token}`);
    await request(app).get(`/%71/${desk.token}%ZZ`);
    const paths = lines.map((l) => (JSON.parse(l) as { path: string }).path);
    expect(paths).toEqual(['/q/:token', '/q/:token/cam-on', '/k/:token', '/d/:token', '/setup/:token', '/set-password/:token', '/Q/:token', '/q/:token', '/%71/…']);
    const log = lines.join('\n');
    for (const secret of [desk.token, kiosk, personal, setup.split('/').at(-1) ?? '', setPassword.split('/').at(-1) ?? '']) expect(log).not.toContain(secret);
  });
});
