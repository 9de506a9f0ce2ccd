import { describe, expect, it } from 'vitest';
import { type HiddenReason, type Relation, suppress, suppressStaged, type SuppressionCell } from './suppression.ts';

const cell = (id: string, n: number, published = true): SuppressionCell => ({ id, n, published });
const MIN = 30;

describe('suppress', () => {
  it('hides nothing when every group is large enough', () => {
    const cells = [cell('T', 300), cell('A', 100), cell('B', 200)];
    expect(suppress(cells, [{ total: 'T', parts: ['A', 'B'] }], MIN).size).toBe(0);
  });

  it('one small group beside a total: the smallest other group is hidden too, or T − A − B gives it back', () => {
    // T = 160 = A 100 + B 50 + C 10. Hiding C alone leaves C = 160 − 100 − 50.
    const cells = [cell('T', 160), cell('A', 100), cell('B', 50), cell('C', 10)];
    const hidden = suppress(cells, [{ total: 'T', parts: ['A', 'B', 'C'] }], MIN);
    expect(Object.fromEntries(hidden)).toEqual({ C: 'too_few', B: 'complementary' });
  });

  it('two small groups whose sum is still small: a large group is hidden so the sum cannot be worked out', () => {
    // C + D = 22 < 30 would follow from T − A − B; hiding B (the smaller large group) makes it B + C + D = 72.
    const cells = [cell('T', 222), cell('A', 150), cell('B', 50), cell('C', 10), cell('D', 12)];
    const hidden = suppress(cells, [{ total: 'T', parts: ['A', 'B', 'C', 'D'] }], MIN);
    expect(Object.fromEntries(hidden)).toEqual({ C: 'too_few', D: 'too_few', B: 'complementary' });
  });

  it('two small groups whose sum reaches the minimum need nothing more', () => {
    const cells = [cell('T', 240), cell('A', 200), cell('C', 18), cell('D', 22)];
    const hidden = suppress(cells, [{ total: 'T', parts: ['A', 'C', 'D'] }], MIN);
    expect(Object.fromEntries(hidden)).toEqual({ C: 'too_few', D: 'too_few' });
  });

  it('year so far minus this quarter: a field with 40 this year and 35 this quarter would give away the 5 before', () => {
    const cells = [cell('Y:f', 40), cell('Q:f', 35), cell('E:f', 5, false)];
    const hidden = suppress(cells, [{ total: 'Y:f', parts: ['Q:f', 'E:f'] }], MIN);
    expect(Object.fromEntries(hidden)).toEqual({ 'Q:f': 'complementary' });
  });

  it('follows a hidden cell through a second table: hiding the quarter’s figure is not enough if the quarter’s total gives it back', () => {
    // Quarter: Q:T 135 = Q:f 35 + Q:g 100. Year: Y:f 40 (so 5 before this quarter), Y:g 150, Y:T 190.
    const cells = [
      cell('Q:T', 135), cell('Q:f', 35), cell('Q:g', 100),
      cell('Y:T', 190), cell('Y:f', 40), cell('Y:g', 150),
      cell('E:T', 55, false), cell('E:f', 5, false), cell('E:g', 50, false),
    ];
    const relations: Relation[] = [
      { total: 'Q:T', parts: ['Q:f', 'Q:g'] },
      { total: 'Y:T', parts: ['Y:f', 'Y:g'] },
      { total: 'E:T', parts: ['E:f', 'E:g'] },
      { total: 'Y:T', parts: ['Q:T', 'E:T'] },
      { total: 'Y:f', parts: ['Q:f', 'E:f'] },
      { total: 'Y:g', parts: ['Q:g', 'E:g'] },
    ];
    const hidden = suppress(cells, relations, MIN);
    // Q:f goes (it is not a total and smaller than Y:f); then Q:T − Q:g would give it back, so Q:g goes
    // too. The totals stay, and every sum left unknown holds at least 30: Q:f + Q:g = 135, E:f + E:g = 55.
    expect(Object.fromEntries(hidden)).toEqual({ 'Q:f': 'complementary', 'Q:g': 'complementary' });
  });

  it('a total that is itself small is hidden as too few, with its parts', () => {
    const cells = [cell('T', 20), cell('A', 12), cell('B', 8)];
    const hidden = suppress(cells, [{ total: 'T', parts: ['A', 'B'] }], MIN);
    expect(Object.fromEntries(hidden)).toEqual({ T: 'too_few', A: 'too_few', B: 'too_few' });
  });
});

describe('suppressStaged: periods published one after another, earlier decisions fixed', () => {
  /** One period's table: total T = groups g, h, k. */
  const table = (p: string, n: Record<string, number>) => ({
    cells: Object.entries(n).map(([k, v]) => cell(`${p}|${k}`, v)),
    relations: [{ total: `${p}|T`, parts: ['g', 'h', 'k'].map((k) => `${p}|${k}`) }] as Relation[],
  });
  const months = ['M1', 'M2', 'M3'];
  const nesting = (keys: string[]): Relation[] => keys.map((k) => ({ total: `Q|${k}`, parts: months.map((m) => `${m}|${k}`) }));

  function quarter(monthly: Record<string, number>[]) {
    const fixed = new Map<string, HiddenReason | null>();
    const cells: SuppressionCell[] = [];
    const relations: Relation[] = [];
    monthly.forEach((n, i) => {
      const m = table(months[i] as string, n);
      const hidden = suppressStaged(m.cells, m.relations, MIN, new Map());
      for (const c of m.cells) fixed.set(c.id, hidden.get(c.id) ?? null);
      cells.push(...m.cells);
      relations.push(...m.relations);
    });
    const sum = (k: string) => monthly.reduce((a, n) => a + (n[k] ?? 0), 0);
    const q = table('Q', { T: sum('T'), g: sum('g'), h: sum('h'), k: sum('k') });
    const hidden = suppressStaged([...cells, ...q.cells], [...relations, ...q.relations, ...nesting(['T', 'g', 'h', 'k'])], MIN, fixed);
    return { fixed, hidden };
  }

  it('a group too small in one month is withheld in its quarter too, or the quarter minus the other months gives it back; its complement follows the month', () => {
    const { fixed, hidden } = quarter([
      { T: 140, g: 10, h: 40, k: 90 },
      { T: 200, g: 50, h: 60, k: 90 },
      { T: 200, g: 50, h: 60, k: 90 },
    ]);
    expect(fixed.get('M1|g')).toBe('too_few');
    expect(fixed.get('M1|h')).toBe('complementary');
    // Q|g (110) is not small, but Q|g − M2|g − M3|g = 10; Q|h goes with it, as in the month, not Q|k, which the months would give back.
    expect(hidden.get('Q|g')).toBe('complementary');
    expect(hidden.get('Q|h')).toBe('complementary');
    expect(hidden.has('Q|k')).toBe(false);
    expect(hidden.has('Q|T')).toBe(false);
  });

  it('decisions already published are never changed', () => {
    const { fixed, hidden } = quarter([
      { T: 140, g: 10, h: 40, k: 90 },
      { T: 200, g: 50, h: 60, k: 90 },
      { T: 200, g: 50, h: 60, k: 90 },
    ]);
    for (const [id, reason] of fixed) expect(hidden.get(id) ?? null, id).toBe(reason);
  });

  it('nothing hidden in any month and nothing small in the quarter: the quarter is shown whole', () => {
    const { hidden } = quarter([
      { T: 200, g: 50, h: 60, k: 90 },
      { T: 200, g: 50, h: 60, k: 90 },
      { T: 200, g: 50, h: 60, k: 90 },
    ]);
    expect(hidden.size).toBe(0);
  });

  it('a figure nobody is shown (everyone, the sum of the kinds and of the fields) carries a derivation from one table to the other', () => {
    // all = kinds a + b = fields f + x; x is too small; a and b shown would give all, then x = all − f.
    const cells = [cell('a', 60), cell('b', 40), cell('f', 97), cell('x', 3), cell('all', 100, false)];
    const relations: Relation[] = [{ total: 'all', parts: ['a', 'b'] }, { total: 'all', parts: ['f', 'x'] }];
    const hidden = suppressStaged(cells, relations, MIN, new Map());
    expect(hidden.get('x')).toBe('too_few');
    // f alone would not protect x: all is known from the kinds, and x = all − f. Withholding the smaller kind
    // leaves all unknown (b − x = f − a is all a reader learns).
    expect(Object.fromEntries(hidden)).toEqual({ x: 'too_few', b: 'complementary' });
  });
});
