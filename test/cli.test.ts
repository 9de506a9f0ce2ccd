/** The administrator's commands, run as processes against a temporary database. */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../server/app.ts';
import { prepareDatabase } from '../server/start/bootstrap.ts';
import { loadConfig } from '../server/start/config.ts';
import { createLogger } from '../server/log.ts';
import { sipas } from './support/cli.ts';
import { type FreshDatabase, freshDatabase } from './support/db.ts';
import { signIn } from './support/staff.ts';
import { DIALECTS } from './support/dialects.ts';

// Each command is a new Node.js process that compiles the TypeScript it imports: seconds each on a busy machine.
describe.each(DIALECTS)('on %s', { timeout: 90_000 }, (dialect) => {
  let dir: string;
  let database: FreshDatabase;
  let env: Record<string, string>;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sipas-cli-'));
    database = await freshDatabase(dialect);
    env = { DATABASE_URL: database.url, BASE_URL: 'https://khaosat.nghean.example' };
  });
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await database.drop();
  });

  interface DeskJson {
    id: number;
    code: string;
    name: string;
    unit: { id: number; code: string; name: string };
    fields: string[];
    url: string;
    shortUrl: string;
  }

  describe('npm run sipas', () => {
    it('migrate reports what it applied, then that the database is up to date', () => {
      const first = sipas(['migrate'], env);
      expect(first.status).toBe(0);
      expect(first.stdout).toContain('2026-11-25-0001-survey');
      const second = sipas(['migrate'], env);
      expect(second.stdout).toContain('up to date');
    });

    it('seed --demo --responses N creates demo desks and exactly N responses', () => {
      const res = sipas(['seed', '--demo', '--responses', '120'], env);
      expect(res.status).toBe(0);
      expect(res.stdout).toMatch(/created 120 .*161 desks/);
    });

    it('desks --json lists desks with their unit, fields and a survey URL built from BASE_URL that works', async () => {
      const res = sipas(['desks', '--json'], env);
      expect(res.status).toBe(0);
      const desks = JSON.parse(res.stdout) as DeskJson[];
      expect(desks).toHaveLength(161);
      const oneStop = desks.find((d) => d.unit.code === '16681');
      expect(oneStop).toMatchObject({ code: 'MC', unit: { name: 'Phường Thành Vinh' }, fields: ['tu-phap-ho-tich', 'dat-dai', 'lao-dong-viec-lam', 'bao-tro-xa-hoi', 'xay-dung', 'hanh-chinh-khac'] });
      for (const d of desks) expect(d.url).toMatch(/^https:\/\/khaosat\.nghean\.example\/q\/[0-9a-z]+\.[A-Za-z0-9_-]{22}$/);
      // The short address printed under the QR code (issue 21), in groups: BASE_URL/q/7K3M-9PXA.
      for (const d of desks) expect(d.shortUrl).toMatch(/^https:\/\/khaosat\.nghean\.example\/q\/[34679ACDEFHJKMNPRTWXY]{4}-[34679ACDEFHJKMNPRTWXY]{4}$/);

      const config = loadConfig(env);
      const ready = await prepareDatabase(config);
      try {
        const app = createApp({ db: ready.db.kysely, config, secret: ready.secret, logger: createLogger('silent') });
        const page = await request(app).get(new URL(oneStop?.url ?? '').pathname).expect(200);
        expect(page.text).toContain('Phường Thành Vinh');
        const typed = await request(app).get(new URL(oneStop?.shortUrl ?? '').pathname.toLowerCase()).expect(200);
        expect(typed.text).toContain('Phường Thành Vinh');
        const responses = await ready.db.kysely.selectFrom('responses').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
        expect(Number(responses.n)).toBe(120);
      } finally {
        await ready.db.close();
      }
    });

    it('backup --to FILE writes a copy that opens with the same data, and refuses to overwrite (SQLite; PostgreSQL points to pg_dump)', async () => {
      const target = join(dir, 'backups', 'copy.db');
      if (dialect === 'postgres') {
        const refused = sipas(['backup', '--to', target], env);
        expect(refused.status).toBe(1);
        expect(refused.stderr).toContain('pg_dump --format=custom');
        return;
      }
      const res = sipas(['backup', '--to', target], env);
      expect(res.status).toBe(0);
      expect(existsSync(target)).toBe(true);
      const copy = await prepareDatabase(loadConfig({ DATABASE_URL: `sqlite:${target}` }));
      try {
        const n = await copy.db.kysely.selectFrom('responses').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
        expect(Number(n.n)).toBe(120);
      } finally {
        await copy.db.close();
      }
      const again = sipas(['backup', '--to', target], env);
      expect(again.status).toBe(1);
      expect(again.stderr).toContain('already exists');
    });

    it('an unknown command or option exits non-zero with the usage', () => {
      const unknown = sipas(['frobnicate'], env);
      expect(unknown.status).toBe(2);
      expect(unknown.stderr).toContain('usage: npm run sipas');
      const badOption = sipas(['desks', '--jsn'], env);
      expect(badOption.status).toBe(1);
      expect(badOption.stderr).toContain("Unknown option '--jsn'");
    });
  });

  describe('accounts from the command line', () => {
    it('user add reads the password from stdin, refuses a short one, and the account can sign in', async () => {
      const short = sipas(['user', 'add', '--username', 'quanly.vinh', '--role', 'manager', '--unit', '16681'], env, 'ngan\n');
      expect(short.status).toBe(1);
      expect(short.stderr).toContain('Mật khẩu cần từ 10 đến 256 ký tự.');
      const noUnit = sipas(['user', 'add', '--username', 'quanly.vinh', '--role', 'manager'], env, 'mot-mat-khau-du-dai\n');
      expect(noUnit.stderr).toContain('needs --unit CODE');
      const ok = sipas(['user', 'add', '--username', 'quanly.vinh', '--role', 'manager', '--unit', '16681', '--name', 'Trần Thị B'], env, 'mot-mat-khau-du-dai\n');
      expect(ok.status).toBe(0);
      expect(ok.stdout).toContain('quanly.vinh (manager, Phường Thành Vinh)');
      const again = sipas(['user', 'add', '--username', 'quanly.vinh', '--role', 'viewer', '--unit', '16681'], env, 'mot-mat-khau-du-dai\n');
      expect(again.stderr).toContain('already exists');

      // Plain http here, so the session cookie may travel without the Secure flag an https BASE_URL sets.
      const config = loadConfig({ ...env, BASE_URL: 'http://127.0.0.1' });
      const ready = await prepareDatabase(config);
      try {
        const app = createApp({ db: ready.db.kysely, config, secret: ready.secret, logger: createLogger('silent') });
        const agent = await signIn(app, 'quanly.vinh', 'mot-mat-khau-du-dai');
        await agent.get('/dashboard').expect(200);
      } finally {
        await ready.db.close();
      }
    });

    it('token create prints the token alone on its last line, and it opens the API', async () => {
      const res = sipas(['token', 'create', '--username', 'quanly.vinh'], env);
      expect(res.status).toBe(0);
      const token = res.stdout.trim().split('\n').at(-1) ?? '';
      expect(token).toMatch(/^sipas_[A-Za-z0-9_-]{43}$/);
      const config = loadConfig(env);
      const ready = await prepareDatabase(config);
      try {
        const app = createApp({ db: ready.db.kysely, config, secret: ready.secret, logger: createLogger('silent') });
        const api = await request(app).get('/api/v1/indicators?period=12m').set('Authorization', `Bearer ${token}`).expect(200);
        expect(api.body.indicators).toHaveLength(4);
        await request(app).get('/api/v1/indicators?unit=17329').set('Authorization', `Bearer ${token}`).expect(403);
      } finally {
        await ready.db.close();
      }
      expect(sipas(['token', 'create', '--username', 'khong-co'], env).stderr).toContain('no active account');
    });
  });

  describe('desks from the command line', () => {
    it('desk add creates a desk at a real unit and prints a survey URL that works', async () => {
      const res = sipas(['desk', 'add', '--unit', '17380', '--code', 'TN2', '--name', 'Bộ phận Một cửa', '--fields', 'tu-phap-ho-tich,dat-dai'], env);
      expect(res.status).toBe(0);
      expect(res.stdout).toContain('Xã Yên Xuân [tu-phap-ho-tich, dat-dai], tthc-short v2');
      const url = res.stdout.trim().split('\n').at(-1) ?? '';
      expect(url).toMatch(/^https:\/\/khaosat\.nghean\.example\/q\//);
      const config = loadConfig({ ...env, BASE_URL: 'http://127.0.0.1' });
      const ready = await prepareDatabase(config);
      try {
        const app = createApp({ db: ready.db.kysely, config, secret: ready.secret, logger: createLogger('silent') });
        const page = await request(app).get(new URL(url).pathname).expect(200);
        expect(page.text).toContain('Xã Yên Xuân');
        expect(page.text).toContain('name="field" value="dat-dai"');
      } finally {
        await ready.db.close();
      }
    });

    it('refuses an unknown unit, field or questionnaire, and a code already used, naming the fix', () => {
      expect(sipas(['desk', 'add', '--unit', '99999', '--code', 'X', '--name', 'X', '--fields', 'dat-dai'], env).stderr).toContain('no unit has that code');
      expect(sipas(['desk', 'add', '--unit', '17380', '--code', 'X', '--name', 'X', '--fields', 'dat'], env).stderr).toContain('"dat" is not a field; use dat-dai');
      expect(sipas(['desk', 'add', '--unit', '17380', '--code', 'X', '--name', 'X', '--fields', 'dat-dai', '--questionnaire', 'nope'], env).stderr).toContain('no such questionnaire');
      expect(sipas(['desk', 'add', '--unit', '17380', '--code', 'TN2', '--name', 'X', '--fields', 'dat-dai'], env).stderr).toContain('already has a desk with that code');
      expect(sipas(['desk', 'add', '--unit', '17380'], env).stderr).toContain('--code is missing');
    });
  });
});
