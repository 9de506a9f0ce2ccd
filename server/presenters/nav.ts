/**
 * The staff navigation: every section the signed-in person may open (the view marks the current one),
 * drawn from the section table (routes/sections.ts) the staff frame is given, with each section's
 * tile for the administration home page.
 */
import { authorize } from '../auth/permissions.ts';
import type { Staff } from '../auth/scope.ts';
import type { MessageKey, Translate } from '../i18n/index.ts';

/** What the navigation needs of a line of the section table. */
export interface NavSection {
  id: string;
  /** Where the link goes; also the path prefix the section's `may` guards (app.ts). */
  path: string;
  label: MessageKey;
  /** Who may open the section: the navigation shows it and app.ts lets them in. */
  may: (staff: Staff) => boolean;
  /** Its tile on the administration home page: the words, and a manager's when they differ. */
  home?: { text: MessageKey; manager?: MessageKey };
}

/** Built once per request by the staff frame (middleware/staff-frame.ts); a page marks its own section in the view. */
export interface StaffNav {
  staffName: string;
  staffRole: string;
  /** `home`: the words of the section's tile on the administration home page, if it has one. */
  sections: { id: string; href: string; label: string; home?: string }[];
}

export function staffNav(staff: Staff, t: Translate, langQuery: string, sections: readonly NavSection[]): StaffNav {
  return {
    staffName: staff.displayName,
    staffRole: t(`role.${staff.role}`),
    sections: sections
      .filter((s) => s.may(staff))
      .map((s) => ({
        id: s.id,
        href: `${s.path}${langQuery}`,
        label: t(s.label),
        ...(s.home ? { home: t(s.home.manager && !authorize(staff, 'administerEverything') ? s.home.manager : s.home.text) } : {}),
      })),
  };
}
