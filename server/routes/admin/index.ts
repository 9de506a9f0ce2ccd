/** /admin: the administration pages, for administrators and managers (a viewer gets 403). */
import { Router } from 'express';
import { requireStaffPage, staffOf } from '../../auth/middleware.ts';
import { isAdministrator } from '../../auth/permissions.ts';
import { localeOf } from '../../middleware/locale.ts';
import type { RouteDeps } from '../deps.ts';
import { adminAuditRoutes } from './audit.ts';
import { adminDeskRoutes } from './desks.ts';
import { requireAdministration } from './guards.ts';
import { renderStaffPage } from './page.ts';
import { adminQuestionnaireRoutes } from './questionnaires.ts';
import { adminReviewRoutes } from './review.ts';
import { adminTargetRoutes } from './targets.ts';
import { adminUnitRoutes } from './units.ts';
import { adminUserRoutes } from './users.ts';

export function adminRoutes(deps: RouteDeps): Router {
  const router = Router();
  router.use('/admin', requireStaffPage, requireAdministration);

  router.get('/admin', (req, res) => {
    const { t, langQuery } = localeOf(res);
    const admin = isAdministrator(staffOf(res));
    const links = [
      { href: '/admin/units', title: t('admin.nav.units'), text: admin ? t('admin.home.units') : t('admin.home.units.manager') },
      { href: '/admin/users', title: t('admin.nav.users'), text: admin ? t('admin.home.users') : t('admin.home.users.manager') },
      { href: '/paper', title: t('admin.nav.paper'), text: t('admin.home.paper') },
      { href: '/admin/review', title: t('admin.nav.review'), text: admin ? t('admin.home.review') : t('admin.home.review.manager') },
      ...(admin
        ? [
            { href: '/admin/targets', title: t('admin.nav.targets'), text: t('admin.home.targets') },
            { href: '/admin/questionnaires', title: t('admin.nav.questionnaires'), text: t('admin.home.questionnaires') },
            { href: '/admin/audit', title: t('admin.nav.audit'), text: t('admin.home.audit') },
          ]
        : []),
    ].map((l) => ({ ...l, href: `${l.href}${langQuery}` }));
    renderStaffPage(res, 'pages/admin/home', { title: t('admin.title'), section: 'admin' }, { links });
  });

  for (const routes of [adminUnitRoutes, adminDeskRoutes, adminUserRoutes, adminTargetRoutes, adminQuestionnaireRoutes, adminReviewRoutes, adminAuditRoutes]) router.use(routes(deps));
  return router;
}
