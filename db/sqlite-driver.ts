/**
 * Kysely's SQLite driver, made fit for a server that shares its database file with the command
 * line (`npm run sipas -- …` while the server runs) and with a busy hall of citizens:
 *
 *  - Waiting for the write lock never blocks the event loop. better-sqlite3 is synchronous and its
 *    busy_timeout spins inside the call, freezing every request; here the writer's busy_timeout is 0
 *    and a write that finds the lock taken is retried on a timer, up to `busyTimeoutMs`, then fails
 *    with SQLITE_BUSY (the app answers 503 and keeps the citizen's answers); sooner when the work
 *    runs within a deadline of its own (lock-wait.ts).
 *  - Write transactions begin IMMEDIATE: they take the write lock first or wait for it, instead of
 *    starting as readers and failing half way when they try to write.
 *  - Reads do not queue behind writes. Outside a transaction a read-only statement runs on a second,
 *    read-only connection (WAL lets readers and a writer work at once); a read-only transaction
 *    (`.setAccessMode('read only')`, e.g. an export's consistent snapshot) and every stream get a
 *    connection of their own, so a long export neither blocks nor is blocked.
 *  - Statements are prepared once and reused (a per-connection cache), instead of on every call.
 * An in-memory database has only one connection, so there everything shares it, in turn.
 */
import SqliteDatabase from 'better-sqlite3';
import { lockDeadline } from './lock-wait.ts';
import type {
  CompiledQuery} from 'kysely';
import {
  type DatabaseConnection,
  type Driver,
  type QueryResult,
  SelectQueryNode,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
  type TransactionSettings,
  type Dialect,
  type Kysely,
} from 'kysely';

export interface SqliteDriverOptions {
  /** The file, or ':memory:'. */
  file: string;
  /** The writer connection, opened and configured by connect.ts. */
  writer: SqliteDatabase.Database;
  /** How long a write waits for another process to release the lock before it fails. */
  busyTimeoutMs: number;
}

const STATEMENT_CACHE = 500;
const RETRY_FIRST_MS = 2;
const RETRY_MAX_MS = 100;

function isBusy(error: unknown): boolean {
  const code = (error as { code?: string }).code;
  return code === 'SQLITE_BUSY' || code === 'SQLITE_BUSY_SNAPSHOT' || code === 'SQLITE_LOCKED';
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A handle with a bounded cache of prepared statements. */
class Handle {
  private readonly statements = new Map<string, SqliteDatabase.Statement>();
  constructor(readonly db: SqliteDatabase.Database) {}

  prepare(sql: string): SqliteDatabase.Statement {
    let stmt = this.statements.get(sql);
    if (stmt) {
      // Most recently used last, so the oldest is evicted first.
      this.statements.delete(sql);
      this.statements.set(sql, stmt);
      return stmt;
    }
    stmt = this.db.prepare(sql);
    this.statements.set(sql, stmt);
    if (this.statements.size > STATEMENT_CACHE) this.statements.delete(this.statements.keys().next().value as string);
    return stmt;
  }

  run(compiled: CompiledQuery): QueryResult<unknown> {
    const stmt = this.prepare(compiled.sql);
    const parameters = compiled.parameters as unknown[];
    if (stmt.reader) return { rows: stmt.all(parameters) };
    const { changes, lastInsertRowid } = stmt.run(parameters);
    return { numAffectedRows: BigInt(changes), insertId: BigInt(lastInsertRowid), rows: [] };
  }
}

/** What a write gets when the lock was not free in time: SQLite's own word for it (errors.ts reads it). */
function busyError(): Error {
  return Object.assign(new Error('database is locked (waited in this process past the deadline)'), { code: 'SQLITE_BUSY' });
}

/**
 * One writer at a time inside this process; other processes are handled by retrying on BUSY. A
 * waiter with a deadline (lock-wait.ts) leaves the line when it passes: a submission is not held
 * past its allowance behind a background write that is itself waiting for another process's lock.
 */
class Mutex {
  private held = false;
  private readonly line: { grant: () => void }[] = [];

  lock(deadline?: number): Promise<() => void> {
    return new Promise((resolve, reject) => {
      const release = () => {
        const next = this.line.shift();
        if (next) next.grant();
        else this.held = false;
      };
      if (!this.held) {
        this.held = true;
        resolve(release);
        return;
      }
      let timer: NodeJS.Timeout | undefined;
      const waiter = {
        grant: () => {
          clearTimeout(timer);
          resolve(release);
        },
      };
      this.line.push(waiter);
      if (deadline !== undefined && Number.isFinite(deadline)) {
        timer = setTimeout(() => {
          const at = this.line.indexOf(waiter);
          if (at < 0) return;
          this.line.splice(at, 1);
          reject(busyError());
        }, Math.max(0, deadline - Date.now()));
      }
    });
  }
}

class ResilientSqliteDriver implements Driver {
  private readonly writer: Handle;
  private reader: Handle | null = null;
  private readonly writeLock = new Mutex();
  private readonly inMemory: boolean;

  constructor(private readonly options: SqliteDriverOptions) {
    this.writer = new Handle(options.writer);
    this.inMemory = options.file === ':memory:';
  }

  init(): Promise<void> {
    // Waiting happens here, on a timer, not inside SQLite.
    this.writer.db.pragma('busy_timeout = 0');
    if (!this.inMemory) {
      const reader = new SqliteDatabase(this.options.file, { readonly: true, fileMustExist: true });
      reader.pragma('busy_timeout = 100');
      reader.pragma('cache_size = -65536');
      this.reader = new Handle(reader);
    }
    return Promise.resolve();
  }

  /** Runs `work` with the write lock of the database file, retrying while another process holds it. */
  async withRetry<T>(work: () => T): Promise<T> {
    // A submission that already waited in line waits only for what is left of its allowance.
    const deadline = Math.min(Date.now() + this.options.busyTimeoutMs, lockDeadline() ?? Infinity);
    let wait = RETRY_FIRST_MS;
    for (;;) {
      try {
        return work();
      } catch (error) {
        if (!isBusy(error) || Date.now() + wait > deadline) throw error;
        await sleep(wait);
        wait = Math.min(RETRY_MAX_MS, wait * 2);
      }
    }
  }

  acquireConnection(): Promise<DatabaseConnection> {
    return Promise.resolve(new Session(this));
  }

  async beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    await (connection as Session).begin(settings.accessMode === 'read only');
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await (connection as Session).end('commit');
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    await (connection as Session).end('rollback');
  }

  async releaseConnection(connection: DatabaseConnection): Promise<void> {
    await (connection as Session).release();
  }

  destroy(): Promise<void> {
    this.reader?.db.close();
    this.writer.db.close();
    return Promise.resolve();
  }

  // For Session.
  get writerHandle(): Handle {
    return this.writer;
  }
  get readerHandle(): Handle | null {
    return this.reader;
  }
  lockWriter(): Promise<() => void> {
    return this.writeLock.lock(lockDeadline());
  }
  openSnapshotHandle(): Handle | null {
    if (this.inMemory) return null;
    const db = new SqliteDatabase(this.options.file, { readonly: true, fileMustExist: true });
    db.pragma('busy_timeout = 100');
    return new Handle(db);
  }
}

/** What Kysely calls a connection: one request's use of the database, within or without a transaction. */
class Session implements DatabaseConnection {
  private transaction: { handle: Handle; release: (() => void) | null; own: boolean } | null = null;

  constructor(private readonly driver: ResilientSqliteDriver) {}

  async begin(readOnly: boolean): Promise<void> {
    const snapshot = readOnly ? this.driver.openSnapshotHandle() : null;
    if (snapshot) {
      snapshot.db.exec('begin');
      this.transaction = { handle: snapshot, release: null, own: true };
      return;
    }
    const release = await this.driver.lockWriter();
    try {
      const writer = this.driver.writerHandle;
      await this.driver.withRetry(() => writer.db.exec('begin immediate'));
      this.transaction = { handle: writer, release, own: false };
    } catch (error) {
      release();
      throw error;
    }
  }

  async end(how: 'commit' | 'rollback'): Promise<void> {
    const tx = this.transaction;
    if (!tx) return;
    try {
      tx.handle.db.exec(how);
    } finally {
      this.transaction = null;
      if (tx.own) tx.handle.db.close();
      tx.release?.();
    }
    await Promise.resolve();
  }

  async release(): Promise<void> {
    // A transaction left open by an error on the way is rolled back, never left holding the lock.
    if (this.transaction) await this.end('rollback');
  }

  async executeQuery<R>(compiled: CompiledQuery): Promise<QueryResult<R>> {
    if (this.transaction) return this.transaction.handle.run(compiled) as QueryResult<R>;
    const reader = this.driver.readerHandle;
    if (reader && SelectQueryNode.is(compiled.query)) return reader.run(compiled) as QueryResult<R>;
    const release = await this.driver.lockWriter();
    try {
      const writer = this.driver.writerHandle;
      return (await this.driver.withRetry(() => writer.run(compiled))) as QueryResult<R>;
    } finally {
      release();
    }
  }

  async *streamQuery<R>(compiled: CompiledQuery, chunkSize = 1000): AsyncIterableIterator<QueryResult<R>> {
    if (!SelectQueryNode.is(compiled.query)) throw new Error('Only SELECT queries can be streamed.');
    // A stream holds its statement open between chunks: it needs a connection nobody else uses.
    const own = this.transaction ? null : this.driver.openSnapshotHandle();
    const handle = this.transaction?.handle ?? own ?? this.driver.writerHandle;
    const release = this.transaction || own ? null : await this.driver.lockWriter();
    try {
      const stmt = own ? own.db.prepare(compiled.sql) : handle.db.prepare(compiled.sql);
      let rows: R[] = [];
      for (const row of stmt.iterate(compiled.parameters)) {
        rows.push(row as R);
        if (rows.length >= chunkSize) {
          yield { rows };
          rows = [];
        }
      }
      if (rows.length > 0) yield { rows };
    } finally {
      own?.db.close();
      release?.();
    }
  }
}

/** SqliteDialect with the driver above. */
export class ResilientSqliteDialect implements Dialect {
  constructor(private readonly options: SqliteDriverOptions) {}
  createDriver(): Driver {
    return new ResilientSqliteDriver(this.options);
  }
  createQueryCompiler() {
    return new SqliteQueryCompiler();
  }
  createAdapter() {
    return new SqliteAdapter();
  }
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- Kysely's Dialect signature takes any schema
  createIntrospector(db: Kysely<any>) {
    return new SqliteIntrospector(db);
  }
}

