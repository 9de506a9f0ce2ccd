/**
 * JSON API v1 (design.md): the dashboard's filters, authorised by session or Bearer token, scoped
 * like the user. Percentages are numbers 0..100 with full precision; null when n is 0.
 */
import { type Request, type Response, Router } from 'express';
import type { Period } from '../../analytics/periods.ts';
import { answered } from '../../analytics/ratings.ts';
import { localDay } from '../../analytics/time.ts';
import { questionTotals, type RollupFilter } from '../../db/queries/analytics.ts';
import { requireStaffApi, staffOf } from '../auth/middleware.ts';
import type { Staff } from '../auth/scope.ts';
import { parseFilters } from '../dashboard/filters.ts';
import { scopedFilter } from '../dashboard/scope.ts';
import { localeOf } from '../middleware/locale.ts';
import { loadReportContext, type ReportContext } from '../reports/context.ts';
import { indicatorReport, questionStats } from '../reports/dashboard.ts';
import type { RouteDeps } from './deps.ts';

const pct = (share: number | null | undefined) => (share === null || share === undefined ? null : share * 100);

export function apiRoutes({ db, now, config }: RouteDeps): Router {
  const minN = config.minResponses;
  const router = Router();
  router.use('/api/v1', requireStaffApi);

  async function resolve(req: Request, res: Response): Promise<{ ctx: ReportContext; filter: RollupFilter; period: Period } | null> {
    const staff = staffOf(res) as Staff;
    const ctx = await loadReportContext(db);
    const parsed = parseFilters(req.query, localDay(now()), ctx);
    if (!parsed.ok) {
      res.status(400).json({ error: localeOf(res).t(parsed.message, parsed.params) });
      return null;
    }
    const scope = scopedFilter(parsed.filters, staff, ctx, localDay(now()));
    if (!scope.ok) {
      res.status(403).json({ error: localeOf(res).t('error.403.body') });
      return null;
    }
    return { ctx, filter: scope.filter, period: parsed.filters.period };
  }

  router.get('/api/v1/indicators', async (req, res) => {
    const resolved = await resolve(req, res);
    if (!resolved) return;
    const indicators = await indicatorReport(db, resolved.ctx, resolved.filter, { minN, today: localDay(now()) });
    res.set('Cache-Control', 'no-store').json({
      period: resolved.period,
      indicators: indicators.map((i) => ({
        code: i.code,
        name: localeOf(res).lang === 'en' ? i.nameEn : i.nameVi,
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
        missing_elements: i.missingElements.map((m) => ({
          questionnaire: resolved.ctx.questionnaireName.get(m.questionnaireId)?.code ?? null,
          version: resolved.ctx.questionnaireName.get(m.questionnaireId)?.version ?? null,
          elements: m.elements,
        })),
      })),
    });
  });

  router.get('/api/v1/questions', async (req, res) => {
    const resolved = await resolve(req, res);
    if (!resolved) return;
    const rows = await questionTotals(db, resolved.filter, 'none');
    const groups = questionStats({ questions: rows, moments: [] }, resolved.ctx);
    res.set('Cache-Control', 'no-store').json({
      period: resolved.period,
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
