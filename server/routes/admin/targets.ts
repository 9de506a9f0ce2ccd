/**
 * /admin/targets: the threshold of each indicator per year and the document it comes from. The
 * years after the plan's own start as copies of the previous year, marked so, until an
 * administrator confirms or edits them. The writes are server/targets/ commands.
 */
import { type Request, type Response, Router } from 'express';
import { localDay } from '../../../analytics/time.ts';
import { listIndicators } from '../../../db/queries/targets.ts';
import { staffOf } from '../../auth/middleware.ts';
import { setFlash } from '../../middleware/flash.ts';
import { localeOf } from '../../middleware/locale.ts';
import { renderError } from '../../middleware/render.ts';
import { type FailedTarget, presentTargets } from '../../presenters/admin/targets.ts';
import { addTargetYear } from '../../targets/add-target-year.ts';
import { saveIndicatorTarget } from '../../targets/save-target.ts';
import type { RouteDeps } from '../deps.ts';
import { renderStaffPage } from './page.ts';
import { TargetFormSchema, TargetYearFormSchema } from './targets.schema.ts';

export function adminTargetRoutes({ db, now }: RouteDeps): Router {
  const router = Router();

  /** The table, with the form of one row re-shown when it had errors. */
  async function renderTargets(_req: Request, res: Response, failed: FailedTarget | null, status = 200) {
    const { lang, t } = localeOf(res);
    const { indicators, targets } = await listIndicators(db);
    const view = presentTargets(indicators, targets, failed, Number(localDay(now()).slice(0, 4)), lang, t);
    renderStaffPage(res, 'pages/admin/targets', { title: t('admin.targets.title'), section: 'targets', status }, view);
  }

  router.get('/admin/targets', (req, res) => renderTargets(req, res, null));

  router.post('/admin/targets', async (req, res) => {
    const { t, langQuery } = localeOf(res);
    const parsed = TargetFormSchema.safeParse(req.body ?? {});
    if (!parsed.success) return renderError(res, 400);
    const { indicator: indicatorId, year, threshold, source } = parsed.data;
    const values = { threshold, source };
    const saved = await saveIndicatorTarget(db, staffOf(res), { indicatorId, year, values }, now().toISOString(), t);
    if (!saved.ok) {
      if (saved.status !== 422) return renderError(res, saved.status);
      return renderTargets(req, res, { key: `${indicatorId}-${year}`, values, errors: saved.errors }, 422);
    }
    setFlash(req, 'admin.target.saved', { year });
    res.redirect(303, `/admin/targets${langQuery}`);
  });

  router.post('/admin/targets/year', async (req, res) => {
    const parsed = TargetYearFormSchema.safeParse(req.body ?? {});
    if (!parsed.success) return renderError(res, 400);
    const { year } = parsed.data;
    const added = await addTargetYear(db, staffOf(res), year, now().toISOString());
    if (!added.ok) return renderError(res, added.status);
    setFlash(req, 'admin.target.year.added', { year, n: added.added });
    res.redirect(303, `/admin/targets${localeOf(res).langQuery}`);
  });

  return router;
}
