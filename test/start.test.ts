/** `npm start` on an empty database, as an IT officer would run it, and the request log it writes. */
import { Writable } from 'node:stream';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { createApp } from '../server/app.ts';
import { createLogger } from '../server/log.ts';
import { startTestApp } from './support/app.ts';
import { buildDesk } from './support/builders.ts';
import { freshDatabase } from './support/db.ts';
import { DIALECTS } from './support/dialects.ts';
import { startServerProcess, waitForOutput } from './support/server-process.ts';

describe.each(DIALECTS)('on %s', (dialect) => {
  describe('npm start on an empty database', () => {
    it('migrates, seeds, serves /healthz and prints a one-time setup link that works', async () => {
      const database = await freshDatabase(dialect);
      const server = await startServerProcess({ DATABASE_URL: database.url }).catch(async (error: unknown) => {
        await database.drop();
        throw error;
      });
      try {
        const link = await waitForOutput(server.output, /http:\/\/localhost:\d+\/setup\/[A-Za-z0-9_-]+/, 5_000);
        expect(server.output()).toContain('2026-11-25-0001-survey');
        expect(server.output()).toContain('No account yet');
        const health = await fetch(`${server.url}/healthz`);
        expect(health.status).toBe(200);
        const setup = await fetch(`${server.url}${new URL(link[0]).pathname}`);
        expect(setup.status).toBe(200);
        expect(await setup.text()).toContain('Tạo tài khoản quản trị đầu tiên');
      } finally {
        expect(await server.stop()).toBe(0);
        await database.drop();
      }
    }, 60_000);
  });

  describe('the request log', () => {
    it('has one line per request with method, path and status, without the query string', async () => {
      const t = await startTestApp(dialect);
      try {
        const lines: string[] = [];
        const sink = new Writable({
          write(chunk: Buffer, _enc, done) {
            lines.push(...chunk.toString().trim().split('\n'));
            done();
          },
        });
        const app = createApp({ db: t.db, config: t.config, secret: t.ready.secret, logger: createLogger('info', sink), now: () => t.clock.now });
        const desk = await buildDesk(t.db, t.ready.secret);
        await request(app).get(`${desk.url}?lang=en&ma_ho_so=H40.123`).expect(200);
        await request(app).get('/healthz?x=1').expect(200);
        const entries = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
        expect(entries).toHaveLength(2);
        // The desk's token is a secret (whoever reads the log could post as that desk): the log keeps the route.
        expect(entries[0]).toMatchObject({ method: 'GET', path: '/q/:token', status: 200, msg: 'request' });
        expect(lines.join('\n')).not.toContain('H40.123');
        expect(lines.join('\n')).not.toContain('lang=en');
        expect(Object.keys(entries[0] ?? {})).not.toContain('ip');
      } finally {
        await t.close();
      }
    });
  });

  describe('when the database is gone', () => {
    it('pages answer 500 with a plain message (no stack trace), and /healthz answers 503', async () => {
      const t = await startTestApp(dialect);
      const desk = await buildDesk(t.db, t.ready.secret);
      await t.ready.db.close();
      try {
        const page = await request(t.app).get(desk.url).expect(500);
        expect(page.text).toContain('Hệ thống đang gặp sự cố');
        expect(page.text).not.toMatch(/at .*\.ts:\d+/);
        const health = await request(t.app).get('/healthz').expect(503);
        expect(health.body).toEqual({ status: 'database unavailable' });
      } finally {
        await t.close().catch(() => undefined);
      }
    });
  });
});
