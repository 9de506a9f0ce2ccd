/**
 * Many rows in few statements, on both dialects: multi-row INSERTs and additive upserts in chunks
 * of a fixed size, so that the same SQL text (and so the same prepared statement) serves every
 * chunk of a table. The submission path writes a whole batch of responses this way, and the demo
 * generator a million; Kysely's query builder would rebuild and recompile each statement.
 * On PostgreSQL each column goes as one array parameter (`select * from unnest($1::int4[], …)`):
 * a statement of thousands of rows has a handful of parameters, where a VALUES list of 500 rows had
 * thousands for the server to parse and type one by one (issue 23: the demo generator wrote 247
 * responses a second that way).
 * Table and column names come only from the typed lists in db/, never from input.
 */
import { CompiledQuery, type Kysely, type Transaction } from 'kysely';
import type { Database } from './schema.ts';
import { dialectOf } from './dialect.ts';

type Db = Kysely<Database> | Transaction<Database>;
export type Value = string | number | null;

/** Bound parameters per statement: far under PostgreSQL's 65,535 and SQLite's 32,766. */
const PARAMETERS_PER_STATEMENT = 16_000;
const ROWS_PER_STATEMENT = 500;
/** PostgreSQL, one array per column: rows per statement. */
const ROWS_PER_UNNEST = 5_000;

const isPostgres = (db: Db) => dialectOf(db) === 'postgres';

/** SQLite: `values (?,?),(?,?)…` for a chunk of `rows` rows. */
function placeholders(rows: number, columns: number): string {
  const group = `(${new Array<string>(columns).fill('?').join(',')})`;
  return `values ${new Array<string>(rows).fill(group).join(',')}`;
}

const texts = new Map<string, string>();

/** PostgreSQL: each table's column types (integer, text, double precision…), read once per process and table. */
const columnTypes = new Map<string, Map<string, string>>();

/**
 * What an INSERT takes its rows from, for chunks of `rows` rows and the statement's cache key: on
 * PostgreSQL `select * from unnest($1::integer[], $2::text[], …)` (one array parameter per column,
 * the same text for every chunk), on SQLite a VALUES list of placeholders.
 */
async function rowSource(db: Db, table: string, columns: readonly string[]): Promise<(rows: number) => { sql: string; shape: string }> {
  if (!isPostgres(db)) return (rows) => ({ sql: placeholders(rows, columns.length), shape: String(rows) });
  const unnest = await unnestOf(db, table, columns);
  return () => ({ sql: unnest, shape: 'unnest' });
}

async function unnestOf(db: Db, table: string, columns: readonly string[]): Promise<string> {
  let types = columnTypes.get(table);
  // Read again when a column is missing: a migration may have added it since (tests migrate down and up).
  if (types === undefined || columns.some((c) => !types?.has(c))) {
    // The table the INSERT itself will name, found through search_path as it is ($1::regclass).
    const result = await db.executeQuery<{ name: string; type: string }>(
      CompiledQuery.raw('select attname as name, format_type(atttypid, atttypmod) as type from pg_attribute where attrelid = $1::regclass and attnum > 0 and not attisdropped', [table]),
    );
    types = new Map(result.rows.map((r) => [r.name, r.type]));
    columnTypes.set(table, types);
  }
  const known = types;
  return `select * from unnest(${columns
    .map((column, i) => {
      const type = known.get(column);
      if (type === undefined) throw new Error(`${table}.${column}: no such column (db/bulk.ts).`);
      return `$${i + 1}::${type}[]`;
    })
    .join(', ')})`;
}

/** The SQL of one chunk, built once per shape. */
function statementText(db: Db, shape: string, build: () => string): string {
  const key = `${isPostgres(db) ? 'pg' : 'sqlite'}|${shape}`;
  let text = texts.get(key);
  if (text === undefined) {
    text = build();
    texts.set(key, text);
  }
  return text;
}

/**
 * Rows in chunks of a fixed size, each as one flat list of parameters. Rows come flat too (row after
 * row, `columns` values each): a million responses are ten million answers, and an array per
 * answer would cost more to allocate and collect than to store.
 */
function* chunks(db: Db, rows: Value[], columns: number): Generator<{ count: number; parameters: unknown[] }> {
  if (rows.length % columns !== 0) throw new Error(`${rows.length} values do not make rows of ${columns} columns.`);
  if (isPostgres(db)) {
    for (let i = 0; i < rows.length; i += ROWS_PER_UNNEST * columns) {
      const count = Math.min(ROWS_PER_UNNEST, (rows.length - i) / columns);
      const arrays = Array.from({ length: columns }, () => new Array<Value>(count));
      for (let r = 0; r < count; r++) for (let c = 0; c < columns; c++) (arrays[c] as Value[])[r] = rows[i + r * columns + c] as Value;
      yield { count, parameters: arrays };
    }
    return;
  }
  const size = Math.max(1, Math.min(ROWS_PER_STATEMENT, Math.floor(PARAMETERS_PER_STATEMENT / columns))) * columns;
  for (let i = 0; i < rows.length; i += size) {
    const parameters = rows.slice(i, i + size);
    yield { count: parameters.length / columns, parameters };
  }
}

/** INSERT rows (flat, in `columns` order); with `returning`, the inserted rows' columns, in chunk order. */
export async function insertRows<R = Record<string, unknown>>(
  db: Db,
  table: keyof Database,
  columns: readonly string[],
  rows: Value[],
  returning: readonly string[] = [],
): Promise<R[]> {
  const out: R[] = [];
  if (rows.length === 0) return out;
  const source = await rowSource(db, table, columns);
  for (const chunk of chunks(db, rows, columns.length)) {
    const from = source(chunk.count);
    const text = statementText(db, `insert|${table}|${columns.join(',')}|${from.shape}|${returning.join(',')}`, () =>
      `insert into ${table} (${columns.join(', ')}) ${from.sql}` + (returning.length > 0 ? ` returning ${returning.join(', ')}` : ''),
    );
    const result = await db.executeQuery<R>(CompiledQuery.raw(text, chunk.parameters));
    for (const row of result.rows) out.push(row);
  }
  return out;
}

/**
 * Adds counts into rows identified by their key: inserts a row that is not there yet, otherwise
 * adds each count column to what it holds (negative counts subtract). Rows (flat, key columns then
 * counts) must have distinct keys: PostgreSQL refuses to update one row twice in a statement, so
 * callers merge first.
 */
export async function addToRows(db: Db, table: keyof Database, key: readonly string[], counts: readonly string[], rows: Value[]): Promise<void> {
  const columns = [...key, ...counts];
  if (rows.length === 0) return;
  const source = await rowSource(db, table, columns);
  for (const chunk of chunks(db, rows, columns.length)) {
    const from = source(chunk.count);
    const text = statementText(db, `add|${table}|${columns.join(',')}|${from.shape}`, () =>
      `insert into ${table} (${columns.join(', ')}) ${from.sql} ` +
      `on conflict (${key.join(', ')}) do update set ${counts.map((c) => `${c} = ${table}.${c} + excluded.${c}`).join(', ')}`,
    );
    await db.executeQuery(CompiledQuery.raw(text, chunk.parameters));
  }
}
