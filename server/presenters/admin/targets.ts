/**
 * Why: the view model of /admin/targets (issue 19: administration view models built by presenters,
 * not by hand in the route): one row per indicator and year, the row refused re-shown as typed with
 * its messages, the next year to add, and how many copied targets wait for confirmation.
 */
import type { Indicator, Target } from '../../../db/schema.ts';
import { type Lang, pick } from '../../i18n/index.ts';
import type { FormErrors } from '../../routes/form-schema.ts';
import { formatDateTime, formatPercent } from '../format.ts';

/** The row whose form was refused: its key (`indicatorId-year`), the values as typed and why. */
export interface FailedTarget {
  key: string;
  values: Record<string, string>;
  errors: FormErrors;
}

export function presentTargets(indicators: Indicator[], targets: Target[], failed: FailedTarget | null, thisYear: number, lang: Lang) {
  const years = [...new Set(targets.map((tg) => Number(tg.valid_from.slice(0, 4))))].sort();
  const nextYear = (years.at(-1) ?? thisYear) + 1;
  const rows = indicators.flatMap((ind) =>
    years.map((year) => {
      const target = targets.find((tg) => tg.indicator_id === ind.id && tg.valid_from === `${year}-01-01`);
      const key = `${ind.id}-${year}`;
      const own = failed?.key === key ? failed : null;
      return {
        key,
        indicator: pick(lang, ind.name_vi, ind.name_en),
        year,
        indicatorId: ind.id,
        threshold: own?.values.threshold ?? (target ? String(target.threshold) : ''),
        source: own?.values.source ?? target?.source ?? '',
        confirmed: target?.confirmed === 1,
        missing: target === undefined,
        updated: target?.updated_at ? formatDateTime(target.updated_at, lang) : '',
        shown: target ? `${formatPercent(target.threshold / 100, lang, 0)}%` : '—',
        errors: own?.errors ?? {},
      };
    }),
  );
  return { rows, nextYear, unconfirmed: rows.filter((r) => !r.confirmed && !r.missing).length };
}
