/**
 * JSON API v1 (design.md): the dashboard's filters, authorised by session or Bearer token, scoped
 * like the user. Percentages are numbers 0..100 with full precision; null when n is 0. The dossier
 * fields (issue 20) come from server/figures/dossiers.ts, null when the filter has no imported counts.
 */
import { type Request, type Response, Router } from 'express';
import { answered } from '../../analytics/ratings.ts';
import { localDay } from '../../analytics/time.ts';
import { questionTotals } from '../../db/queries/analytics.ts';
import { requireStaffApi, staffOf } from '../auth/middleware.ts';
import { localeOf } from '../middleware/locale.ts';
import { renderRefusal } from '../middleware/render.ts';
import { computeIndicators } from '../figures/indicator-results.ts';
import { readRows } from '../figures/groups.ts';
import { judgingFor, questionStats } from '../figures/dashboard.ts';
import { dossierFigures, type DossierIndicatorResult } from '../figures/dossiers.ts';
import { type ReportRequest, resolveReportRequest } from '../figures/request.ts';
import type { RouteDeps } from './deps.ts';

const pct = (share: number | null | undefined) => (share === null || share === undefined ? null : share * 100);

/** A dossier indicator's value as the API gives it: percent 0..100 for shares, a number of dossiers for the backlog. */
const dossierValueOut = (d: DossierIndicatorResult) => (d.value === null ? null : d.rule.unit === 'percent' ? d.value * 100 : d.value);

export function apiRoutes({ db, now, config }: RouteDeps): Router {
  const minN = config.minResponses;
  const router = Router();
  router.use('/api/v1', requireStaffApi);

  async function resolve(req: Request, res: Response): Promise<ReportRequest | null> {
    const resolved = await resolveReportRequest(db, req.query, { kind: 'staff', staff: staffOf(res) }, localDay(now()));
    if (resolved.ok) return resolved.request;
    renderRefusal(res, resolved);
    return null;
  }

  router.get('/api/v1/indicators', async (req, res) => {
    const resolved = await resolve(req, res);
    if (!resolved) return;
    const { ctx, filter } = resolved;
    // As indicatorReport, with the judging kept for the dossier figures (issue 20): read once, used twice.
    const [rows, judging] = await Promise.all([readRows(db, filter, 'none'), judgingFor(db, ctx, filter, { minN, today: resolved.today })]);
    const indicators = computeIndicators(rows, ctx, judging);
    const dossiers = await dossierFigures(db, ctx, filter, judging);
    const lang = localeOf(res).lang;
    res.json({
      period: resolved.filters.period,
      indicators: indicators.map((i) => {
        // Added by issue 20: the indicator beside the dossiers of the cells it covers; null without counts for the filter.
        const w = dossiers.hasCounts ? dossiers.weighted.get(i.code) : undefined;
        const weighted = w?.result;
        return {
          code: i.code,
          name: lang === 'en' ? i.nameEn : i.nameVi,
          measure: i.measure,
          target: i.target,
          n: i.n,
          value: pct(i.value),
          ci_low: pct(i.ci?.low),
          ci_high: pct(i.ci?.high),
          verdict: i.verdict,
          // Added by issue 11; the fields above are the stable interface (design.md).
          n_eff: i.nEff,
          provisional: i.provisional,
          confidence: i.confidence.level * 100,
          verdict_ci_low: pct(i.verdictCi?.low),
          verdict_ci_high: pct(i.verdictCi?.high),
          more_responses: i.settle?.more ?? null,
          // Added by issue 18: why more_responses is null for an inconclusive verdict ('on-target', 'too-many').
          more_responses_reason: i.settle?.reason ?? null,
          // Added by issue 18, item 7, for the composites (null for the overall rate and without data): the share of
          // criterion answers "Không ý kiến" and the value if every one of them (and every blank criterion) were
          // dissatisfied, both 0..100; the flag says the verdict is "met" but that value is not above the target.
          no_opinion_share: pct(i.noOpinionShare),
          value_if_no_opinion_dissatisfied: pct(i.valueIfNoOpinionDissatisfied),
          met_rests_on_no_opinion: i.worstCaseFailsTarget,
          missing_elements: i.missingElements.map((m) => ({
            questionnaire: resolved.ctx.questionnaireName.get(m.questionnaireId)?.code ?? null,
            version: resolved.ctx.questionnaireName.get(m.questionnaireId)?.version ?? null,
            elements: m.elements,
          })),
          response_rate: w && weighted && weighted.dossiers > 0 ? (w.responses / weighted.dossiers) * 100 : null,
          dossiers: weighted?.dossiers ?? null,
          dossier_coverage: weighted === undefined || weighted.uncoveredShare === null ? null : (1 - weighted.uncoveredShare) * 100,
          value_weighted: pct(weighted?.value),
          ci_low_weighted: pct(weighted?.ci?.low),
          ci_high_weighted: pct(weighted?.ci?.high),
          n_eff_weighted: weighted && weighted.value !== null ? weighted.nEff : null,
          verdict_weighted: w?.verdict ?? null,
          weighted_heads: w ? w.heads : null,
        };
      }),
      // Added by issue 20: the plan's dossier targets, counts of every dossier: met or not, no interval.
      dossier_indicators: dossiers.indicators.map((d) => ({
        code: d.code,
        name: lang === 'en' ? d.nameEn : d.nameVi,
        measure: d.measure,
        comparison: d.rule.comparison,
        unit: d.rule.unit,
        target: d.target,
        value: dossierValueOut(d),
        base: d.base,
        verdict: d.verdict,
        nothing_owed: d.nothingOwed,
      })),
      dossiers: dossiers.hasCounts
        ? {
            received: dossiers.totals.received,
            resolved: dossiers.totals.resolved,
            on_time: dossiers.totals.onTime,
            late: dossiers.totals.late,
            apologised: dossiers.totals.apologised,
            backlog: dossiers.totals.backlog,
            complaints: dossiers.totals.complaints,
            resolved_online: dossiers.totals.resolvedOnline,
            responses: dossiers.responses,
            response_rate: pct(dossiers.responseRate),
          }
        : null,
    });
  });

  router.get('/api/v1/questions', async (req, res) => {
    const resolved = await resolve(req, res);
    if (!resolved) return;
    const rows = await questionTotals(db, resolved.filter, 'none');
    const groups = questionStats({ questions: rows, moments: [] }, resolved.ctx);
    res.json({
      period: resolved.filters.period,
      questions: groups.flatMap((g) =>
        g.questions.map((q) => ({
          questionnaire: q.meta.questionnaireCode,
          version: q.meta.questionnaireVersion,
          key: q.meta.key,
          element: q.meta.element,
          counts: { '1': q.counts.n1, '2': q.counts.n2, '3': q.counts.n3, '4': q.counts.n4, '5': q.counts.n5 },
          no_opinion: q.counts.n0,
          n: answered(q.counts),
          rate: pct(q.rate.value),
        })),
      ),
    });
  });

  return router;
}
