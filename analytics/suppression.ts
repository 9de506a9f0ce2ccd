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
 * whenever that reveals a withheld cell, or a small cell or sum, the least informative published cell
 * that the reasoning used is hidden too, and the check starts again. This is the classic audit for
 * tables whose totals are sums of disjoint parts; it does not itself solve arbitrary systems of
 * equations (the public page's tests do, test/support/linear-audit.ts, over everything ever shown).
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

/**
 * Which published cells to hide, and why, when everything is published at once. Totals (headline
 * figures) are hidden only when no part will do; among parts, the one with the fewest respondents
 * goes first (it tells the least).
 */
export function suppress(cellList: SuppressionCell[], relations: Relation[], min: number): Map<string, HiddenReason> {
  return suppressStaged(cellList, relations, min, new Map());
}

/**
 * Suppression for figures published in stages (issue 18): the public page shows closed periods
 * only, each published once and never changed, so what a reader can combine is every month,
 * quarter and year ever shown. `fixed` holds decisions already published (null: shown), which are
 * never revisited; only the other published cells may be hidden now.
 *
 * Relations: a table's total = its groups; a quarter = its three months; a year = its four quarters
 * (and unpublished cells such as "everyone this month" = the kinds = the fields). Knowledge is
 * propagated through them; no withheld cell may become known (a relation must never have exactly
 * one unknown member), no unpublished sum under `min` either, and a shown total's unknown parts must
 * hold 0 or at least `min` respondents together. Whenever one of these fails, an open cell the
 * derivation used is withheld too: first one that would not itself be the only unknown member of a
 * relation whose other members are all published already, then a part before a total, then the
 * fewest respondents. A complement that turns out to follow from figures published before protects
 * nothing, so it is shown again and never chosen a second time. Repeated to a fixed point. A group
 * hidden in one month is thereby hidden in its quarter too, unless another month hides it as well.
 */
export function suppressStaged(
  cellList: SuppressionCell[],
  relations: Relation[],
  min: number,
  fixed: ReadonlyMap<string, HiddenReason | null>,
): Map<string, HiddenReason> {
  const cells = new Map(cellList.map((c) => [c.id, c]));
  const totals = new Set(relations.map((r) => r.total));
  const hidden = new Map<string, HiddenReason>();
  for (const [id, reason] of fixed) if (reason !== null) hidden.set(id, reason);
  const open = (id: string) => !fixed.has(id) && cells.get(id)?.published === true;
  const small = (n: number) => n > 0 && n < min;
  for (const c of cells.values()) if (open(c.id) && small(c.n)) hidden.set(c.id, 'too_few');
  const byMember = new Map<string, Relation[]>();
  for (const r of relations) for (const m of [r.total, ...r.parts]) byMember.set(m, [...(byMember.get(m) ?? []), r]);
  const shownForGood = (id: string) => fixed.has(id) && !hidden.has(id) && cells.get(id)?.published === true;
  /** Hiding `id` would leave it the one unknown member of a relation nobody can change any more. */
  const stranded = (id: string) => (byMember.get(id) ?? []).some((r) => [r.total, ...r.parts].every((m) => m === id || shownForGood(m)));
  const supportOf = (known: Map<string, Set<string>>, ids: string[]) => {
    const support = new Set<string>();
    for (const m of ids) for (const s of known.get(m) ?? []) support.add(s);
    return support;
  };
  /** Open cells shown for good: withholding them would protect nothing. */
  const settled = new Set<string>();
  const leak = ({ known }: Knowledge): Set<string> | null => {
    for (const c of cells.values()) {
      if (!known.has(c.id)) continue;
      const support = known.get(c.id) as Set<string>;
      // Withheld as a complement, but it follows from figures published before: it protects nothing
      // and tells nothing new, so it is shown (and never chosen again).
      if (hidden.get(c.id) === 'complementary' && open(c.id) && [...support].every((s) => !open(s))) {
        hidden.delete(c.id);
        settled.add(c.id);
        return support;
      }
      if (hidden.has(c.id) || (!c.published && small(c.n))) return support;
    }
    for (const r of relations) {
      if (!known.has(r.total)) continue;
      const unknown = r.parts.filter((p) => !known.has(p));
      if (unknown.length > 1 && small(unknown.reduce((a, p) => a + (cells.get(p)?.n ?? 0), 0))) return supportOf(known, [r.total, ...r.parts]);
    }
    return null;
  };
  // Every round withholds one more open cell or shows one for good, so this ends after at most twice that many rounds.
  for (let round = 0; round <= 2 * cells.size; round++) {
    const before = hidden.size;
    const used = leak(propagate(cells, relations, hidden));
    if (used === null) return hidden;
    if (hidden.size < before) continue;
    const chosen = [...used]
      .filter((id) => open(id) && !hidden.has(id) && !settled.has(id))
      .map((id) => cells.get(id) as SuppressionCell)
      .sort(
        (a, b) =>
          Number(stranded(a.id)) - Number(stranded(b.id)) ||
          Number(a.n === 0) - Number(b.n === 0) ||
          Number(totals.has(a.id)) - Number(totals.has(b.id)) ||
          a.n - b.n ||
          a.id.localeCompare(b.id),
      )[0];
    if (!chosen) throw new Error('suppression did not settle: a withheld figure follows from figures already published');
    hidden.set(chosen.id, 'complementary');
  }
  throw new Error('suppression did not settle');
}
