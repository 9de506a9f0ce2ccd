/**
 * The unit select of the staff filter forms: units grouped by kind (the ranking's sections), in
 * Vietnamese alphabetical order, and narrowed by a search field that works without JavaScript (the
 * form is sent, the page comes back with fewer options). The chosen unit always stays in the list,
 * so a search never changes the filter behind the person's back.
 */
import type { Unit } from '../../db/schema.ts';
import type { Translate } from '../i18n/index.ts';
import { sectionOfKind, UNIT_SECTIONS } from '../figures/groups.ts';

/** The query field the search box sends; not a filter, so downloads and links leave it out. */
export const UNIT_SEARCH_PARAM = 'unit_search';

const vietnamese = new Intl.Collator('vi');

/** Lower case without tone marks and with đ as d: "do luong" finds "Đô Lương", as people type on a phone. */
export function foldForSearch(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').replace(/đ/gi, 'd').toLowerCase().replace(/\s+/g, ' ').trim();
}

/** The search text of a query string value: a string, trimmed and bounded. */
export function unitSearchOf(value: unknown): string {
  return typeof value === 'string' ? value.trim().slice(0, 80) : '';
}

export interface UnitPickerInput {
  units: Unit[];
  /** The units the person may pick (null: every unit). */
  allowedUnits: number[] | null;
  selectedId: number | null;
  search: string;
  t: Translate;
}

export interface UnitPickerView {
  name: 'unit';
  label: string;
  allLabel: string;
  groups: { label: string; options: { value: string; label: string; selected: boolean }[] }[];
  search: { name: string; value: string; label: string; button: string; hint: string; result: string; datalist: string[] };
}

export function presentUnitPicker(input: UnitPickerInput): UnitPickerView {
  const { t } = input;
  const visible = input.units.filter((u) => input.allowedUnits === null || input.allowedUnits.includes(u.id));
  const needle = foldForSearch(input.search);
  const matches = (u: Unit) => needle === '' || foldForSearch(u.name).includes(needle) || u.code.toLowerCase().includes(needle);
  const found = visible.filter(matches).length;
  const byName = (a: Unit, b: Unit) => vietnamese.compare(a.name, b.name);
  const groups = UNIT_SECTIONS.map((section) => ({
    label: t(`units.kind.${section.key}`),
    options: visible
      .filter((u) => sectionOfKind(u.kind).key === section.key && (matches(u) || u.id === input.selectedId))
      .sort(byName)
      .map((u) => ({ value: u.code, label: u.name, selected: u.id === input.selectedId })),
  })).filter((g) => g.options.length > 0);
  return {
    name: 'unit',
    label: t('dash.unit'),
    allLabel: t('dash.all.units'),
    groups,
    search: {
      name: UNIT_SEARCH_PARAM,
      value: input.search,
      label: t('picker.search'),
      button: t('picker.search.button'),
      hint: t('picker.search.hint'),
      result: needle === '' ? '' : t(found === 0 ? 'picker.none' : 'picker.found', { n: found, q: input.search }),
      // Suggestions while typing, where the browser offers them: the names, in the same order.
      datalist: [...visible].sort(byName).map((u) => u.name),
    },
  };
}
