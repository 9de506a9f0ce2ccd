/**
 * /admin: the administration home page, a tile for every section the person may open below it.
 * Its tiles, like the navigation, come from the section table (routes/sections.ts) through the
 * staff frame's `nav`; who may open /admin at all is the table's too.
 */
import { Router } from 'express';
import { localeOf } from '../../middleware/locale.ts';
import type { RouteDeps } from '../deps.ts';
import { renderStaffPage } from './page.ts';

export function adminHomeRoutes(_deps: RouteDeps): Router {
  const router = Router();
  router.get('/admin', (_req, res) => {
    const { t } = localeOf(res);
    const links = (res.locals.nav?.sections ?? []).flatMap((s) => (s.home === undefined ? [] : [{ href: s.href, title: s.label, text: s.home }]));
    renderStaffPage(res, 'pages/admin/home', { title: t('admin.title'), section: 'admin' }, { links });
  });
  return router;
}
