/** A fresh application over a fresh database of the given dialect, the way `npm start` builds it. */
import type { Express } from 'express';
import type { Kysely } from 'kysely';
import type { Dialect } from '../../db/connect.ts';
import type { Database } from '../../db/schema.ts';
import { type AppDeps, createApp } from '../../server/app.ts';
import { prepareDatabase, type Ready } from '../../server/start/bootstrap.ts';
import { type Config, loadConfig } from '../../server/start/config.ts';
import { createLogger } from '../../server/log.ts';
import { type Citizen, citizenAt, type StaffMember, staffMember, type Visitor, visitorAt } from './actors.ts';
import { freshDatabase } from './db.ts';

export interface TestApp {
  app: Express;
  db: Kysely<Database>;
  dialect: Dialect;
  ready: Ready;
  config: Config;
  clock: { now: Date };
  /** A citizen with a phone of their own at this desk (support/actors.ts), or with the phone `who`. */
  citizen(desk: { url: string }, who?: Record<string, string>): Citizen;
  /** A staff member signed in under this user name (built first with buildUser). */
  staff(username: string, who?: Record<string, string>): Promise<StaffMember>;
  /** A browser at the staff side's door, not signed in (the sign-in tests). */
  visitor(who?: Record<string, string>): Visitor;
  close(): Promise<void>;
}

/** `parts`: what a test changes in the application itself (the staff sections). */
export async function startTestApp(dialect: Dialect, env: Record<string, string> = {}, parts: Pick<AppDeps, 'sections'> = {}): Promise<TestApp> {
  const database = await freshDatabase(dialect);
  const config = loadConfig({ DATABASE_URL: database.url, BASE_URL: 'http://sipas.test', SURVEY_MIN_SECONDS: '0', SURVEY_RATE_LIMIT: '1000', SURVEY_FORM_LIMIT: '1000', TRUST_PROXY: 'loopback', ...env });
  const ready = await prepareDatabase(config);
  const clock = { now: new Date('2025-06-15T03:00:00Z') };
  const app = createApp({ db: ready.db.kysely, config, secret: ready.secret, logger: createLogger('silent'), now: () => clock.now, ...parts });
  return {
    app,
    db: ready.db.kysely,
    dialect,
    ready,
    config,
    clock,
    citizen: (desk, who) => citizenAt(app, desk, who),
    staff: (username, who) => staffMember(app, username, undefined, who),
    visitor: (who) => visitorAt(app, who),
    async close() {
      await ready.db.close().catch(() => undefined);
      await database.drop();
    },
  };
}
