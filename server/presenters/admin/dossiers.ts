/**
 * The dossier import page's view model (issue 20): the column dictionary in the reader's language,
 * a check's or an import's summary in words, and every problem as "Dòng N: …" so the person who
 * exported the file finds each row in Excel. The command line says the same problems in both
 * languages through `describeCountsProblem`.
 */
import { COLUMN_HEADERS, COLUMNS, type Column, type CountsProblem, isCountColumn } from '../../dossiers/counts-file.ts';
import type { ImportSummary } from '../../dossiers/import-counts.ts';
import type { Lang, Translate } from '../../i18n/index.ts';
import { formatCount, formatDay } from '../format.ts';

/** Problems shown on the page; the rest are counted ("Và 12 lỗi khác"). */
export const PROBLEMS_SHOWN = 200;

/** A column as the reader's language names it in the header: Vietnamese first, else English. */
export function columnName(column: Column, lang: Lang): string {
  const names = COLUMN_HEADERS[column];
  return (lang === 'vi' ? names[0] : names[1]) ?? column;
}

function megabytes(bytes: number): string {
  return `${Math.round(bytes / (1024 * 1024))} MB`;
}

export function describeCountsProblem(p: CountsProblem, t: Translate, lang: Lang): string {
  const key = `dossiers.problem.${p.code}` as const;
  switch (p.code) {
    case 'too-large':
      return t(key, { limit: megabytes(p.limit) });
    case 'too-many-rows':
      return t(key, { limit: formatCount(p.limit, lang) });
    case 'missing-columns':
      return t(key, { columns: p.columns.map((c) => `«${columnName(c, lang)}»`).join(', ') });
    case 'unknown-column':
    case 'repeated-column':
      return t(key, { header: p.header });
    case 'width':
      return t(key, { expected: p.expected, found: p.found });
    case 'day':
    case 'channel':
    case 'unknown-unit':
    case 'unknown-field':
    case 'not-your-unit':
      return t(key, { value: p.value });
    case 'unknown-desk':
      return t(key, { unit: p.unit, value: p.value });
    case 'future-day':
      return t(key, { day: formatDay(p.value) });
    case 'blank':
      return t(isCountColumn(p.column) ? 'dossiers.problem.blank-count' : key, { column: columnName(p.column, lang) });
    case 'resolved-split':
      return t(key, { onTime: formatCount(p.onTime, lang), late: formatCount(p.late, lang), resolved: formatCount(p.resolved, lang) });
    case 'apologised-late':
      return t(key, { apologised: formatCount(p.apologised, lang), late: formatCount(p.late, lang) });
    case 'count':
      return t(key, { column: columnName(p.column, lang), value: p.value });
    case 'repeated-key':
      return t(key, { first: p.first });
    default:
      return t(key);
  }
}

/** `unlisted`: problems the import found beyond those it kept. */
export function problemLines(problems: CountsProblem[], t: Translate, lang: Lang, unlisted = 0): { lines: string[]; more: string } {
  const sorted = [...problems].sort((a, b) => a.line - b.line);
  const lines = sorted.slice(0, PROBLEMS_SHOWN).map((p) => t('dossiers.line', { line: p.line, problem: describeCountsProblem(p, t, lang) }));
  const hidden = Math.max(0, sorted.length - PROBLEMS_SHOWN) + unlisted;
  const more = hidden > 0 ? t('dossiers.more', { n: formatCount(hidden, lang) }) : '';
  return { lines, more };
}

export function summaryText(s: ImportSummary, t: Translate, lang: Lang): string {
  return t('dossiers.summary', {
    rows: formatCount(s.rows, lang),
    desks: formatCount(s.desks, lang),
    from: formatDay(s.from),
    to: formatDay(s.to),
    received: formatCount(s.received, lang),
    resolved: formatCount(s.resolved, lang),
  });
}

export interface DossierPageInput {
  lang: Lang;
  t: Translate;
  langQuery: string;
  manager: boolean;
  uploadLimitBytes: number;
  checked?: ImportSummary;
  problems?: CountsProblem[];
  /** Problems found beyond those listed. */
  moreProblems?: number;
  /** The uploaded file's name, as the person knows it. */
  fileName?: string;
  /** A refusal that is not about rows (no file, a file too large). */
  message?: string;
}

export function presentDossierPage(input: DossierPageInput) {
  const { t, lang } = input;
  const refused = input.problems !== undefined && input.problems.length > 0 ? problemLines(input.problems, t, lang, input.moreProblems) : null;
  const total = (input.problems?.length ?? 0) + (input.moreProblems ?? 0);
  return {
    action: `/admin/dossiers${input.langQuery}`,
    sampleHref: `/admin/dossiers/sample.csv${input.langQuery}`,
    fileLabel: t('dossiers.file', { mb: Math.round(input.uploadLimitBytes / (1024 * 1024)) }),
    sampleNote: t('dossiers.sample.note'),
    manager: input.manager ? t('dossiers.manager') : '',
    message: input.message ?? '',
    fileName: input.fileName ? t('dossiers.fileName', { name: input.fileName }) : '',
    refused: refused ? { title: t('dossiers.refused', { n: formatCount(total, lang) }), lines: refused.lines, more: refused.more } : null,
    checked: input.checked
      ? {
          summary: summaryText(input.checked, t, lang),
          replaces: t(input.checked.replaced > 0 ? 'dossiers.summary.replaces' : 'dossiers.summary.replaces-none', { n: formatCount(input.checked.replaced, lang) }),
          next: t('dossiers.checked'),
        }
      : null,
    columns: COLUMNS.map((c) => ({
      header: columnName(c, lang),
      also: columnName(c, lang === 'vi' ? 'en' : 'vi'),
      meaning: t(`dossiers.col.${c}`),
    })),
  };
}

export type DossierPageView = ReturnType<typeof presentDossierPage>;
