/** Who may open administration pages: checked before any of them does anything. */
import type { RequestHandler } from 'express';
import { canAdminister, isAdministrator } from '../../auth/permissions.ts';
import { renderError } from '../../render.ts';

/** Administrators and managers (a manager's own units are checked by each route). */
export const requireAdministration: RequestHandler = (_req, res, next) => {
  const staff = res.locals.staff;
  if (staff && canAdminister(staff)) next();
  else renderError(res, 403);
};

/** Administrators only: units, targets, questionnaires, the audit log. */
export const requireAdministrator: RequestHandler = (_req, res, next) => {
  const staff = res.locals.staff;
  if (staff && isAdministrator(staff)) next();
  else renderError(res, 403);
};
