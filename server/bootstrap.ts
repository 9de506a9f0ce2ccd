/** Opens, migrates and seeds the database: what every entry point (server, demo, CLI) does first. */
import { connect, type Db } from '../db/connect.ts';
import { migrateToLatest } from '../db/migrate.ts';
import { seedReferenceData, type SeedSummary } from '../db/seed/reference.ts';
import type { Config } from './config.ts';
import { resolveSecret } from './secret.ts';

export interface Ready {
  db: Db;
  secret: string;
  migrations: string[];
  seeded: SeedSummary;
}

export async function prepareDatabase(config: Config): Promise<Ready> {
  const db = connect(config.databaseUrl);
  try {
    const migrations = await migrateToLatest(db.kysely);
    const seeded = await seedReferenceData(db.kysely);
    const secret = await resolveSecret(db.kysely, config.secret);
    return { db, secret, migrations, seeded };
  } catch (error) {
    await db.close();
    throw error;
  }
}
