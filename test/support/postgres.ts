/**
 * PostgreSQL for the dialect tests: TEST_POSTGRES_URL names a server and a role that may create
 * databases (.ci/run starts one). Each test file gets a database of its own, dropped afterwards.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';

export const POSTGRES_URL = process.env.TEST_POSTGRES_URL;

/** In CI a missing PostgreSQL is a failure, never a silent skip. */
export function postgresRequired(): boolean {
  return process.env.CI === 'true';
}

export async function freshPostgresDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  if (!POSTGRES_URL) throw new Error('TEST_POSTGRES_URL is not set: .ci/run starts PostgreSQL 15 and sets it.');
  const name = `sipas_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: POSTGRES_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(POSTGRES_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const client = new pg.Client({ connectionString: POSTGRES_URL });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    },
  };
}
