/**
 * The application as an IT officer runs it: `npm start`'s compiled server (dist/server/main.js, built
 * by the test run's global setup as by `npm install` and `prestart`) in a child process on a loopback
 * port, for tests of start-up and of several app servers over one database.
 */
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { join } from 'node:path';
import { freePort } from './ports.ts';

const root = join(import.meta.dirname, '..', '..');

export interface ServerProcess {
  /** http://127.0.0.1:PORT */
  url: string;
  /** Everything it printed so far, stdout and stderr. */
  output: () => string;
  exited: () => boolean;
  /** SIGTERM, then waits for the exit; resolves to the exit code. */
  stop(): Promise<number | null>;
  /** Sends a signal without waiting (SIGKILL: a power cut, as far as the process is concerned). */
  kill: (signal: NodeJS.Signals) => void;
}

/** Resolves when `pattern` appears in the output; fails with the output after `ms` or when the process ends first. */
export function waitForOutput(output: () => string, pattern: RegExp, ms: number, exited: () => boolean = () => false): Promise<RegExpExecArray> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const timer = setInterval(() => {
      const match = pattern.exec(output());
      if (match) {
        clearInterval(timer);
        resolve(match);
      } else if (exited() || Date.now() - started > ms) {
        clearInterval(timer);
        reject(new Error(`${exited() ? 'the server exited' : 'timed out'} before ${String(pattern)}; its output:\n${output()}`));
      }
    }, 50);
  });
}

/**
 * Starts the server and waits until it says it is running (20 s at most). With `selfBaseUrl`,
 * BASE_URL is the server's own loopback address, so that links and QR codes it prints work.
 */
export async function startServerProcess(env: Record<string, string>, options: { selfBaseUrl?: boolean } = {}): Promise<ServerProcess> {
  const port = await freePort();
  const own = options.selfBaseUrl ? { BASE_URL: `http://127.0.0.1:${port}` } : {};
  // Vitest puts Vite's BASE_URL ("/") into the environment; the server must not inherit it.
  const { BASE_URL: _viteBaseUrl, ...inherited } = process.env;
  const child: ChildProcessWithoutNullStreams = spawn(process.execPath, [join(root, 'dist/server/main.js')], {
    cwd: root,
    env: { ...inherited, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn', ...own, ...env },
  });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const server: ServerProcess = {
    url: `http://127.0.0.1:${port}`,
    output: () => out,
    exited: () => child.exitCode !== null || child.signalCode !== null,
    kill: (signal) => {
      child.kill(signal);
    },
    async stop() {
      if (!server.exited()) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
      return child.exitCode;
    },
  };
  try {
    await waitForOutput(() => out, /is running at/, 20_000, server.exited);
  } catch (error) {
    await server.stop();
    throw error;
  }
  return server;
}
