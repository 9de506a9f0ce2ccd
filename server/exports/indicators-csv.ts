/**
 * GET /export/indicators.csv?group=… and `sipas export indicators`: one row per indicator per group
 * (field, unit, desk, month or quarter) with n, value, interval, target and verdict: the numbers of
 * the dashboard's charts, for Excel and the ministry's report templates. Percentages 0..100 with full
 * precision, like the API. Computed from the rollups inside one snapshot.
 */
import type { Kysely } from 'kysely';
import { formatMonth } from '../presenters/format.ts';
import { readSnapshot } from '../../db/snapshot.ts';
import type { Database } from '../../db/schema.ts';
import { type Lang, pick, type Translate } from '../i18n/index.ts';
import type { ReportContext } from '../figures/context.ts';
import { judgingFor } from '../figures/dashboard.ts';
import { type ExportGroup, groupedRows } from '../figures/groups.ts';
import { computeIndicators } from '../figures/indicator-results.ts';
import type { ReportRequest } from '../figures/request.ts';
import { noOpinionWords } from '../presenters/verdict.ts';
import { verdictWithProvisional } from '../presenters/verdict.ts';
import { BOM, type CsvFormat, csvLine } from './csv.ts';
import type { CsvSink } from './sink.ts';

export const INDICATOR_COLUMNS = [
  'period_from', 'period_to', 'group_by', 'group_code', 'group_name', 'indicator_code', 'indicator_name', 'measure',
  'n', 'value', 'ci_low', 'ci_high', 'target', 'verdict', 'verdict_text',
  // Added by issue 18, after the columns templates already read: the same flag and level as the API.
  'provisional', 'confidence',
  // Added by issue 18, item 7, for the composites (empty for the overall rate and without data), as in the API:
  // the share of criterion answers "Không ý kiến", the value if all of them (and every blank criterion) were
  // dissatisfied, and in words when a "met" verdict rests on them.
  'no_opinion_share', 'value_if_no_opinion_dissatisfied', 'no_opinion_warning',
] as const;

const percent = (share: number | null | undefined) => (share === null || share === undefined ? null : share * 100);

/** The code and the name people read for a group: the code is what the dashboard's filters take. */
function groupLabel(by: ExportGroup, key: string, ctx: ReportContext, lang: Lang, t: Translate): { code: string; name: string } {
  switch (by) {
    case 'field': {
      const field = ctx.fieldById.get(Number(key));
      return { code: field?.code ?? key, name: field ? pick(lang, field.name_vi, field.name_en) : key };
    }
    case 'unit': {
      const unit = ctx.unitById.get(Number(key));
      return { code: unit?.code ?? key, name: unit?.name ?? key };
    }
    case 'desk': {
      const desk = ctx.desks.find((d) => String(d.id) === key);
      return { code: key, name: desk ? `${desk.unitName} · ${desk.name}` : key };
    }
    case 'month':
      return { code: key, name: t('reports.month', { month: formatMonth(key) }) };
    case 'quarter':
      return { code: key, name: t('dash.period.named.quarter', { q: key.slice(6), year: key.slice(0, 4) }) };
  }
}


export async function writeIndicatorsCsv(
  db: Kysely<Database>,
  request: ReportRequest,
  by: ExportGroup,
  out: CsvSink,
  opts: { format: CsvFormat; lang: Lang; t: Translate; minN: number },
): Promise<{ rows: number }> {
  const { ctx, filter } = request;
  // Judged like the dashboard: at the level of the whole period (provisional by analytics/periods.ts isProvisional), with the province pool's precision.
  const [groups, judging] = await readSnapshot(db, (snapshot) =>
    Promise.all([groupedRows(snapshot, ctx, filter, by), judgingFor(snapshot, ctx, filter, { minN: opts.minN, today: request.today })]),
  );
  let text = BOM + csvLine(INDICATOR_COLUMNS, opts.format);
  let rows = 0;
  for (const group of groups) {
    const label = groupLabel(by, group.key, ctx, opts.lang, opts.t);
    for (const ind of computeIndicators(group.rows, ctx, judging)) {
      text += csvLine(
        [
          filter.from, filter.to, by, label.code, label.name, ind.code, pick(opts.lang, ind.nameVi, ind.nameEn), ind.measure,
          ind.n, percent(ind.value), percent(ind.ci?.low), percent(ind.ci?.high), ind.target, ind.verdict,
          verdictWithProvisional(ind, opts.t, opts.minN), ind.provisional ? 1 : 0, ind.confidence.level * 100,
          percent(ind.noOpinionShare), percent(ind.valueIfNoOpinionDissatisfied), noOpinionWords(ind, opts.lang, opts.t).warning,
        ],
        opts.format,
      );
      rows++;
    }
  }
  await out.write(text);
  return { rows };
}
