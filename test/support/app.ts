/** A fresh application over a fresh SQLite file, the way `npm start` builds it. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Express } from 'express';
import type { Kysely } from 'kysely';
import { createApp } from '../../server/app.ts';
import { prepareDatabase, type Ready } from '../../server/bootstrap.ts';
import { type Config, loadConfig } from '../../server/config.ts';
import { createLogger } from '../../server/log.ts';
import type { Database } from '../../db/schema.ts';

export interface TestApp {
  app: Express;
  db: Kysely<Database>;
  ready: Ready;
  config: Config;
  dir: string;
  clock: { now: Date };
  close(): Promise<void>;
}

export async function startTestApp(env: Record<string, string> = {}): Promise<TestApp> {
  const dir = mkdtempSync(join(tmpdir(), 'sipas-test-'));
  const config = loadConfig({ DATABASE_URL: `sqlite:${join(dir, 'sipas.db')}`, BASE_URL: 'http://sipas.test', SURVEY_MIN_SECONDS: '0', SURVEY_RATE_LIMIT: '1000', ...env });
  const ready = await prepareDatabase(config);
  const clock = { now: new Date('2025-06-15T03:00:00Z') };
  const app = createApp({ db: ready.db.kysely, config, secret: ready.secret, logger: createLogger('silent'), now: () => clock.now });
  return {
    app,
    db: ready.db.kysely,
    ready,
    config,
    dir,
    clock,
    async close() {
      await ready.db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
