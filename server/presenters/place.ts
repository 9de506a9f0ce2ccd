/**
 * Where the citizen is, in words that fit the place: a hospital's department is a "Khoa/Phòng", not
 * a "Quầy", and a school speaks to parents and students. The kind of service follows from the unit's
 * kind, the one thing every desk knows; the survey, the thank-you page and the posters all ask here.
 */
import type { UnitKind } from '../../db/schema.ts';
import { type Translate, translator } from '../i18n/index.ts';

export type Service = 'tthc' | 'health' | 'education';

export function serviceOfUnit(kind: UnitKind): Service {
  if (kind === 'hospital') return 'health';
  if (kind === 'school') return 'education';
  return 'tthc';
}

const SERVICES: Service[] = ['tthc', 'health', 'education'];
const vi = translator('vi');
/** "quầy", "khoa", "phòng", "bộ phận": a desk whose name starts with one of these names itself. */
const PLACE_WORDS = SERVICES.flatMap((s) => vi(`survey.place.${s}`).split('/')).map((w) => `${w.toLocaleLowerCase('vi')} `);

/**
 * "Phường Thành Vinh · Quầy: Tiếp nhận hồ sơ", or "Bệnh viện … · Khoa Khám bệnh" when the desk's own
 * name already says what kind of place it is (desk names are Vietnamese, whatever the page's language).
 */
export function placeLine(unitName: string, deskName: string, service: Service, t: Translate): string {
  const name = deskName.toLocaleLowerCase('vi');
  const named = PLACE_WORDS.some((w) => name.startsWith(w));
  // "Bộ phận:" stays on one line (a no-break space inside the word, and before the name).
  const label = t(`survey.place.${service}`).replace(/ /g, '\u00a0');
  return `${unitName} · ${named ? deskName : `${label}:\u00a0${deskName}`}`;
}
