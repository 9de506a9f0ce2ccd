import { describe, expect, it } from 'vitest';
import { type Relation, suppress, type SuppressionCell } from './suppression.ts';

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
