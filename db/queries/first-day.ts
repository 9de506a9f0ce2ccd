/**
 * Why: the dashboard's "Bắt đầu" checklist (issue 21, item 9) shows while a scope has never had a
 * response, and ticks each first step from the data itself: the unit list touched by an
 * administrator (added, changed or imported), desks set up, targets saved or confirmed. One small
 * read, so the dashboard asks it only once per page.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../schema.ts';

export interface FirstDayFacts {
  /** Whether any response (of any status) was ever stored at the units. */
  hasResponses: boolean;
  /** Units in the scope (the bundled list counts). */
  units: number;
  /** Whether an administrator ever added, changed or imported a unit. */
  unitsReviewed: boolean;
  /** Active desks at the units. */
  desks: number;
  /** Whether an administrator ever saved or confirmed a target. */
  targetsSet: boolean;
}

/** `unitIds`: the scope's units, null for every unit. */
export async function firstDayFacts(db: Kysely<Database>, unitIds: readonly number[] | null): Promise<FirstDayFacts> {
  if (unitIds !== null && unitIds.length === 0) return { hasResponses: false, units: 0, unitsReviewed: false, desks: 0, targetsSet: false };
  let responses = db.selectFrom('responses').select('id').limit(1);
  let units = db.selectFrom('units').select((eb) => eb.fn.countAll<number>().as('n'));
  let desks = db.selectFrom('desks').select((eb) => eb.fn.countAll<number>().as('n')).where('active', '=', 1);
  if (unitIds !== null) {
    responses = responses.where('unit_id', 'in', unitIds);
    units = units.where('id', 'in', unitIds);
    desks = desks.where('unit_id', 'in', unitIds);
  }
  // Asked on every dashboard: once a response exists, that one indexed read is all it costs.
  if ((await responses.executeTakeFirst()) !== undefined) return { hasResponses: true, units: 0, unitsReviewed: false, desks: 0, targetsSet: false };
  const [unitCount, deskCount, unitChange, target] = await Promise.all([
    units.executeTakeFirst(),
    desks.executeTakeFirst(),
    db.selectFrom('audit_log').select('id').where('action', 'in', ['unit.create', 'unit.update', 'unit.import']).limit(1).executeTakeFirst(),
    db.selectFrom('targets').select('id').where('updated_at', 'is not', null).limit(1).executeTakeFirst(),
  ]);
  return {
    hasResponses: false,
    units: Number(unitCount?.n ?? 0),
    unitsReviewed: unitChange !== undefined,
    desks: Number(deskCount?.n ?? 0),
    targetsSet: target !== undefined,
  };
}
