/**
 * Why: setting an indicator's target for a year (new, changed, or confirming a copied one) is one
 * command (issue 19): administrators only; a known indicator and a year in range (else the form was
 * not ours: 400), a threshold strictly between 0 and 100 (a comma taken as the decimal point) and a
 * source document; then the target and its audit entry ('target.save') in one transaction.
 */
import type { Kysely } from 'kysely';
import { audit } from '../../db/queries/audit.ts';
import { listIndicators, saveTarget } from '../../db/queries/targets.ts';
import type { Database } from '../../db/schema.ts';
import { authorize } from '../auth/permissions.ts';
import type { Staff } from '../auth/scope.ts';
import type { Translate } from '../i18n/index.ts';

/** The years a target may be set for. */
export const MIN_YEAR = 2020;
export const MAX_YEAR = 2035;

export const isTargetYear = (year: number): boolean => Number.isInteger(year) && year >= MIN_YEAR && year <= MAX_YEAR;

/** The target form as typed (the threshold with a comma already turned into a point), for showing it again. */
export interface TargetFormValues {
  threshold: string;
  source: string;
}

export type SaveTargetResult =
  | { ok: true }
  | { ok: false; status: 403 }
  /** An indicator or year the page never offers. */
  | { ok: false; status: 400 }
  /** Each refused field with its message, in the person's language. */
  | { ok: false; status: 422; errors: Record<string, string> };

export async function saveIndicatorTarget(
  db: Kysely<Database>,
  staff: Staff,
  input: { indicatorId: number | null; year: number; values: TargetFormValues },
  at: string,
  t: Translate,
): Promise<SaveTargetResult> {
  if (!authorize(staff, 'administerEverything')) return { ok: false, status: 403 };
  const { indicatorId, year, values } = input;
  const { indicators } = await listIndicators(db);
  const indicator = indicators.find((i) => i.id === indicatorId);
  if (indicatorId === null || !indicator || !isTargetYear(year)) return { ok: false, status: 400 };
  const threshold = Number(values.threshold);
  const errors: Record<string, string> = {};
  if (values.threshold === '' || !Number.isFinite(threshold) || threshold <= 0 || threshold >= 100) errors.threshold = t('admin.target.error.threshold');
  if (values.source === '' || values.source.length > 200) errors.source = t('admin.target.error.source');
  if (Object.keys(errors).length > 0) return { ok: false, status: 422, errors };

  await db.transaction().execute(async (trx) => {
    const { targets } = await listIndicators(trx);
    const before = targets.find((tg) => tg.indicator_id === indicatorId && tg.valid_from === `${year}-01-01`);
    await saveTarget(trx, { indicatorId, year, threshold, source: values.source }, staff.id, at);
    await audit(trx, {
      at,
      userId: staff.id,
      action: 'target.save',
      subject: `${indicator.code} ${year}`,
      before: before ? { threshold: before.threshold, source: before.source, confirmed: before.confirmed === 1 } : undefined,
      after: { threshold, source: values.source, confirmed: true },
    });
  });
  return { ok: true };
}
