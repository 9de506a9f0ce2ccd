/**
 * Start-up checks of a SQLite database file. A file that exists but is empty, cannot be read, is
 * not a SQLite database, is damaged or is another program's database must stop start-up: opening it
 * anyway would start a new, empty database with a new generated secret (every printed QR code
 * silently dead), serve from a damaged one, or add SIPAS's tables and secret to someone else's data.
 * Each message names the file, the problem and the fix, in Vietnamese and English.
 *
 * Every check runs before the server opens the file for writing, and a refused file is left as it
 * was, with nothing new beside it. That takes care, because merely reading a SQLite file can write:
 *  - A read-only connection to a WAL-mode file (header bytes 18/19 = 2) creates `-wal` and `-shm`
 *    beside it and leaves them there when it closes. A read-write connection that only reads
 *    creates them too, but as the last connection it removes them again when it closes (SQLite's
 *    own protocol, under an exclusive lock: never while another process uses them), writing nothing
 *    into the file: that is how a WAL-mode file with nothing beside it is read.
 *  - Anything already beside the file (`-wal`, `-shm`) belongs to whoever left it: a read-write
 *    connection would checkpoint that WAL into the file when it closes. Such a file, and every
 *    rollback-journal file, is read by a read-only connection, which writes nothing into it and, with
 *    both `-wal` and `-shm` there (a server or a command has it open, or one stopped without closing
 *    it), creates nothing beside it. Only with one of the two left alone (an incomplete copy) does
 *    SQLite create the other to read the file, and leave it.
 *  - A rollback-journal file with a hot `-journal` beside it (a write that stopped half way) cannot
 *    be read before SQLite rolls that write back, which writes: it is refused, with the way out.
 * Measured with better-sqlite3 12 (SQLite 3.53): bytes, mtime and the folder's listing unchanged.
 */
import { closeSync, constants, existsSync, openSync, readSync, statSync, accessSync } from 'node:fs';
import { resolve } from 'node:path';
import SqliteDatabase from 'better-sqlite3';

export class DatabaseFileError extends Error {}

const HEADER = Buffer.from('SQLite format 3\0', 'latin1');

const RESTORE_VI = 'khôi phục bản sao lưu gần nhất vào đúng chỗ tệp này (docs/operations.md, mục "Data and backups")';
const RESTORE_EN = 'restore the latest backup in its place (docs/operations.md, "Data and backups")';

function fileError(file: string, problemVi: string, problemEn: string, fixVi: string, fixEn: string): DatabaseFileError {
  return new DatabaseFileError(
    `Cơ sở dữ liệu ${file}: ${problemVi}. Cách xử lý: ${fixVi}.\n` +
      `Database ${file}: ${problemEn}. Fix: ${fixEn}. The server was not started and nothing was written.`,
  );
}

/**
 * Before the file is opened for writing: when it exists, it must be a readable, writable, undamaged
 * SQLite database that is empty or SIPAS's. `busyTimeoutMs`: how long to wait for another process's
 * lock (DATABASE_BUSY_TIMEOUT_MS).
 */
export function checkExistingSqliteFile(file: string, busyTimeoutMs: number): void {
  if (file === ':memory:') return;
  const path = resolve(file);
  let size: number;
  try {
    const stat = statSync(path);
    if (stat.isDirectory()) throw fileError(path, 'là một thư mục, không phải tệp', 'is a directory, not a file', 'đặt DATABASE_URL=sqlite:ĐƯỜNG_DẪN/sipas.db', 'set DATABASE_URL=sqlite:FOLDER/sipas.db');
    size = stat.size;
  } catch (error) {
    if (error instanceof DatabaseFileError) throw error;
    // No file yet: the first start creates it.
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    throw fileError(path, `không đọc được (${code})`, `cannot be read (${code})`, 'kiểm tra đường dẫn và quyền của thư mục chứa tệp', "check the path and the permissions of the file's folder");
  }
  try {
    accessSync(path, constants.R_OK | constants.W_OK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    throw fileError(
      path,
      `tài khoản chạy máy chủ không đọc hoặc ghi được tệp (${code})`,
      `the account running the server cannot read or write it (${code})`,
      'cho tài khoản chạy dịch vụ quyền đọc và ghi tệp và thư mục chứa nó (chown/chmod)',
      "give the service's account read and write access to the file and its folder (chown/chmod)",
    );
  }
  if (size === 0) {
    const wal = `${path}-wal`;
    const walNote = existsSync(wal) ? ` (bên cạnh có ${wal} / ${wal} is beside it)` : '';
    throw fileError(
      path,
      `tệp rỗng (0 byte), không có dữ liệu nào${walNote}; nếu tiếp tục, hệ thống sẽ tạo cơ sở dữ liệu mới với khóa bí mật mới và mọi mã QR đã in sẽ ngừng hoạt động`,
      `the file is empty (0 bytes) and holds no data${walNote}; starting on it would create a new database with a new secret, and every printed QR code would stop working`,
      `${RESTORE_VI}; hoặc, nếu thật sự muốn bắt đầu cơ sở dữ liệu mới, xóa tệp rỗng này`,
      `${RESTORE_EN}; or, to start a new database on purpose, delete the empty file`,
    );
  }
  // The first 100 bytes are SQLite's header; a shorter file leaves zeros.
  const head = Buffer.alloc(100);
  const fd = openSync(path, 'r');
  try {
    readSync(fd, head, 0, head.length, 0);
  } finally {
    closeSync(fd);
  }
  if (!head.subarray(0, HEADER.length).equals(HEADER)) {
    throw fileError(
      path,
      'tệp không phải cơ sở dữ liệu SQLite (phần đầu tệp không phải "SQLite format 3")',
      'the file is not a SQLite database (it does not start with "SQLite format 3")',
      `kiểm tra DATABASE_URL có trỏ đúng tệp không; nếu đúng, ${RESTORE_VI}`,
      `check that DATABASE_URL names the right file; if it does, ${RESTORE_EN}`,
    );
  }
  inspect(path, head, busyTimeoutMs);
}

/** The table in which Kysely's Migrator records SIPAS's migrations (db/migrate.ts). */
const MIGRATIONS_TABLE = 'kysely_migration';
/** At most this many of a foreign file's tables are named in the message. */
const TABLES_NAMED = 5;

/**
 * Reads the file's tables and runs quick_check, leaving nothing behind (see the top of this file).
 * `head` holds the file's first bytes: 18 and 19 are 2 in WAL mode, 1 with a rollback journal.
 */
function inspect(path: string, head: Buffer, busyTimeoutMs: number): void {
  const wal = head[18] === 2 || head[19] === 2;
  const besideIt = existsSync(`${path}-wal`) || existsSync(`${path}-shm`);
  let handle: SqliteDatabase.Database;
  try {
    handle = new SqliteDatabase(path, { readonly: !wal || besideIt, fileMustExist: true, timeout: busyTimeoutMs });
  } catch (error) {
    throw explainOpenError(path, error);
  }
  try {
    const tables = (handle.prepare("select name from sqlite_master where type = 'table' and substr(name, 1, 7) <> 'sqlite_' order by rowid").all() as { name: string }[]).map((r) => r.name);
    // An empty file (`sqlite3 FILE vacuum`) is a new database; one with our migrations is ours, and
    // migrations this version does not know are refused by the Migrator (db/migrate.ts).
    if (tables.length > 0 && !tables.includes(MIGRATIONS_TABLE)) throw foreign(path, tables);
    quickCheck(handle, path);
  } catch (error) {
    throw explainOpenError(path, error);
  } finally {
    handle.close();
  }
}

function foreign(file: string, tables: string[]): DatabaseFileError {
  // Names are quoted: they come from another program and may hold anything.
  const named = tables.slice(0, TABLES_NAMED).map((t) => JSON.stringify(t)).join(', ');
  const more = tables.length - TABLES_NAMED;
  const listVi = more > 0 ? `${named} và ${more} bảng khác` : named;
  const listEn = more > 0 ? `${named} and ${more} more` : named;
  return fileError(
    file,
    `tệp là cơ sở dữ liệu SQLite của một chương trình khác, không phải của SIPAS: có bảng ${listVi} nhưng không có bảng ${MIGRATIONS_TABLE} nơi SIPAS ghi các lần cập nhật; nếu tiếp tục, hệ thống sẽ thêm bảng và khóa bí mật mới của SIPAS vào dữ liệu đó`,
    `the file is another program's SQLite database, not SIPAS's: it has the tables ${listEn} but not ${MIGRATIONS_TABLE}, where SIPAS records its migrations; starting on it would add SIPAS's tables and a new secret to that data`,
    `kiểm tra DATABASE_URL có trỏ đúng tệp cơ sở dữ liệu của SIPAS không; nếu muốn tạo cơ sở dữ liệu mới, chọn một đường dẫn chưa có tệp, ví dụ DATABASE_URL=sqlite:./data/sipas.db`,
    `check that DATABASE_URL names SIPAS's own database file; for a new database, choose a path where no file exists yet, e.g. DATABASE_URL=sqlite:./data/sipas.db`,
  );
}

function hotJournal(file: string): DatabaseFileError {
  return fileError(
    file,
    `bên cạnh có ${file}-journal, nhật ký của một lần ghi bị dừng giữa chừng; SQLite phải hoàn tác lần ghi đó (ghi vào tệp) trước khi đọc được`,
    `${file}-journal beside it is the journal of a write that stopped half way; SQLite must roll that write back, writing to the file, before it can be read`,
    `kiểm tra DATABASE_URL có trỏ đúng tệp của SIPAS không (SIPAS không để lại tệp -journal); nếu đúng, mở tệp một lần bằng sqlite3 TỆP "pragma quick_check" để SQLite hoàn tác, rồi khởi động lại`,
    `check that DATABASE_URL names SIPAS's own file (SIPAS never leaves a -journal file); if it does, open it once with sqlite3 FILE "pragma quick_check" so that SQLite rolls the write back, then start again`,
  );
}

/** SQLite's words for a file it cannot use: damaged, or not a database at all. */
const UNUSABLE = new Set(['SQLITE_CORRUPT', 'SQLITE_NOTADB']);

/** Opening a damaged file can fail before the check runs: the same message as the check's. */
export function explainOpenError(file: string, error: unknown): unknown {
  if (error instanceof DatabaseFileError) return error;
  const code = (error as { code?: unknown }).code;
  if (code === 'SQLITE_READONLY_ROLLBACK') return hotJournal(resolve(file));
  if (typeof code !== 'string' || ![...UNUSABLE].some((c) => code.startsWith(c))) return error;
  return damaged(resolve(file), error instanceof Error ? error.message : String(error));
}

function damaged(file: string, found: string): DatabaseFileError {
  return fileError(
    file,
    `tệp bị hỏng: SQLite báo "${found}"`,
    `the file is damaged: SQLite reports "${found}"`,
    `dừng máy chủ, giữ lại tệp hỏng để kiểm tra (sqlite3 TỆP ".recover"), rồi ${RESTORE_VI}`,
    `stop the server, keep the damaged file for inspection (sqlite3 FILE ".recover"), then ${RESTORE_EN}`,
  );
}

/** SQLite's own quick consistency check of every page and index (run by checkExistingSqliteFile). */
export function quickCheck(handle: SqliteDatabase.Database, file: string): void {
  let problems: string[];
  // The check reads every page of the file once: through SQLite's default 2 MiB of cache, not the
  // connection's 64 MiB, which it would fill with pages nobody asked for and which the process would
  // then hold (resident) from its first second.
  const cacheSize = handle.pragma('cache_size', { simple: true }) as number;
  handle.pragma('cache_size = -2000');
  try {
    problems = (handle.pragma('quick_check') as { quick_check: string }[]).map((r) => r.quick_check);
  } catch (error) {
    problems = [error instanceof Error ? error.message : String(error)];
  } finally {
    handle.pragma(`cache_size = ${cacheSize}`);
  }
  if (problems.length === 1 && problems[0] === 'ok') return;
  throw damaged(file, problems.slice(0, 3).join('; '));
}
