/**
 * `sipas copy --to URL`: the database of DATABASE_URL into a new, empty database (usually SQLite to
 * PostgreSQL when a province adds app servers). The target is migrated first; the copy is all or
 * nothing; the source is left as it was.
 */
import { connect, type Db } from '../../db/connect.ts';
import { type CopyProgress, copyDatabase } from '../../db/copy.ts';
import { migrateToLatest } from '../../db/migrate.ts';
import type { Ready } from '../start/bootstrap.ts';
import { progress, type Progress } from './output.ts';

/** A database address for people: never the password. */
export function withoutPassword(url: string): string {
  if (!URL.canParse(url) || url.startsWith('sqlite:')) return url;
  const parsed = new URL(url);
  if (parsed.password) parsed.password = '***';
  return parsed.toString();
}

export async function copyTo(ready: Ready, sourceUrl: string, targetUrl: string): Promise<void> {
  const target: Db = connect(targetUrl);
  try {
    await migrateToLatest(target.kysely);
    const bars = new Map<string, Progress>();
    const totals = await copyDatabase(ready.db, target, ({ table, done, total }: CopyProgress) => {
      let bar = bars.get(table);
      if (!bar) bars.set(table, (bar = progress(`Chép / copying ${table}`, total)));
      bar.tick(done);
    });
    const rows = Object.values(totals).reduce((a, n) => a + n, 0);
    const bar = progress('copy', rows);
    bar.finish(
      `Đã chép / copied ${rows} rows (${totals.responses} responses, ${totals.units} units, ${totals.users} accounts) ` +
        `from ${withoutPassword(sourceUrl)} to ${withoutPassword(targetUrl)}`,
    );
  } finally {
    await target.close();
  }
}
