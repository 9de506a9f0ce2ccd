/**
 * GET /export/indicators.csv?group=… and `sipas export indicators`: one row per indicator per group
 * (field, unit, desk, month or quarter) with n, value, interval, target and verdict: the numbers of
 * the dashboard's charts, for Excel and the ministry's report templates. Percentages 0..100 with full
 * precision, like the API. Computed from the rollups inside one snapshot. Issue 20 adds, after the
 * columns templates read by position, each indicator beside the group's dossier counts (response rate,
 * the figure weighted by dossiers resolved) and one row per dossier indicator of each group with counts.
 */
import type { Kysely } from 'kysely';
import { formatMonth } from '../presenters/format.ts';
import { readSnapshot } from '../../db/snapshot.ts';
import type { Database } from '../../db/schema.ts';
import { type Lang, pick, type Translate } from '../i18n/index.ts';
import type { ReportContext } from '../figures/context.ts';
import { judgingFor } from '../figures/dashboard.ts';
import { coveredResolved, type DossierGroup, groupOrder, readDossierGroups } from '../figures/dossier-groups.ts';
import type { DossierIndicatorResult } from '../figures/dossiers.ts';
import { type ExportGroup, groupedRows } from '../figures/groups.ts';
import { computeIndicators, type IndicatorResult } from '../figures/indicator-results.ts';
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
  // Added by issue 20, as in the API (empty without counts): the indicator's responses per dossier resolved in
  // the cells it covers, those dossiers, the share of them at cells with responses, and the figure weighted by them
  // (empty for month and quarter groups: server/figures/dossier-groups.ts).
  'response_rate', 'dossiers', 'dossier_coverage', 'value_weighted', 'ci_low_weighted', 'ci_high_weighted', 'verdict_weighted',
  // and, as in the API, the weighted figure's effective sample size and whether it heads the dashboard's card (1/0).
  'n_eff_weighted', 'weighted_heads',
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


/** The issue-20 columns of a satisfaction row: empty where the group has no counts. */
function servedCells(ind: IndicatorResult, group: DossierGroup | undefined, ctx: ReportContext): (number | string | null)[] {
  const indicator = ctx.indicators.find((i) => i.code === ind.code);
  if (!group || group.totals.rows === 0 || !indicator) return [null, null, null, null, null, null, null, null, null];
  const w = group.weighted?.get(ind.code);
  if (w) {
    const r = w.result;
    return [
      r.dossiers > 0 ? (w.responses / r.dossiers) * 100 : null,
      r.dossiers,
      r.uncoveredShare === null ? null : (1 - r.uncoveredShare) * 100,
      percent(r.value), percent(r.ci?.low), percent(r.ci?.high), w.verdict,
      r.value === null ? null : r.nEff, w.heads ? 1 : 0,
    ];
  }
  // Months and quarters (no weighting), or an indicator none of whose fields has counts in the group.
  const dossiers = coveredResolved(group, indicator, ctx);
  return [dossiers > 0 ? (ind.n / dossiers) * 100 : null, dossiers > 0 ? dossiers : null, null, null, null, null, null, null, null];
}

/** A dossier indicator's verdict in words: a count of every dossier, so met or not met, never "inconclusive". */
function dossierVerdictText(d: DossierIndicatorResult, t: Translate): string {
  if (d.verdict === null) return t('dossierfig.verdict.none');
  if (d.verdict === 'not_met') return t('dossierfig.verdict.not_met');
  return d.nothingOwed ? t('dossierfig.verdict.met.nothing_owed') : t('dossierfig.verdict.met');
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
  // The dossier counts are read in the same snapshot, once for every group (dossier-groups.ts).
  const [groups, dossiers] = await readSnapshot(db, async (snapshot) => {
    const [groups, judging] = await Promise.all([groupedRows(snapshot, ctx, filter, by), judgingFor(snapshot, ctx, filter, { minN: opts.minN, today: request.today })]);
    return [groups.map((g) => ({ key: g.key, indicators: computeIndicators(g.rows, ctx, judging) })), await readDossierGroups(snapshot, ctx, filter, judging, by)] as const;
  });
  const withResponses = new Map(groups.map((g) => [g.key, g.indicators]));
  // Groups with responses, and those with counts only (a desk that resolved dossiers and got no response), in the export's order.
  const keys = [...new Set([...withResponses.keys(), ...[...dossiers.values()].filter((d) => d.totals.rows > 0).map((d) => d.key)])].sort(groupOrder(by, ctx));
  let text = BOM + csvLine(INDICATOR_COLUMNS, opts.format);
  let rows = 0;
  for (const key of keys) {
    const label = groupLabel(by, key, ctx, opts.lang, opts.t);
    const counts = dossiers.get(key);
    for (const ind of withResponses.get(key) ?? []) {
      text += csvLine(
        [
          filter.from, filter.to, by, label.code, label.name, ind.code, pick(opts.lang, ind.nameVi, ind.nameEn), ind.measure,
          ind.n, percent(ind.value), percent(ind.ci?.low), percent(ind.ci?.high), ind.target, ind.verdict,
          verdictWithProvisional(ind, opts.t, opts.minN), ind.provisional ? 1 : 0, ind.confidence.level * 100,
          percent(ind.noOpinionShare), percent(ind.valueIfNoOpinionDissatisfied), noOpinionWords(ind, opts.lang, opts.t).warning,
          ...servedCells(ind, counts, ctx),
        ],
        opts.format,
      );
      rows++;
    }
    if (!counts || counts.totals.rows === 0) continue;
    for (const d of counts.indicators) {
      // Only the dossier indicators whose fields have counts in the group (a hospital's fields are not the procedures').
      if (d.value === null && !d.nothingOwed) continue;
      text += csvLine(
        [
          filter.from, filter.to, by, label.code, label.name, d.code, pick(opts.lang, d.nameVi, d.nameEn), d.measure,
          null, d.rule.unit === 'percent' ? percent(d.value) : d.value, null, null, d.target, d.verdict, dossierVerdictText(d, opts.t),
          null, null, null, null, null,
          null, d.rule.unit === 'percent' ? d.base : null, null, null, null, null, null, null, null,
        ],
        opts.format,
      );
      rows++;
    }
  }
  await out.write(text);
  return { rows };
}
