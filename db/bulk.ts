/**
 * Many rows in few statements, on both dialects: multi-row INSERTs and additive upserts in chunks
 * of a fixed size, so that the same SQL text (and so the same prepared statement) serves every
 * chunk of a table. The submission path writes a whole batch of responses this way, and the demo
 * generator a million; Kysely's query builder would rebuild and recompile each statement.
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

const isPostgres = (db: Db) => dialectOf(db) === 'postgres';

function placeholders(db: Db, rows: number, columns: number): string {
  const pg = isPostgres(db);
  const groups: string[] = [];
  let n = 0;
  for (let r = 0; r < rows; r++) {
    const cells: string[] = [];
    for (let c = 0; c < columns; c++) cells.push(pg ? `$${++n}` : '?');
    groups.push(`(${cells.join(',')})`);
  }
  return groups.join(',');
}

const texts = new Map<string, string>();

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
function* chunks(rows: Value[], columns: number): Generator<{ count: number; parameters: Value[] }> {
  if (rows.length % columns !== 0) throw new Error(`${rows.length} values do not make rows of ${columns} columns.`);
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
  for (const chunk of chunks(rows, columns.length)) {
    const text = statementText(db, `insert|${table}|${columns.join(',')}|${chunk.count}|${returning.join(',')}`, () =>
      `insert into ${table} (${columns.join(', ')}) values ${placeholders(db, chunk.count, columns.length)}` +
      (returning.length > 0 ? ` returning ${returning.join(', ')}` : ''),
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
  for (const chunk of chunks(rows, columns.length)) {
    const text = statementText(db, `add|${table}|${columns.join(',')}|${chunk.count}`, () =>
      `insert into ${table} (${columns.join(', ')}) values ${placeholders(db, chunk.count, columns.length)} ` +
      `on conflict (${key.join(', ')}) do update set ${counts.map((c) => `${c} = ${table}.${c} + excluded.${c}`).join(', ')}`,
    );
    await db.executeQuery(CompiledQuery.raw(text, chunk.parameters));
  }
}
