/** `npm start` on an empty database, as an IT officer would run it, and the request log it writes. */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { createApp } from '../server/app.ts';
import { createLogger } from '../server/log.ts';
import { startTestApp } from './support/app.ts';
import { buildDesk } from './support/builders.ts';
import { freshDatabase } from './support/db.ts';
import { DIALECTS } from './support/dialects.ts';

describe.each(DIALECTS)('on %s', (dialect) => {
  const root = join(import.meta.dirname, '..');

  function waitFor(output: () => string, pattern: RegExp, ms: number): Promise<RegExpExecArray> {
    return new Promise((resolve, reject) => {
      const started = Date.now();
      const timer = setInterval(() => {
        const match = pattern.exec(output());
        if (match) {
          clearInterval(timer);
          resolve(match);
        } else if (Date.now() - started > ms) {
          clearInterval(timer);
          reject(new Error(`timed out waiting for ${String(pattern)}; output so far:\n${output()}`));
        }
      }, 50);
    });
  }

  describe('npm start on an empty database', () => {
    it('migrates, seeds, serves /healthz and prints a one-time setup link that works', async () => {
      const port = 30_000 + Math.floor(Math.random() * 20_000);
      // Vitest puts Vite's BASE_URL ("/") into the environment; the server must not inherit it.
      const { BASE_URL: _viteBaseUrl, ...inherited } = process.env;
      const database = await freshDatabase(dialect);
      const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'server/main.ts')], {
        cwd: root,
        env: { ...inherited, DATABASE_URL: database.url, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn' },
      });
      let out = '';
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      child.stderr.on('data', (d: Buffer) => (out += d.toString()));
      try {
        const link = await waitFor(() => out, /http:\/\/localhost:\d+\/setup\/[A-Za-z0-9_-]+/, 20_000);
        expect(out).toContain('2026-11-25-0001-survey');
        expect(out).toContain('No account yet');
        const base = `http://127.0.0.1:${port}`;
        const health = await fetch(`${base}/healthz`);
        expect(health.status).toBe(200);
        const setup = await fetch(`${base}${new URL(link[0]).pathname}`);
        expect(setup.status).toBe(200);
        expect(await setup.text()).toContain('Tạo tài khoản quản trị đầu tiên');
      } finally {
        if (child.exitCode === null) {
          const exited = new Promise((resolve) => child.once('exit', resolve));
          child.kill('SIGTERM');
          await exited;
        }
        await database.drop();
      }
      expect(child.exitCode ?? 0).toBe(0);
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
        expect(entries[0]).toMatchObject({ method: 'GET', path: desk.url, status: 200, msg: 'request' });
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
