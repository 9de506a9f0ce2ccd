/** A verdict in words and as a CSS class: one wording for the dashboard, the report, the exports and the public page. */
import type { Verdict } from '../../analytics/verdict.ts';
import type { Translate } from '../i18n/index.ts';

export function verdictText(v: Verdict | null, t: Translate, minN: number): string {
  if (v === null) return t('verdict.none');
  return v === 'insufficient' ? t('verdict.insufficient', { min: minN }) : t(`verdict.${v}`);
}

export function verdictClass(v: Verdict | null): string {
  return `verdict verdict--${v ?? 'none'}`;
}
