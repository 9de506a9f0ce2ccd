/**
 * Why: who an alert email is for and what they may see (issue 22), asked the one way the app asks it
 * (auth/scope.ts): an administrator the province, a manager their unit and the units below it, a
 * viewer their own unit; and the absolute links an email carries, in the reader's language.
 */
import type { MailRecipient } from '../../db/queries/mail.ts';
import type { Unit } from '../../db/schema.ts';
import { allowedUnitIds, type Staff } from '../auth/scope.ts';
import { withLang } from '../presenters/alert.ts';

export function recipientStaff(r: MailRecipient): Staff {
  return { id: r.id, username: r.username, displayName: r.displayName, role: r.role, unitId: r.unitId, paperEntry: r.paperEntry };
}

/** The units whose alerts this recipient sees (null: every alert, the province's included). */
export function recipientUnits(r: MailRecipient, units: Unit[]): number[] | null {
  return allowedUnitIds(recipientStaff(r), units);
}

/** An app path as an absolute link, in English for an English reader. */
export function absoluteLink(baseUrl: string, path: string, lang: 'vi' | 'en'): string {
  return `${baseUrl}${withLang(path, lang)}`;
}
