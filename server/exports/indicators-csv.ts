/**
 * GET /export/indicators.csv?group=… and `sipas export indicators`: one row per indicator per group
 * (field, unit, desk, month or quarter) with n, value, interval, target and verdict: the numbers of
 * the dashboard's charts, for Excel and the ministry's report templates. Percentages 0..100 with full
 * precision, like the API. Computed from the rollups inside one snapshot. Issue 20 adds, after the
 * columns templates read by position, each indicator beside the group's dossier counts (response rate,
 * the figure weighted by dossiers resolved) and one row per dossier indicator of each group with counts.
 */
import type { Kysely } from 'kysely';
import type { Verdict } from '../../analytics/verdict.ts';
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
import { verdictText as verdictText_, verdictWithProvisional } from '../presenters/verdict.ts';
import { BOM, type CsvFormat, csvLine, type CsvValue, STANDARD_CSV } from './csv.ts';
import { type PeopleCell, type PeopleColumn, peopleCsvHeader, peopleCsvLine, words, type Words, yesNo } from './people.ts';
import type { CsvSink } from './sink.ts';
import { openXlsx } from './xlsx.ts';

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

/** What an indicator measures, in words (the dossier targets' own measures included). */
const MEASURE_WORDS: Record<string, Words> = {
  overall_rate: words('Tỷ lệ hài lòng chung', 'Overall satisfaction rate'),
  sipas_index: words('Chỉ số SIPAS', 'SIPAS index'),
  item_rate: words('Tỷ lệ hài lòng theo tiêu chí', 'Satisfaction rate by criterion'),
  on_time_rate: words('Tỷ lệ hồ sơ giải quyết đúng hạn', 'Share of dossiers resolved on time'),
  apology_rate: words('Tỷ lệ hồ sơ quá hạn có thư xin lỗi', 'Share of late dossiers with an apology'),
  backlog: words('Số hồ sơ tồn quá hạn', 'Dossiers past due'),
  online_share: words('Tỷ lệ hồ sơ nộp trực tuyến', 'Share of dossiers submitted online'),
  service_766: words('Mức độ hài lòng theo Quyết định 766', 'Satisfaction under Decision 766'),
};

const GROUP_WORDS: Record<ExportGroup, Words> = {
  field: words('Lĩnh vực', 'Field'),
  unit: words('Đơn vị', 'Unit'),
  desk: words('Quầy', 'Desk'),
  month: words('Tháng', 'Month'),
  quarter: words('Quý', 'Quarter'),
};

/** The columns of the people's files (format=vn CSV, .xlsx): the group's code only for units (their official codes). */
export function indicatorPeopleColumns(by: ExportGroup): PeopleColumn[] {
  return [
    { ...words('Từ ngày', 'From'), kind: 'day', width: 11 },
    { ...words('Đến ngày', 'To'), kind: 'day', width: 11 },
    ...(by === 'unit' ? [{ ...words('Mã đơn vị', 'Unit code'), kind: 'text' as const, width: 10 }] : []),
    { ...GROUP_WORDS[by], kind: 'text', width: by === 'desk' ? 40 : 30 },
    { ...words('Chỉ số', 'Indicator'), kind: 'text', width: 40 },
    { ...words('Cách tính', 'Measure'), kind: 'text', width: 24 },
    { ...words('Số người trả lời', 'Respondents'), kind: 'int' },
    { ...words('Giá trị (%)', 'Value (%)'), kind: 'percent' },
    { ...words('Khoảng tin cậy 95%: từ (%)', '95% interval: from (%)'), kind: 'percent' },
    { ...words('Khoảng tin cậy 95%: đến (%)', '95% interval: to (%)'), kind: 'percent' },
    { ...words('Chỉ tiêu (%)', 'Target (%)'), kind: 'percent' },
    { ...words('Kết luận', 'Verdict'), kind: 'text', width: 40 },
    { ...words('Tạm tính', 'Provisional'), kind: 'text' },
    { ...words('Độ tin cậy của kết luận (%)', 'Confidence of the verdict (%)'), kind: 'percent' },
    { ...words('Tỷ lệ «Không ý kiến» (%)', 'Share «No opinion» (%)'), kind: 'percent' },
    { ...words('Giá trị nếu mọi «Không ý kiến» là không hài lòng (%)', 'Value if every «No opinion» were dissatisfied (%)'), kind: 'percent' },
    { ...words('Lưu ý về «Không ý kiến»', 'Note on «No opinion»'), kind: 'text', width: 30 },
    { ...words('Số phiếu trên 100 hồ sơ đã giải quyết', 'Responses per 100 dossiers resolved'), kind: 'decimal' },
    { ...words('Số hồ sơ', 'Dossiers'), kind: 'int' },
    { ...words('Hồ sơ ở quầy, lĩnh vực đã có phiếu (%)', 'Dossiers where responses were collected (%)'), kind: 'percent' },
    { ...words('Giá trị theo số hồ sơ (%)', 'Value weighted by dossiers (%)'), kind: 'percent' },
    { ...words('Theo số hồ sơ, khoảng tin cậy 95%: từ (%)', 'Weighted, 95% interval: from (%)'), kind: 'percent' },
    { ...words('Theo số hồ sơ, khoảng tin cậy 95%: đến (%)', 'Weighted, 95% interval: to (%)'), kind: 'percent' },
    { ...words('Kết luận theo số hồ sơ', 'Verdict weighted by dossiers'), kind: 'text', width: 30 },
    { ...words('Cỡ mẫu hiệu dụng theo số hồ sơ', 'Effective sample size, weighted'), kind: 'decimal' },
    { ...words('Con số theo số hồ sơ đứng đầu thẻ', 'Weighted figure heads the card'), kind: 'text' },
  ];
}

/** The rows of the export: the standard file's (every indicator of every group) and the people's (only those that apply). */
interface IndicatorTable {
  standard: CsvValue[][];
  people: PeopleCell[][];
}

async function indicatorTable(
  db: Kysely<Database>,
  request: ReportRequest,
  by: ExportGroup,
  opts: { lang: Lang; t: Translate; minN: number },
): Promise<IndicatorTable> {
  const { ctx, filter } = request;
  const { lang, t } = opts;
  // Judged like the dashboard: at the level of the whole period (provisional by analytics/periods.ts isProvisional), with the province pool's precision.
  // The dossier counts are read in the same snapshot, once for every group (dossier-groups.ts).
  const [groups, dossiers] = await readSnapshot(db, async (snapshot) => {
    const [groups, judging] = await Promise.all([groupedRows(snapshot, ctx, filter, by), judgingFor(snapshot, ctx, filter, { minN: opts.minN, today: request.today })]);
    return [groups.map((g) => ({ key: g.key, indicators: computeIndicators(g.rows, ctx, judging) })), await readDossierGroups(snapshot, ctx, filter, judging, by)] as const;
  });
  const withResponses = new Map(groups.map((g) => [g.key, g.indicators]));
  // Groups with responses, and those with counts only (a desk that resolved dossiers and got no response), in the export's order.
  const keys = [...new Set([...withResponses.keys(), ...[...dossiers.values()].filter((d) => d.totals.rows > 0).map((d) => d.key)])].sort(groupOrder(by, ctx));
  const table: IndicatorTable = { standard: [], people: [] };
  const measureWords = (measure: string) => {
    const w = MEASURE_WORDS[measure];
    return w ? pick(lang, w.vi, w.en) : '';
  };
  for (const key of keys) {
    const label = groupLabel(by, key, ctx, lang, t);
    const group = by === 'unit' ? [label.code, label.name] : [label.name];
    const counts = dossiers.get(key);
    for (const ind of withResponses.get(key) ?? []) {
      const served = servedCells(ind, counts, ctx);
      const verdictText = verdictWithProvisional(ind, t, opts.minN);
      const warning = noOpinionWords(ind, lang, t).warning;
      table.standard.push([
        filter.from, filter.to, by, label.code, label.name, ind.code, pick(lang, ind.nameVi, ind.nameEn), ind.measure,
        ind.n, percent(ind.value), percent(ind.ci?.low), percent(ind.ci?.high), ind.target, ind.verdict,
        verdictText, ind.provisional ? 1 : 0, ind.confidence.level * 100,
        percent(ind.noOpinionShare), percent(ind.valueIfNoOpinionDissatisfied), warning,
        ...served,
      ]);
      // An indicator applies to a group when some of its respondents or dossiers are the indicator's
      // (a commune's one-stop desk has no health or education row for people).
      const [rate, dossierCount, coverage, weighted, weightedLow, weightedHigh, weightedVerdict, nEff, heads] = served;
      if (ind.n === 0 && !(typeof dossierCount === 'number' && dossierCount > 0)) continue;
      table.people.push([
        filter.from, filter.to, ...group, pick(lang, ind.nameVi, ind.nameEn), measureWords(ind.measure),
        ind.n, percent(ind.value), percent(ind.ci?.low), percent(ind.ci?.high), ind.target, verdictText,
        yesNo(ind.provisional, lang), ind.confidence.level * 100,
        percent(ind.noOpinionShare), percent(ind.valueIfNoOpinionDissatisfied), warning,
        rate, dossierCount, coverage, weighted, weightedLow, weightedHigh,
        typeof weightedVerdict === 'string' ? verdictText_(weightedVerdict as Verdict, t, opts.minN) : null, nEff,
        heads === null ? null : yesNo(heads === 1, lang),
      ]);
    }
    if (!counts || counts.totals.rows === 0) continue;
    for (const d of counts.indicators) {
      // Only the dossier indicators whose fields have counts in the group (a hospital's fields are not the procedures').
      if (d.value === null && !d.nothingOwed) continue;
      const isPercent = d.rule.unit === 'percent';
      const value = isPercent ? percent(d.value) : d.value;
      const verdictText = dossierVerdictText(d, t);
      table.standard.push([
        filter.from, filter.to, by, label.code, label.name, d.code, pick(lang, d.nameVi, d.nameEn), d.measure,
        null, value, null, null, d.target, d.verdict, verdictText,
        null, null, null, null, null,
        null, isPercent ? d.base : null, null, null, null, null, null, null, null,
      ]);
      // A count of dossiers past due is a number of dossiers, not a percentage: its value and target say so.
      const asCount = (v: number | null) => (v === null || isPercent ? v : { kind: 'int' as const, value: v });
      table.people.push([
        filter.from, filter.to, ...group, pick(lang, d.nameVi, d.nameEn), measureWords(d.measure),
        null, asCount(value), null, null, asCount(d.target), verdictText,
        null, null, null, null, null,
        null, isPercent ? d.base : null, null, null, null, null, null, null, null,
      ]);
    }
  }
  return table;
}

export async function writeIndicatorsCsv(
  db: Kysely<Database>,
  request: ReportRequest,
  by: ExportGroup,
  out: CsvSink,
  opts: { format: CsvFormat; lang: Lang; t: Translate; minN: number },
): Promise<{ rows: number }> {
  const table = await indicatorTable(db, request, by, opts);
  if (opts.format === STANDARD_CSV) {
    await out.write(BOM + csvLine(INDICATOR_COLUMNS, opts.format) + table.standard.map((row) => csvLine(row, opts.format)).join(''));
    return { rows: table.standard.length };
  }
  const columns = indicatorPeopleColumns(by);
  await out.write(BOM + peopleCsvHeader(columns, opts.format, opts.lang) + table.people.map((row) => peopleCsvLine(columns, row, opts.format)).join(''));
  return { rows: table.people.length };
}

/** The same rows as the people's CSV, in a workbook. */
export async function writeIndicatorsXlsx(
  db: Kysely<Database>,
  request: ReportRequest,
  by: ExportGroup,
  out: CsvSink,
  opts: { lang: Lang; t: Translate; minN: number },
): Promise<{ rows: number }> {
  const table = await indicatorTable(db, request, by, opts);
  const book = await openXlsx(out);
  const sheet = book.sheet(pick(opts.lang, 'Chỉ số', 'Indicators'), indicatorPeopleColumns(by), opts.lang);
  for (const row of table.people) sheet.add(row);
  sheet.commit();
  await book.finish();
  return { rows: table.people.length };
}
