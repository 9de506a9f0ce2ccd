/**
 * `npm run build` (tsc -p tsconfig.build.json into dist/, incremental: seconds when nothing changed):
 * the compiled server and command that `npm start`, the tests' server processes and the benchmark run.
 * A failed build says so with tsc's messages.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';

const root = join(import.meta.dirname, '..', '..');

/** Builds dist/; resolves to the milliseconds it took. */
export async function buildServer(then: string): Promise<number> {
  const started = Date.now();
  try {
    await promisify(execFile)(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(root, 'tsconfig.build.json')], { cwd: root, maxBuffer: 16 * 1024 * 1024 });
  } catch (error) {
    const out = error as { stdout?: string; stderr?: string; message: string };
    throw new Error(`npm run build failed (tsconfig.build.json): fix the errors below, then ${then} again.\n${out.stdout ?? ''}${out.stderr ?? out.message}`, { cause: error });
  }
  return Date.now() - started;
}
