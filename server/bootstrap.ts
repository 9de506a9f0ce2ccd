/** Opens, migrates and seeds the database: what every entry point (server, demo, CLI) does first. */
import { connect, type Db } from '../db/connect.ts';
import { migrateToLatest } from '../db/migrate.ts';
import { seedReferenceData, type SeedSummary } from '../db/seed/reference.ts';
import { withStartupLock } from '../db/startup-lock.ts';
import type { Config } from './config.ts';
import { resolveSecret } from './secret.ts';

export interface Ready {
  db: Db;
  secret: string;
  migrations: string[];
  seeded: SeedSummary;
}

export async function prepareDatabase(config: Config, onIdleError?: (error: Error) => void): Promise<Ready> {
  const db = connect(config.databaseUrl, { ...config.database, onIdleError });
  try {
    return await withStartupLock(db, async (kysely) => {
      const migrations = await migrateToLatest(kysely);
      const seeded = await seedReferenceData(kysely);
      const secret = await resolveSecret(kysely, config.secret);
      return { db, secret, migrations, seeded };
    });
  } catch (error) {
    await db.close();
    throw error;
  }
}
