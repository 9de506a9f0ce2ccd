/** Who may open a staff section or do an administrator's action: checked before the route does anything. */
import type { RequestHandler } from 'express';
import { authorize } from '../../auth/permissions.ts';
import type { Staff } from '../../auth/scope.ts';
import { renderError } from '../../middleware/render.ts';

/** Lets through whom `may` admits (a section's, from routes/sections.ts); anyone else gets 403. */
export function allow(may: (staff: Staff) => boolean): RequestHandler {
  return (_req, res, next) => {
    const staff = res.locals.staff;
    if (staff && may(staff)) next();
    else renderError(res, 403);
  };
}

/** Administrators only: the actions of a section others may open (adding a unit, importing units). */
export const requireAdministrator: RequestHandler = allow((staff) => authorize(staff, 'administerEverything'));
