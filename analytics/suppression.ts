/**
 * Small-group suppression for published tables (the public disclosure page). A group with fewer
 * respondents than the minimum is never shown as a number; and because a published total minus
 * the published groups beside it gives back the one that was hidden, more groups are hidden until
 * no hidden small group, and no sum of hidden groups smaller than the minimum, can be worked out
 * by adding and subtracting what is shown (complementary suppression).
 *
 * The tables are described as cells (a group of a table, or a figure never published such as
 * "the year so far minus this quarter") and relations (a total that equals the sum of its parts).
 * Knowledge is propagated through the relations (a relation with one unknown member gives it away);
 * whenever that reveals a small cell or a small sum, the least informative published cell that the
 * reasoning used is hidden too, and the check starts again. This is the classic audit for tables
 * whose totals are sums of disjoint parts; it does not solve arbitrary systems of equations.
 */

export interface SuppressionCell {
  id: string;
  /** Respondents behind the cell; 0 means an empty group, which discloses nothing. */
  n: number;
  /** False for a figure that is never shown but follows from others (e.g. year so far minus quarter). */
  published: boolean;
}

/** total = sum of parts, for every number the cells carry (counts of respondents, of satisfied ones). */
export interface Relation {
  total: string;
  parts: string[];
}

export type HiddenReason = 'too_few' | 'complementary';

interface Knowledge {
  /** Known cells, each with the published cells its value was worked out from. */
  known: Map<string, Set<string>>;
}

function propagate(cells: Map<string, SuppressionCell>, relations: Relation[], hidden: Map<string, HiddenReason>): Knowledge {
  const known = new Map<string, Set<string>>();
  for (const c of cells.values()) if (c.published && !hidden.has(c.id)) known.set(c.id, new Set([c.id]));
  let changed = true;
  while (changed) {
    changed = false;
    for (const r of relations) {
      const members = [r.total, ...r.parts];
      const unknown = members.filter((m) => !known.has(m));
      if (unknown.length !== 1) continue;
      const support = new Set<string>();
      for (const m of members) for (const s of known.get(m) ?? []) support.add(s);
      known.set(unknown[0] as string, support);
      changed = true;
    }
  }
  return { known };
}

/** The published cells whose values reveal something small, or null when nothing small can be worked out. */
function firstLeak(cells: Map<string, SuppressionCell>, relations: Relation[], min: number, { known }: Knowledge): Set<string> | null {
  const small = (n: number) => n > 0 && n < min;
  for (const c of cells.values()) {
    if (small(c.n) && known.has(c.id)) return known.get(c.id) as Set<string>;
  }
  for (const r of relations) {
    if (!known.has(r.total)) continue;
    const unknown = r.parts.filter((p) => !known.has(p));
    const sum = unknown.reduce((a, p) => a + (cells.get(p)?.n ?? 0), 0);
    if (unknown.length > 1 && small(sum)) {
      const support = new Set<string>();
      for (const m of [r.total, ...r.parts]) for (const s of known.get(m) ?? []) support.add(s);
      return support;
    }
  }
  return null;
}

/**
 * Which published cells to hide, and why. Totals (headline figures) are hidden only when no part
 * will do; among parts, the one with the fewest respondents goes first (it tells the least).
 */
export function suppress(cellList: SuppressionCell[], relations: Relation[], min: number): Map<string, HiddenReason> {
  const cells = new Map(cellList.map((c) => [c.id, c]));
  const totals = new Set(relations.map((r) => r.total));
  const hidden = new Map<string, HiddenReason>();
  for (const c of cells.values()) if (c.published && c.n > 0 && c.n < min) hidden.set(c.id, 'too_few');
  // Every round hides one more published cell, so this ends after at most that many rounds.
  for (let round = 0; round <= cells.size; round++) {
    const leak = firstLeak(cells, relations, min, propagate(cells, relations, hidden));
    if (leak === null) return hidden;
    const candidates = [...leak]
      .map((id) => cells.get(id) as SuppressionCell)
      .sort((a, b) => Number(totals.has(a.id)) - Number(totals.has(b.id)) || a.n - b.n || a.id.localeCompare(b.id));
    const chosen = candidates[0];
    if (!chosen) break;
    hidden.set(chosen.id, 'complementary');
  }
  throw new Error('suppression did not settle: the relations reveal a small cell through cells that are all hidden');
}
