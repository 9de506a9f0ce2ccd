/**
 * A target's source in words (issue 21, item 8). A year added by copying stores the placeholder
 * "Mặc định theo chỉ tiêu 2025 / copied from 2025" (db/queries/targets.ts, db/seed/reference.ts;
 * a migration and the tests read it, so the stored text stays); an official reads what it means:
 * "Tạm lấy theo chỉ tiêu năm 2025 (chưa có quyết định cho năm 2026)". Any other source is the
 * decision an administrator typed, shown as typed.
 */
import type { Translate } from '../i18n/index.ts';

const COPIED = /^Mặc định theo chỉ tiêu (\d{4}) \/ copied from (\d{4})$/;

/** The year a placeholder source says the target was copied from, null for a real source. */
export function copiedFromYear(source: string): string | null {
  return COPIED.exec(source.trim())?.[2] ?? null;
}

export function targetSourceText(source: string, year: number | string, t: Translate): string {
  const from = copiedFromYear(source);
  return from === null ? source : t('admin.target.source.copied', { from, year });
}
