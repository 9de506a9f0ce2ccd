/**
 * The databases every database test runs on, from DIALECTS (comma-separated; default both), the way
 * Kysely's own tests loop over dialects: `describe.each(DIALECTS)('on %s', (dialect) => ...)`.
 */
import type { Dialect } from '../../db/connect.ts';

export const ALL_DIALECTS: readonly Dialect[] = ['sqlite', 'postgres'];

export function dialectsFrom(value: string | undefined): Dialect[] {
  if (value === undefined || value.trim() === '') return [...ALL_DIALECTS];
  const chosen = value.split(',').map((d) => d.trim()).filter(Boolean);
  for (const d of chosen) {
    if (!ALL_DIALECTS.includes(d as Dialect)) throw new Error(`DIALECTS=${value}: "${d}" is not one of ${ALL_DIALECTS.join(', ')}.`);
  }
  return chosen as Dialect[];
}

export const DIALECTS: Dialect[] = dialectsFrom(process.env.DIALECTS);
