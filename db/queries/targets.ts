import type { Kysely } from 'kysely';
import type { Database, Indicator, Target } from '../schema.ts';
import { within } from './within.ts';

export async function listIndicators(db: Kysely<Database>): Promise<{ indicators: Indicator[]; targets: Target[] }> {
  const [indicators, targets] = await Promise.all([
    db.selectFrom('indicators').selectAll().orderBy('position').execute(),
    db.selectFrom('targets').selectAll().orderBy('valid_from').execute(),
  ]);
  return { indicators, targets };
}

export interface TargetInput {
  indicatorId: number;
  /** A calendar year: targets in plan 2228/QĐ-UBND are yearly. */
  year: number;
  threshold: number;
  source: string;
}

/** Sets the target of an indicator for a year (new or changed) and marks it confirmed by a person. */
export async function saveTarget(db: Kysely<Database>, input: TargetInput, by: number, now: string): Promise<void> {
  const values = {
    indicator_id: input.indicatorId,
    threshold: input.threshold,
    valid_from: `${input.year}-01-01`,
    valid_to: `${input.year}-12-31`,
    source: input.source,
    confirmed: 1,
    updated_at: now,
    updated_by: by,
  };
  await db
    .insertInto('targets')
    .values(values)
    .onConflict((oc) =>
      oc.columns(['indicator_id', 'valid_from']).doUpdateSet({ threshold: values.threshold, valid_to: values.valid_to, source: values.source, confirmed: 1, updated_at: now, updated_by: by }),
    )
    .execute();
}

/**
 * Targets for a new year, copied from each indicator's latest earlier year and left unconfirmed: a
 * starting point for planning, not a decision. Indicators that already have that year keep it.
 * In the caller's transaction when given one (server/targets/add-target-year.ts writes its audit entry in it).
 */
export async function copyTargetsToYear(db: Kysely<Database>, year: number, by: number, now: string): Promise<number> {
  return within(db, async (trx) => {
    const { indicators, targets } = await listIndicators(trx);
    let added = 0;
    for (const ind of indicators) {
      if (targets.some((tg) => tg.indicator_id === ind.id && tg.valid_from === `${year}-01-01`)) continue;
      const previous = targets.filter((tg) => tg.indicator_id === ind.id && tg.valid_from < `${year}-01-01`).at(-1);
      if (!previous) continue;
      const from = previous.valid_from.slice(0, 4);
      await trx
        .insertInto('targets')
        .values({
          indicator_id: ind.id,
          threshold: previous.threshold,
          valid_from: `${year}-01-01`,
          valid_to: `${year}-12-31`,
          source: `Mặc định theo chỉ tiêu ${from} / copied from ${from}`,
          confirmed: 0,
          updated_at: now,
          updated_by: by,
        })
        .execute();
      added++;
    }
    return added;
  });
}
