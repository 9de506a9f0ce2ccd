/**
 * `npm run demo`: the application on a demo database (data/demo.db unless DATABASE_URL says
 * otherwise) with desks at real Nghệ An units and a year of synthetic responses.
 */
import { listActiveDesks } from '../db/queries/desks.ts';
import { prepareDatabase } from './bootstrap.ts';
import { runDemoSeed } from './cli/commands.ts';
import { fail } from './cli/output.ts';
import { loadConfig } from './config.ts';
import { createLogger } from './log.ts';
import { serve } from './serve.ts';
import { deskSurveyUrl } from './urls.ts';
import { ensureDemoLogin } from './demo-accounts.ts';

const DEMO_RESPONSES = 3000;

try {
  const config = loadConfig({ ...process.env, DATABASE_URL: process.env.DATABASE_URL || 'sqlite:./data/demo.db' });
  const logger = createLogger(config.logLevel);
  const ready = await prepareDatabase(config);
  const existing = await listActiveDesks(ready.db.kysely);
  if (existing.length === 0) await runDemoSeed(ready, DEMO_RESPONSES);
  const login = await ensureDemoLogin(ready.db.kysely);
  const desks = await listActiveDesks(ready.db.kysely);
  const sample = desks.find((d) => d.fields.length > 1) ?? desks[0];
  serve(config, ready, logger, (url) => {
    console.log(`\nSIPAS Nghệ An (demo) đang chạy tại / is running at ${url}  (database: ${config.databaseUrl})`);
    if (sample) {
      console.log(`Thử khảo sát / try the survey (${sample.unit.name} · ${sample.name}):`);
      console.log(`  ${deskSurveyUrl(config.baseUrl, ready.secret, sample.id, sample.tokenVersion)}`);
    }
    console.log('Mọi quầy / all desks: npm run sipas -- desks   (with DATABASE_URL=sqlite:./data/demo.db)');
    console.log(`Đăng nhập / sign in at ${url}/login  (demo database only):`);
    for (const account of login) console.log(`  ${account.username} / ${account.password}  (${account.role})`);
  });
} catch (error) {
  fail(error);
}
