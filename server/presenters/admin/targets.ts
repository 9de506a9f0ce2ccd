/**
 * Why: the view model of /admin/targets (issue 19: administration view models built by presenters,
 * not by hand in the route): one row per indicator and year, the row refused re-shown as typed with
 * its messages, the next year to add, and how many copied targets wait for confirmation.
 */
import type { Indicator, Target } from '../../../db/schema.ts';
import { isDossierMeasure } from '../../../analytics/dossiers.ts';
import { type Lang, pick, type Translate } from '../../i18n/index.ts';
import type { FormErrors } from '../../routes/form-schema.ts';
import { formatDateTime, formatPercent } from '../format.ts';
import { targetSourceText } from '../target-source.ts';

/** The row whose form was refused: its key (`indicatorId-year`), the values as typed and why. */
export interface FailedTarget {
  key: string;
  values: Record<string, string>;
  errors: FormErrors;
}

export function presentTargets(indicators: Indicator[], targets: Target[], failed: FailedTarget | null, thisYear: number, lang: Lang, t: Translate) {
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
        // A copied year's placeholder source in words; confirming it as shown stores those words.
        source: own?.values.source ?? (target ? targetSourceText(target.source, year, t) : ''),
        confirmed: target?.confirmed === 1,
        missing: target === undefined,
        updated: target?.updated_at ? formatDateTime(target.updated_at, lang) : '',
        shown: target ? (ind.measure === 'backlog' ? String(target.threshold) : `${formatPercent(target.threshold / 100, lang, 0)}%`) : '—',
        // A satisfaction share is "above" its target; a dossier share "at least"; the backlog a number of dossiers "at most".
        thresholdLabel: t(ind.measure === 'backlog' ? 'admin.target.threshold.dossiers' : 'admin.target.threshold'),
        thresholdHint: t(ind.measure === 'backlog' ? 'admin.target.hint.dossiers' : isDossierMeasure(ind.measure) ? 'admin.target.hint.share' : 'admin.target.threshold.hint'),
        errors: own?.errors ?? {},
      };
    }),
  );
  return { rows, nextYear, unconfirmed: rows.filter((r) => !r.confirmed && !r.missing).length };
}
