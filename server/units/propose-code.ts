/**
 * Why: a new unit's code had to be made up by hand (issue 21, item 9). The form proposes one from
 * the name, the way the bundled list gives a code to a unit the statistics office numbers not
 * ("Sở Tư pháp" → "so-tu-phap"), made free with "-2", "-3" … when taken; the person may change it,
 * and a code left empty is this proposal. public/js/unit-form.js proposes the same as the name is typed.
 */
import { slugify } from '../../db/seed/units.ts';

const MAX_LENGTH = 60;

/** A free code for a unit of this name; "don-vi" (and a number) for a name without a letter or digit. */
export function proposeUnitCode(name: string, taken: ReadonlySet<string>): string {
  const base = slugify(name).slice(0, MAX_LENGTH).replace(/-$/, '') || 'don-vi';
  if (!taken.has(base)) return base;
  for (let n = 2; ; n++) {
    const suffix = `-${n}`;
    const code = `${base.slice(0, MAX_LENGTH - suffix.length).replace(/-$/, '')}${suffix}`;
    if (!taken.has(code)) return code;
  }
}
