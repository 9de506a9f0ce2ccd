/**
 * An administration page: its title, its section of the navigation and the route's own view model.
 * The rest of the frame (the signed-in person, the navigation, the CSRF token, the last message,
 * Cache-Control: no-store) is in res.locals already (middleware/staff-frame.ts), so views never see
 * the request.
 */
import type { Response } from 'express';
import type { StaffSection } from '../sections.ts';

export function renderStaffPage(res: Response, template: string, page: { title: string; section: StaffSection; status?: number }, view: object): void {
  res.status(page.status ?? 200).render(template, { page: { title: page.title, section: page.section }, view });
}
