/**
 * Issue 22: `sipas alerts run --dry-run` evaluates and prints what would open and who would get an
 * email, writing nothing (no alert, no run, no mail log), even without SMTP_URL.
 */
import { addDays, localDay } from '../analytics/time.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prepareDatabase } from '../server/start/bootstrap.ts';
import { loadConfig } from '../server/start/config.ts';
import { buildDesk, storeResponses } from './support/builders.ts';
import { sipas } from './support/cli.ts';
import { countRows, type FreshDatabase, freshDatabase } from './support/db.ts';
import { DIALECTS } from './support/dialects.ts';
import { buildUser } from './support/staff.ts';

describe.each(DIALECTS)('on %s', { timeout: 90_000 }, (dialect) => {
  let database: FreshDatabase;
  let env: Record<string, string>;

  beforeAll(async () => {
    database = await freshDatabase(dialect);
    env = { DATABASE_URL: database.url, BASE_URL: 'https://khaosat.nghean.example' };
    const ready = await prepareDatabase(loadConfig(env));
    const db = ready.db.kysely;
    const manager = await buildUser(db, 'quanly', 'manager', '17920');
    await db.updateTable('users').set({ email: 'quanly@vinhhung.gov.vn' }).where('id', '=', manager).execute();
    const desk = await buildDesk(db, ready.secret, { unitCode: '17920', fields: ['dat-dai'] });
    // Yesterday (the command reads the real clock): 10 of 100 satisfied, far under the target.
    await storeResponses(db, desk.id, 'dat-dai', addDays(localDay(new Date()), -1), [
      { copies: 10, ratings: { a: 5, b: 5, c: 5, d: 5, e: 5, overall: 5 } },
      { copies: 90, ratings: { a: 1, b: 1, c: 1, d: 1, e: 1, overall: 1 } },
    ]);
    await ready.db.close();
  }, 120_000);
  afterAll(() => database?.drop());

  it('alerts run --dry-run says what would open and who would be emailed, and writes nothing', async () => {
    const res = sipas(['alerts', 'run', '--dry-run'], env);
    expect(res.stderr).toBe('');
    expect(res.status).toBe(0);
    expect(res.stdout).toMatch(/^sẽ mở \/ would open: .*Quầy/m);
    expect(res.stdout).toContain('thư / email → quanly <quanly@vinhhung.gov.vn>: ');
    expect(res.stdout).toMatch(/Chạy thử, không ghi gì \/ dry run, nothing written: [1-9]\d* sẽ mở \/ would open, 0 sẽ đóng \/ would close/);
    const ready = await prepareDatabase(loadConfig(env));
    try {
      for (const table of ['alerts', 'job_runs', 'mail_log', 'webhook_deliveries'] as const) expect(await countRows(ready.db.kysely, table)).toBe(0);
    } finally {
      await ready.db.close();
    }
  });

  it('alerts without "run" is a usage error', () => {
    const res = sipas(['alerts'], env);
    expect(res.status).toBe(1);
    expect(res.stderr).toContain('usage: alerts run [--dry-run]');
  });
});
