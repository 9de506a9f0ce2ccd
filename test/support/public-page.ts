/**
 * Reading /cong-khai as a reader would, and the sums a reader knows, shared by the tests that try to
 * work out a withheld figure from what the page ever showed (test/disclosure.test.ts,
 * test/disclosure-published.test.ts), so both read the page and write its equations one way.
 */
import type { LinearRelation } from './linear-audit.ts';

export interface Figure {
  /** Percentage 0..100 as published, or null when withheld. */
  value: number | null;
  n: number | null;
  text: string;
}

export type Section = 'month' | 'quarter' | 'year';

/** A period as the page dates it: 'M:2026-11', 'Q:2026-3', 'Y:2025'. */
export function periodId(section: Section, from: string): string {
  const [d, m, y] = from.split('/');
  if (!d || !m || !y) throw new Error(`bad day ${from}`);
  if (section === 'month') return `M:${y}-${m}`;
  if (section === 'quarter') return `Q:${y}-${Math.floor((Number(m) - 1) / 3) + 1}`;
  return `Y:${y}`;
}

export interface Published {
  /** Period id → its figures by indicator code and group ("kind:ward", "field:dat-dai"). */
  periods: Map<string, Map<string, Figure>>;
  /** Section → the period it showed. */
  shown: Record<Section, string>;
}

/** The month, quarter and year sections of a page, figure by figure. */
export function readPublicPage(html: string): Published {
  const periods = new Map<string, Map<string, Figure>>();
  const shown = {} as Record<Section, string>;
  for (const section of ['month', 'quarter', 'year'] as const) {
    const body = new RegExp(`<section class="disclosure" aria-labelledby="period-${section}">([\\s\\S]*?)</section>`).exec(html)?.[1];
    if (body === undefined) throw new Error(`no ${section} section`);
    const id = periodId(section, /(\d\d\/\d\d\/\d{4})/.exec(body)?.[1] ?? '');
    const found = new Map<string, Figure>();
    for (const [, key, li] of body.matchAll(/<li class="[^"]*" data-(?:indicator|group)="([^"]+)">([\s\S]*?)<\/li>/g)) {
      const numbers = [...(li ?? '').matchAll(/<data value="([^"]+)">/g)].map((m) => Number(m[1]));
      found.set(key ?? '', { value: numbers[0] ?? null, n: numbers[1] ?? null, text: (li ?? '').replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim() });
    }
    periods.set(id, found);
    shown[section] = id;
  }
  return { periods, shown };
}

/** Which groups each indicator is the sum of, in these tests' data (the ward serves land and construction only). */
export const MEMBERS: Record<string, string[]> = {
  tthc: ['kind:ward', 'kind:commune', 'field:dat-dai', 'field:xay-dung', 'field:tu-phap-ho-tich'],
  sipas: ['kind:ward', 'kind:commune', 'field:dat-dai', 'field:xay-dung', 'field:tu-phap-ho-tich'],
  tthc_land_construction_investment: ['kind:ward', 'field:dat-dai', 'field:xay-dung'],
  health_education: ['kind:hospital', 'kind:school', 'field:y-te', 'field:giao-duc'],
};
export const KINDS = ['kind:ward', 'kind:commune', 'kind:hospital', 'kind:school'];
export const FIELDS = ['field:dat-dai', 'field:xay-dung', 'field:tu-phap-ho-tich', 'field:y-te', 'field:giao-duc'];
export const KEYS = [...Object.keys(MEMBERS), ...KINDS, ...FIELDS];

/** Within one period: everyone is the sum of the kinds and of the fields; each indicator of its members. */
export function periodRelations(p: string): LinearRelation[] {
  const relations: LinearRelation[] = [
    { total: `${p}|all`, parts: KINDS.map((k) => `${p}|${k}`) },
    { total: `${p}|all`, parts: FIELDS.map((k) => `${p}|${k}`) },
  ];
  for (const [code, members] of Object.entries(MEMBERS)) {
    for (const table of ['kind:', 'field:']) relations.push({ total: `${p}|${code}`, parts: members.filter((m) => m.startsWith(table)).map((m) => `${p}|${m}`) });
  }
  return relations;
}

/**
 * 2025 and 2026 as equations: a quarter is its months, a year its quarters. With `late`, a quarter (a
 * year) is its months (quarters) plus whatever came in after they were published: `late:` unknowns,
 * which no reader knows, and which must stay unknown when they hold respondents.
 */
export function calendar({ late }: { late: boolean }): LinearRelation[] {
  const relations: LinearRelation[] = [];
  const after = (id: string) => (late ? [`late:${id}`] : []);
  for (const year of [2025, 2026]) {
    const quarters: string[] = [];
    for (let q = 1; q <= 4; q++) {
      const months = [1, 2, 3].map((i) => `M:${year}-${String((q - 1) * 3 + i).padStart(2, '0')}`);
      quarters.push(`Q:${year}-${q}`);
      for (const k of [...KEYS, 'all']) relations.push({ total: `Q:${year}-${q}|${k}`, parts: [...months.map((m) => `${m}|${k}`), ...after(`Q:${year}-${q}|${k}`)] });
      for (const p of [...months, `Q:${year}-${q}`]) relations.push(...periodRelations(p));
    }
    for (const k of [...KEYS, 'all']) relations.push({ total: `Y:${year}|${k}`, parts: [...quarters.map((q) => `${q}|${k}`), ...after(`Y:${year}|${k}`)] });
    relations.push(...periodRelations(`Y:${year}`));
  }
  return relations;
}
