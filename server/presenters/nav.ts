/** The staff navigation: every section the signed-in person may open (the view marks the current one). */
import { canAdminister, isAdministrator } from '../auth/permissions.ts';
import type { Staff } from '../auth/scope.ts';
import type { MessageKey, Translate } from '../i18n/index.ts';

export type StaffSection = 'dashboard' | 'admin' | 'units' | 'users' | 'paper' | 'targets' | 'questionnaires' | 'review' | 'audit';

const SECTIONS: { id: StaffSection; href: string; label: MessageKey; visible: (s: Staff) => boolean }[] = [
  { id: 'dashboard', href: '/dashboard', label: 'nav.dashboard', visible: () => true },
  { id: 'admin', href: '/admin', label: 'admin.title', visible: canAdminister },
  { id: 'units', href: '/admin/units', label: 'admin.nav.units', visible: canAdminister },
  { id: 'users', href: '/admin/users', label: 'admin.nav.users', visible: canAdminister },
  { id: 'paper', href: '/paper', label: 'admin.nav.paper', visible: (s) => canAdminister(s) || s.paperEntry },
  { id: 'targets', href: '/admin/targets', label: 'admin.nav.targets', visible: isAdministrator },
  { id: 'questionnaires', href: '/admin/questionnaires', label: 'admin.nav.questionnaires', visible: isAdministrator },
  // Managers review their units' paper forms (auth/permissions.ts, reviewRight).
  { id: 'review', href: '/admin/review', label: 'admin.nav.review', visible: canAdminister },
  { id: 'audit', href: '/admin/audit', label: 'admin.nav.audit', visible: isAdministrator },
];

/** Built once per request by the staff frame (middleware/staff-frame.ts); a page marks its own section in the view. */
export interface StaffNav {
  staffName: string;
  staffRole: string;
  sections: { id: StaffSection; href: string; label: string }[];
}

export function staffNav(staff: Staff, t: Translate, langQuery: string): StaffNav {
  return {
    staffName: staff.displayName,
    staffRole: t(`role.${staff.role}`),
    sections: SECTIONS.filter((s) => s.visible(staff)).map((s) => ({ id: s.id, href: `${s.href}${langQuery}`, label: t(s.label) })),
  };
}
