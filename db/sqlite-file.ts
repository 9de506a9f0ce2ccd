/**
 * Start-up checks of a SQLite database file. A file that exists but is empty, cannot be read, is
 * not a SQLite database or is damaged must stop start-up: opening it anyway would start a new,
 * empty database with a new generated secret (every printed QR code silently dead), or serve from
 * a damaged one. Each message names the file, the problem and the fix, in Vietnamese and English.
 */
import { closeSync, constants, existsSync, openSync, readSync, statSync, accessSync } from 'node:fs';
import { resolve } from 'node:path';
import type SqliteDatabase from 'better-sqlite3';

export class DatabaseFileError extends Error {}

const HEADER = Buffer.from('SQLite format 3\0', 'latin1');

const RESTORE_VI = 'khôi phục bản sao lưu gần nhất vào đúng chỗ tệp này (README, mục "Data and backups")';
const RESTORE_EN = 'restore the latest backup in its place (README, "Data and backups")';

function fileError(file: string, problemVi: string, problemEn: string, fixVi: string, fixEn: string): DatabaseFileError {
  return new DatabaseFileError(
    `Cơ sở dữ liệu ${file}: ${problemVi}. Cách xử lý: ${fixVi}.\n` +
      `Database ${file}: ${problemEn}. Fix: ${fixEn}. The server was not started and nothing was written.`,
  );
}

/** Before the file is opened: when it exists, it must be a readable, writable SQLite database. */
export function checkExistingSqliteFile(file: string): void {
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
  const head = Buffer.alloc(HEADER.length);
  const fd = openSync(path, 'r');
  try {
    readSync(fd, head, 0, HEADER.length, 0);
  } finally {
    closeSync(fd);
  }
  if (!head.equals(HEADER)) {
    throw fileError(
      path,
      'tệp không phải cơ sở dữ liệu SQLite (phần đầu tệp không phải "SQLite format 3")',
      'the file is not a SQLite database (it does not start with "SQLite format 3")',
      `kiểm tra DATABASE_URL có trỏ đúng tệp không; nếu đúng, ${RESTORE_VI}`,
      `check that DATABASE_URL names the right file; if it does, ${RESTORE_EN}`,
    );
  }
}

/** SQLite's words for a file it cannot use: damaged, or not a database at all. */
const UNUSABLE = new Set(['SQLITE_CORRUPT', 'SQLITE_NOTADB']);

/** Opening a damaged file can fail before the check runs: the same message as the check's. */
export function explainOpenError(file: string, error: unknown): unknown {
  const code = (error as { code?: unknown }).code;
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

/** After the file is opened: SQLite's own quick consistency check of every page and index. */
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
