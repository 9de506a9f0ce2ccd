/**
 * Why: setting an indicator's target for a year (new, changed, or confirming a copied one) is one
 * command (issue 19): administrators only; a known indicator and a year in range (else the form was
 * not ours: 400), a threshold its measure allows (targetProblem; a comma taken as the decimal point) and a
 * source document; then the target and its audit entry ('target.save') in one transaction.
 */
import type { Kysely } from 'kysely';
import { audit } from '../../db/queries/audit.ts';
import { listIndicators, saveTarget } from '../../db/queries/targets.ts';
import type { Database, MeasureCode } from '../../db/schema.ts';
import { isDossierMeasure } from '../../analytics/dossiers.ts';
import { authorize } from '../auth/permissions.ts';
import type { Staff } from '../auth/scope.ts';
import type { Translate } from '../i18n/index.ts';

/** The years a target may be set for. */
export const MIN_YEAR = 2020;
export const MAX_YEAR = 2035;

/**
 * What a threshold must be, by what the indicator measures: a satisfaction share is "above" it, so
 * 0 and 100 are meaningless (strictly between); a dossier share is "at least" it, so 100% is the
 * plan's own apology target; the backlog is a whole number of dossiers, 0 the plan's target.
 */
export function targetProblem(measure: MeasureCode, threshold: number): 'admin.target.error.threshold' | 'admin.target.error.share' | 'admin.target.error.dossiers' | null {
  if (!Number.isFinite(threshold)) return measure === 'backlog' ? 'admin.target.error.dossiers' : isDossierMeasure(measure) ? 'admin.target.error.share' : 'admin.target.error.threshold';
  if (measure === 'backlog') return Number.isInteger(threshold) && threshold >= 0 && threshold <= 1_000_000 ? null : 'admin.target.error.dossiers';
  if (isDossierMeasure(measure)) return threshold > 0 && threshold <= 100 ? null : 'admin.target.error.share';
  return threshold > 0 && threshold < 100 ? null : 'admin.target.error.threshold';
}

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
  const thresholdProblem = targetProblem(indicator.measure, values.threshold === '' ? Number.NaN : threshold);
  if (thresholdProblem) errors.threshold = t(thresholdProblem);
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
