/** Opens, checks, migrates and seeds the database: what every entry point (server, demo, CLI) does first. */
import { connect, type Db, parseDatabaseUrl } from '../../db/connect.ts';
import { migrateToLatest } from '../../db/migrate.ts';
import { seedReferenceData, type SeedSummary } from '../../db/seed/reference.ts';
import { checkExistingSqliteFile, explainOpenError } from '../../db/sqlite-file.ts';
import { withStartupLock } from '../../db/startup-lock.ts';
import type { Config } from './config.ts';
import { resolveSecret } from '../tokens/secret.ts';

export interface Ready {
  db: Db;
  secret: string;
  migrations: string[];
  seeded: SeedSummary;
}

export async function prepareDatabase(config: Config, onIdleError?: (error: Error) => void): Promise<Ready> {
  const target = parseDatabaseUrl(config.databaseUrl);
  // An empty, unreadable, damaged or foreign file must stop us before SQLite turns it into a new
  // database, and before anything is written into or beside it (opening switches the file to WAL).
  let db: Db;
  if (target.dialect === 'sqlite') {
    checkExistingSqliteFile(target.file, config.database.busyTimeoutMs);
    try {
      db = connect(config.databaseUrl, { ...config.database, onIdleError });
    } catch (error) {
      throw explainOpenError(target.file, error);
    }
  } else db = connect(config.databaseUrl, { ...config.database, onIdleError });
  try {
    return await withStartupLock(db, async (kysely) => {
      const migrations = await migrateToLatest(kysely);
      const seeded = await seedReferenceData(kysely);
      const secret = await resolveSecret(kysely, config.secret);
      return { db, secret, migrations, seeded };
    });
  } catch (error) {
    await db.close();
    throw target.dialect === 'sqlite' ? explainOpenError(target.file, error) : error;
  }
}
