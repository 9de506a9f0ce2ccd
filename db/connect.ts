/**
 * Opens the database named by DATABASE_URL:
 *   sqlite:./data/sipas.db   embedded SQLite file (directory created), the default
 *   sqlite::memory:          in-memory SQLite (tests)
 *   postgres://user:pw@host/db   PostgreSQL, for several stateless app servers
 */
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { CompiledQuery, type Driver, Kysely, type LogConfig, PostgresDialect } from 'kysely';
import type PgModule from 'pg';
import type PgCursorClass from 'pg-cursor';
import { lockDeadline } from './lock-wait.ts';
import type { Database } from './schema.ts';
import { ResilientSqliteDialect } from './sqlite-driver.ts';

import type { Dialect } from './dialect.ts';

export type { Dialect };

export interface Db {
  kysely: Kysely<Database>;
  dialect: Dialect;
  /** The SQLite file, for backups; null for :memory: and PostgreSQL. */
  sqliteFile: string | null;
  /** The raw better-sqlite3 handle, for online backups; null for PostgreSQL. */
  sqlite: SqliteDatabase.Database | null;
  close(): Promise<void>;
}

/** How the connection behaves: the pool for PostgreSQL, waiting for the write lock for SQLite. */
export interface ConnectOptions {
  /** SQLite: how long a write waits for another process to release the lock (DATABASE_BUSY_TIMEOUT_MS). */
  busyTimeoutMs?: number;
  /** Connections per app server (DATABASE_POOL_MAX). */
  poolMax?: number;
  /** Waiting for a connection, including connecting, before a request fails (DATABASE_CONNECT_TIMEOUT_MS). */
  connectTimeoutMs?: number;
  /** The longest a single statement may run (DATABASE_STATEMENT_TIMEOUT_MS). */
  statementTimeoutMs?: number;
  /** A connection broke (the server restarted, the network dropped): logged, never a crash. */
  onIdleError?: (error: Error) => void;
  /** Every query with its duration, for the benchmark's list of what a page costs. */
  onQuery?: (sql: string, ms: number) => void;
}

export const POOL_DEFAULTS = { poolMax: 10, connectTimeoutMs: 5_000, statementTimeoutMs: 30_000, busyTimeoutMs: 5_000 } as const;

export class DatabaseUrlError extends Error {}

export function parseDatabaseUrl(url: string): { dialect: 'sqlite'; file: string } | { dialect: 'postgres'; url: string } {
  if (url.startsWith('sqlite:')) {
    const file = url.slice('sqlite:'.length);
    if (file === '') throw new DatabaseUrlError(`DATABASE_URL=${url}: thiếu đường dẫn tệp / missing file path, e.g. sqlite:./data/sipas.db`);
    return { dialect: 'sqlite', file };
  }
  if (url.startsWith('postgres://') || url.startsWith('postgresql://')) return { dialect: 'postgres', url };
  throw new DatabaseUrlError(
    `DATABASE_URL=${url} không được hỗ trợ / is not supported: use sqlite:./data/sipas.db, sqlite::memory: or postgres://user:password@host:5432/db`,
  );
}

/** DATABASE_URL as it may be printed or logged: a PostgreSQL password is replaced by ***. */
export function printableDatabaseUrl(url: string): string {
  if (!url.startsWith('postgres://') && !url.startsWith('postgresql://')) return url;
  try {
    const parsed = new URL(url);
    if (parsed.password !== '') parsed.password = '***';
    return parsed.toString();
  } catch {
    return url.replace(/:\/\/([^:/@]*):[^@]*@/, '://$1:***@');
  }
}

export function openSqlite(file: string): SqliteDatabase.Database {
  if (file !== ':memory:') mkdirSync(dirname(resolve(file)), { recursive: true });
  const handle = new SqliteDatabase(file);
  // WAL lets the dashboard read while a citizen writes; FULL makes an acknowledged submission
  // survive a power cut, which matters more here than write throughput.
  handle.pragma('journal_mode = WAL');
  handle.pragma('synchronous = FULL');
  handle.pragma('foreign_keys = ON');
  // 64 MiB of page cache: the rollups' indexes stay in memory while a batch of submissions is
  // written and while the dashboard sums a year (the default is 2 MiB).
  handle.pragma('cache_size = -65536');
  // Commands that open the file on their own (backups, the CLI) wait like this; the server's driver
  // sets 0 and waits on a timer instead (sqlite-driver.ts).
  handle.pragma(`busy_timeout = ${POOL_DEFAULTS.busyTimeoutMs}`);
  return handle;
}

/** The longest delay a Node.js timer takes (about 24.8 days). */
const TIMER_MAX_MS = 2_147_483_647;

/**
 * PostgreSQL's dialect, with one addition: a transaction begun within a deadline (lock-wait.ts)
 * waits for other sessions' locks only until then (lock_timeout, SQLSTATE 55P03 when it runs out),
 * where it would otherwise wait until statement_timeout. A psql session holding a table lock then
 * costs a citizen DATABASE_BUSY_TIMEOUT_MS, as the `sqlite3` shell does on SQLite.
 */
class DeadlinePostgresDialect extends PostgresDialect {
  override createDriver(): Driver {
    const driver = super.createDriver();
    const begin = driver.beginTransaction.bind(driver);
    driver.beginTransaction = async (connection, settings) => {
      await begin(connection, settings);
      const deadline = lockDeadline();
      if (deadline === undefined) return;
      // 0 would mean "no limit": a deadline already passed gets the shortest wait instead.
      const ms = Math.max(1, Math.ceil(deadline - Date.now()));
      await connection.executeQuery(CompiledQuery.raw(`set local lock_timeout = ${ms}`));
    };
    return driver;
  }
}

const requireCommonJs = createRequire(import.meta.url);

interface PostgresModules {
  pg: typeof PgModule;
  Cursor: typeof PgCursorClass;
}
let postgresModules: PostgresModules | undefined;

/**
 * pg and pg-cursor, loaded by the first PostgreSQL connection (both are CommonJS, so synchronously):
 * a server on SQLite never holds them, some megabytes of its memory at rest (issue 23).
 */
function postgresDriver(): PostgresModules {
  if (postgresModules) return postgresModules;
  const pg = requireCommonJs('pg') as typeof PgModule;
  const PgCursor = requireCommonJs('pg-cursor') as typeof PgCursorClass;

  /**
   * pg-cursor, made to live with the pool's query_timeout. pg starts that timer for a cursor as for
   * any query, but pg-cursor never reports that it finished: the timer then ended a long stream early
   * without an error (the cursor simply returns no more rows) and kept a finished command waiting for
   * it. A cursor runs inside a transaction whose statement_timeout bounds it instead, so its timer is
   * put out of reach and cleared as soon as the cursor ends, however it ends.
   */
  class Cursor<Row> extends PgCursor<Row> {
    readonly query_timeout = TIMER_MAX_MS;

    /** Set by pg's client.query; calling it clears the timer. */
    declare callback?: (error: Error | null) => void;

    handleReadyForQuery(): void {
      (PgCursor.prototype as unknown as { handleReadyForQuery(): void }).handleReadyForQuery.call(this);
      this.finished();
    }

    handleError(error: Error): void {
      (PgCursor.prototype as unknown as { handleError(e: Error): void }).handleError.call(this, error);
      this.finished();
    }

    private finished(): void {
      const callback = this.callback;
      this.callback = undefined;
      callback?.(null);
    }
  }

  // COUNT and SUM come back as bigint strings by default; our counts fit in a JS number.
  pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));
  pg.types.setTypeParser(pg.types.builtins.NUMERIC, (v) => Number(v));
  postgresModules = { pg, Cursor };
  return postgresModules;
}

function queryLog(options: ConnectOptions): LogConfig | undefined {
  const onQuery = options.onQuery;
  if (!onQuery) return undefined;
  return (event) => {
    if (event.level === 'query') onQuery(event.query.sql, event.queryDurationMillis);
  };
}

export function connect(url: string, options: ConnectOptions = {}): Db {
  const parsed = parseDatabaseUrl(url);
  if (parsed.dialect === 'sqlite') {
    const handle = openSqlite(parsed.file);
    const busyTimeoutMs = options.busyTimeoutMs ?? POOL_DEFAULTS.busyTimeoutMs;
    const kysely = new Kysely<Database>({ dialect: new ResilientSqliteDialect({ file: parsed.file, writer: handle, busyTimeoutMs }), log: queryLog(options) });
    return {
      kysely,
      dialect: 'sqlite',
      sqliteFile: parsed.file === ':memory:' ? null : resolve(parsed.file),
      sqlite: handle,
      close: () => kysely.destroy(),
    };
  }
  const settings = { ...POOL_DEFAULTS, ...options };
  const { pg, Cursor } = postgresDriver();
  const pool = new pg.Pool({
    connectionString: parsed.url,
    max: settings.poolMax,
    connectionTimeoutMillis: settings.connectTimeoutMs,
    statement_timeout: settings.statementTimeoutMs,
    // The server enforces statement_timeout; this one covers a server that stopped answering at all.
    query_timeout: settings.statementTimeoutMs + settings.connectTimeoutMs,
  });
  // Without a listener, a connection that breaks would throw and end the process: an idle one from
  // the pool, and one lent out (a transaction between two statements, a request between two
  // queries) from its client. Every client gets one listener, which reports the break once; the
  // query that was running fails on its own, and pg drops the broken client when it is given back.
  pool.on('error', () => undefined);
  pool.on('connect', (client) => client.on('error', (error) => settings.onIdleError?.(error)));
  // The cursor lets exports and copies stream large tables in constant memory.
  const kysely = new Kysely<Database>({ dialect: new DeadlinePostgresDialect({ pool, cursor: Cursor }), log: queryLog(options) });
  return { kysely, dialect: 'postgres', sqliteFile: null, sqlite: null, close: () => kysely.destroy() };
}
