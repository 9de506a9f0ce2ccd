import type { Kysely } from 'kysely';
import type { Database, Indicator, Target } from '../schema.ts';

export async function listIndicators(db: Kysely<Database>): Promise<{ indicators: Indicator[]; targets: Target[] }> {
  const [indicators, targets] = await Promise.all([
    db.selectFrom('indicators').selectAll().orderBy('position').execute(),
    db.selectFrom('targets').selectAll().orderBy('valid_from').execute(),
  ]);
  return { indicators, targets };
}
