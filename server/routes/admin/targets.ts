/**
 * /admin/targets: the threshold of each indicator per year and the document it comes from. The
 * years after the plan's own start as copies of the previous year, marked so, until an
 * administrator confirms or edits them.
 */
import { type Request, type Response, Router } from 'express';
import { audit } from '../../../db/queries/audit.ts';
import { copyTargetsToYear, listIndicators, saveTarget } from '../../../db/queries/targets.ts';
import { staffOf } from '../../auth/middleware.ts';
import { setFlash } from '../../middleware/flash.ts';
import { pick } from '../../i18n/index.ts';
import { localeOf } from '../../middleware/locale.ts';
import { formatDateTime, formatPercent } from '../../presenters/format.ts';
import { renderError } from '../../middleware/render.ts';
import type { RouteDeps } from '../deps.ts';
import { bodyOf, type FormErrors, positiveId, text } from './forms.ts';
import { renderStaffPage } from './page.ts';

const MIN_YEAR = 2020;
const MAX_YEAR = 2035;

export function adminTargetRoutes({ db, now }: RouteDeps): Router {
  const router = Router();

  /** The table, with the form of one row re-shown when it had errors. */
  async function renderTargets(req: Request, res: Response, failed: { key: string; values: Record<string, string>; errors: FormErrors } | null, status = 200) {
    const { lang, t } = localeOf(res);
    const { indicators, targets } = await listIndicators(db);
    const years = [...new Set(targets.map((tg) => Number(tg.valid_from.slice(0, 4))))].sort();
    const nextYear = (years.at(-1) ?? Number(now().toISOString().slice(0, 4))) + 1;
    const rows = indicators.flatMap((ind) =>
      years.map((year) => {
        const target = targets.find((tg) => tg.indicator_id === ind.id && tg.valid_from === `${year}-01-01`);
        const key = `${ind.id}-${year}`;
        const own = failed?.key === key ? failed : null;
        return {
          key,
          indicator: pick(lang, ind.name_vi, ind.name_en),
          year,
          indicatorId: ind.id,
          threshold: own?.values.threshold ?? (target ? String(target.threshold) : ''),
          source: own?.values.source ?? target?.source ?? '',
          confirmed: target?.confirmed === 1,
          missing: target === undefined,
          updated: target?.updated_at ? formatDateTime(target.updated_at, lang) : '',
          shown: target ? `${formatPercent(target.threshold / 100, lang, 0)}%` : '—',
          errors: own?.errors ?? {},
        };
      }),
    );
    renderStaffPage(res, 'pages/admin/targets', { title: t('admin.targets.title'), section: 'targets', status }, {
      rows,
      nextYear,
      unconfirmed: rows.filter((r) => !r.confirmed && !r.missing).length,
    });
  }

  router.get('/admin/targets', (req, res) => renderTargets(req, res, null));

  router.post('/admin/targets', async (req, res) => {
    const { t } = localeOf(res);
    const body = bodyOf(req);
    const indicatorId = positiveId(text(body, 'indicator'));
    const year = Number(text(body, 'year'));
    const { indicators, targets } = await listIndicators(db);
    if (indicatorId === null || !indicators.some((i) => i.id === indicatorId) || !Number.isInteger(year) || year < MIN_YEAR || year > MAX_YEAR) {
      return renderError(res, 400);
    }
    const values = { threshold: text(body, 'threshold').replace(',', '.'), source: text(body, 'source') };
    const threshold = Number(values.threshold);
    const errors: FormErrors = {};
    if (values.threshold === '' || !Number.isFinite(threshold) || threshold <= 0 || threshold >= 100) errors.threshold = t('admin.target.error.threshold');
    if (values.source === '' || values.source.length > 200) errors.source = t('admin.target.error.source');
    if (Object.keys(errors).length > 0) return renderTargets(req, res, { key: `${indicatorId}-${year}`, values, errors }, 422);
    const before = targets.find((tg) => tg.indicator_id === indicatorId && tg.valid_from === `${year}-01-01`);
    const at = now().toISOString();
    const staff = staffOf(res);
    await saveTarget(db, { indicatorId, year, threshold, source: values.source }, staff.id, at);
    await audit(db, {
      at,
      userId: staff.id,
      action: 'target.save',
      subject: `${indicators.find((i) => i.id === indicatorId)?.code ?? indicatorId} ${year}`,
      before: before ? { threshold: before.threshold, source: before.source, confirmed: before.confirmed === 1 } : undefined,
      after: { threshold, source: values.source, confirmed: true },
    });
    setFlash(req, 'admin.target.saved', { year });
    res.redirect(303, `/admin/targets${localeOf(res).langQuery}`);
  });

  router.post('/admin/targets/year', async (req, res) => {
    const year = Number(text(bodyOf(req), 'year'));
    if (!Number.isInteger(year) || year < MIN_YEAR || year > MAX_YEAR) return renderError(res, 400);
    const at = now().toISOString();
    const staff = staffOf(res);
    const added = await copyTargetsToYear(db, year, staff.id, at);
    await audit(db, { at, userId: staff.id, action: 'target.year', subject: String(year), after: { copied: added } });
    setFlash(req, 'admin.target.year.added', { year, n: added });
    res.redirect(303, `/admin/targets${localeOf(res).langQuery}`);
  });

  return router;
}
