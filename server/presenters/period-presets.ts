/**
 * The period select's choices, shared by the dashboard and the comments page so both offer the same
 * periods in the same words; its own file so neither presenter imports the other for it.
 */
import { recentQuarters } from '../../analytics/periods.ts';
import type { Translate } from '../i18n/index.ts';
import type { Filters } from '../figures/filters.ts';

/** The period select's options: presets, the last completed quarters, and a range of one's own. */
export function periodPresets(filters: Filters, today: string, t: Translate) {
  return [
    ...(['month', 'quarter', 'year', '12m'] as const).map((p) => ({ value: p, label: t(`dash.period.${p}`), selected: filters.preset === p })),
    // The last completed quarters, as provinces report them ("Quý 2/2025").
    ...recentQuarters(today, 5)
      .slice(1)
      .map((q) => ({ value: q, label: t('dash.period.named.quarter', { q: q.slice(6), year: q.slice(0, 4) }), selected: filters.preset === q })),
    { value: 'custom', label: t('dash.period.custom'), selected: filters.preset === 'custom' },
  ];
}
