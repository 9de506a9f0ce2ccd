import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..', '..');

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs `npm run sipas -- ...args` the way an administrator would, without npm's banner: the compiled
 * command (dist/, built by the test run's global setup from the same source), 0.6 s a start against
 * 1.7 s through the tsx loader, which the CLI tests' hundreds of commands would spend.
 */
export function sipas(args: string[], env: Record<string, string>, input?: string): CliResult {
  // Vitest puts Vite's BASE_URL ("/") into the environment; the command must not inherit it.
  const { BASE_URL: _viteBaseUrl, ...inherited } = process.env;
  const result = spawnSync(process.execPath, [join(root, 'dist/server/cli/main.js'), ...args], {
    cwd: root,
    env: { ...inherited, LOG_LEVEL: 'silent', ...env },
    input,
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}
