/**
 * What every administration page shares: the navigation of the signed-in person, the CSRF token
 * for their forms and the message left by the last redirect. Routes hand their own view model;
 * this adds the frame, so views never see the request.
 */
import type { Request, Response } from 'express';
import { staffOf } from '../../auth/middleware.ts';
import type { Staff } from '../../auth/scope.ts';
import { takeFlash } from '../../flash.ts';
import { localeOf } from '../../middleware/locale.ts';
import type { Csrf } from '../../middleware/csrf.ts';
import { type StaffSection, staffNav } from '../../presenters/nav.ts';

export function renderStaffPage(
  req: Request,
  res: Response,
  csrf: Csrf,
  template: string,
  page: { title: string; section: StaffSection; status?: number },
  view: object,
): void {
  const { t, langQuery } = localeOf(res);
  res
    .status(page.status ?? 200)
    .set('Cache-Control', 'no-store')
    .render(template, {
      page: { title: page.title, nav: staffNav(staffOf(res) as Staff, t, langQuery, csrf.token(req, res), page.section), flash: takeFlash(req, t) },
      view,
    });
}
