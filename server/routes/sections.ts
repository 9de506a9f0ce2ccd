/**
 * The staff sections, one line each. Who may open a section used to be written three times (the
 * navigation, the tiles of the administration home page, each section's guard), so a new page was
 * wired in three places and could be shown to someone its guard refused. From this table app.ts
 * mounts each section's routes behind its `may` (every path under `path`), and the staff frame draws
 * the navigation and the home page's tiles (presenters/nav.ts). A new staff page is a route file, a
 * template, one line here and its words (server/i18n).
 *
 * Pages under a section's path that some of its visitors may not use (a unit's edit form for a
 * manager) check that themselves (admin/guards.ts, auth/permissions.ts).
 */
import type { Router } from 'express';
import type { Staff } from '../auth/scope.ts';
import { authorize } from '../auth/permissions.ts';
import type { NavSection } from '../presenters/nav.ts';
import { adminAuditRoutes } from './admin/audit.ts';
import { adminDeskRoutes } from './admin/desks.ts';
import { adminDossierRoutes } from './admin/dossiers.ts';
import { adminHomeRoutes } from './admin/index.ts';
import { adminQuestionnaireRoutes } from './admin/questionnaires.ts';
import { adminReviewRoutes } from './admin/review-queue.ts';
import { adminTargetRoutes } from './admin/targets.ts';
import { adminUnitRoutes } from './admin/units.ts';
import { adminUserRoutes } from './admin/users.ts';
import { alertSettingsRoutes } from './alert-settings.ts';
import { alertRoutes } from './alerts.ts';
import { commentRoutes } from './comments-page.ts';
import { dashboardRoutes } from './dashboard.ts';
import type { RouteDeps } from './deps.ts';
import { paperRoutes } from './paper.ts';

export interface StaffSectionLine extends NavSection {
  /** The section's route factories; their paths are absolute (a desk's page lives under /admin/desks, in "units"). */
  routes: readonly ((deps: RouteDeps) => Router)[];
}

const administers = (staff: Staff) => authorize(staff, 'administer');
const administersEverything = (staff: Staff) => authorize(staff, 'administerEverything');

/** In the order of the navigation. */
export const STAFF_SECTIONS = [
  { id: 'dashboard', path: '/dashboard', label: 'nav.dashboard', may: () => true, routes: [dashboardRoutes, commentRoutes] },
  // Every staff member sees the alerts of their scope; acknowledging and follow-ups are checked per alert (auth/permissions.ts).
  { id: 'alerts', path: '/canh-bao', label: 'nav.alerts', may: () => true, routes: [alertRoutes, alertSettingsRoutes] },
  // Everything under /admin (desks included) is for administrators and managers.
  { id: 'admin', path: '/admin', label: 'admin.title', may: administers, routes: [adminHomeRoutes] },
  { id: 'units', path: '/admin/units', label: 'admin.nav.units', may: administers, routes: [adminUnitRoutes, adminDeskRoutes], home: { text: 'admin.home.units', manager: 'admin.home.units.manager' } },
  { id: 'users', path: '/admin/users', label: 'admin.nav.users', may: administers, routes: [adminUserRoutes], home: { text: 'admin.home.users', manager: 'admin.home.users.manager' } },
  { id: 'paper', path: '/paper', label: 'admin.nav.paper', may: (s) => authorize(s, 'enterPaper', null), routes: [paperRoutes], home: { text: 'admin.home.paper' } },
  { id: 'dossiers', path: '/admin/dossiers', label: 'admin.nav.dossiers', may: administers, routes: [adminDossierRoutes], home: { text: 'admin.home.dossiers' } },
  { id: 'targets', path: '/admin/targets', label: 'admin.nav.targets', may: administersEverything, routes: [adminTargetRoutes], home: { text: 'admin.home.targets' } },
  { id: 'questionnaires', path: '/admin/questionnaires', label: 'admin.nav.questionnaires', may: administersEverything, routes: [adminQuestionnaireRoutes], home: { text: 'admin.home.questionnaires' } },
  // Managers review their units' paper forms (auth/permissions.ts, reviewRight).
  { id: 'review', path: '/admin/review', label: 'admin.nav.review', may: administers, routes: [adminReviewRoutes], home: { text: 'admin.home.review', manager: 'admin.home.review.manager' } },
  { id: 'audit', path: '/admin/audit', label: 'admin.nav.audit', may: administersEverything, routes: [adminAuditRoutes], home: { text: 'admin.home.audit' } },
] as const satisfies readonly StaffSectionLine[];

/** A page's own section, marked in the navigation (admin/page.ts). */
export type StaffSection = (typeof STAFF_SECTIONS)[number]['id'];
