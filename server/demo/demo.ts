/**
 * `npm run demo`: the application on a demo database (data/demo.db unless DATABASE_URL says
 * otherwise) with desks at real Nghệ An units and a year of synthetic responses.
 */
import QRCode from 'qrcode';
import { listActiveDesks } from '../../db/queries/desks.ts';
import { printableDatabaseUrl } from '../../db/connect.ts';
import { prepareDatabase } from '../start/bootstrap.ts';
import { runDemoSeed } from '../cli/demo-seed.ts';
import { fail } from '../cli/output.ts';
import { loadConfig } from '../start/config.ts';
import { createLogger } from '../log.ts';
import { serve } from '../start/serve.ts';
import { deskSurveyUrl } from '../tokens/urls.ts';
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
  const sampleUrl = sample ? deskSurveyUrl(config.baseUrl, ready.secret, sample.id, sample.tokenVersion) : null;
  // A QR code in the terminal, to try the survey on a phone (set BASE_URL to this machine's LAN address).
  const qr = sampleUrl && process.stdout.isTTY ? await QRCode.toString(sampleUrl, { type: 'terminal', small: true }) : '';
  serve(config, ready, logger, (url) => {
    console.log(`\nSIPAS Nghệ An (demo) đang chạy tại / is running at ${url}  (database: ${printableDatabaseUrl(config.databaseUrl)})`);
    if (sample && sampleUrl) {
      console.log(`Thử khảo sát / try the survey (${sample.unit.name} · ${sample.name}):`);
      console.log(`  ${sampleUrl}`);
      if (qr) console.log(qr);
    }
    console.log(`Mọi quầy / all desks: npm run sipas -- desks   (with DATABASE_URL=${printableDatabaseUrl(config.databaseUrl)})`);
    console.log(`Đăng nhập / sign in at ${url}/login  (demo database only):`);
    for (const account of login) console.log(`  ${account.username} / ${account.password}  (${account.role})`);
  });
} catch (error) {
  fail(error);
}
