/**
 * An audit of published tables written apart from the application's suppression
 * (analytics/suppression.ts), so that a test does not grade the code with its own reasoning.
 *
 * Everything published is a set of linear equations: each shown figure fixes a variable, and each
 * relation ("this total is the sum of these parts", "this quarter is the sum of its months") ties
 * variables together. A withheld variable can be worked out by any reader iff its unit vector lies
 * in the row space of the equations once the shown values are moved to the right-hand side; that is
 * decided exactly here by Gaussian elimination in integers (no rounding). The satisfied counts obey
 * the same equations with the same unknowns, so a count that cannot be derived takes its rate with it.
 */

export interface LinearRelation {
  total: string;
  parts: string[];
}

/** Greatest common divisor of non-negative integers. */
function gcd(a: number, b: number): number {
  while (b !== 0) [a, b] = [b, a % b];
  return a;
}

/**
 * Which of `targets` are determined by the relations, given that the variables in `shown` are known.
 * Every other variable is unknown. Throws if the integers ever grow past exact arithmetic.
 */
export function determined(relations: LinearRelation[], shown: ReadonlySet<string>, targets: Iterable<string>): string[] {
  const unknown = new Map<string, number>();
  const columnOf = (id: string) => {
    let c = unknown.get(id);
    if (c === undefined) {
      c = unknown.size;
      unknown.set(id, c);
    }
    return c;
  };
  const sparse: Map<number, number>[] = [];
  for (const r of relations) {
    const row = new Map<number, number>();
    const addTo = (id: string, coefficient: number) => {
      if (shown.has(id)) return;
      const c = columnOf(id);
      const v = (row.get(c) ?? 0) + coefficient;
      if (v === 0) row.delete(c);
      else row.set(c, v);
    };
    addTo(r.total, 1);
    for (const p of r.parts) addTo(p, -1);
    if (row.size > 0) sparse.push(row);
  }
  for (const t of targets) if (!shown.has(t)) columnOf(t);
  const width = unknown.size;
  const rows = sparse.map((s) => {
    const dense = new Array<number>(width).fill(0);
    for (const [c, v] of s) dense[c] = v;
    return dense;
  });
  // Reduced row echelon form with integer rows (each row divided by the gcd of its entries).
  const pivotOf = new Map<number, number[]>();
  let next = 0;
  for (let col = 0; col < width && next < rows.length; col++) {
    const p = rows.findIndex((r, i) => i >= next && r[col] !== 0);
    if (p < 0) continue;
    [rows[next], rows[p]] = [rows[p] as number[], rows[next] as number[]];
    const pivot = rows[next] as number[];
    for (let i = 0; i < rows.length; i++) {
      const r = rows[i] as number[];
      if (i === next || r[col] === 0) continue;
      const a = pivot[col] as number;
      const b = r[col] as number;
      let g = 0;
      for (let j = 0; j < width; j++) {
        r[j] = (r[j] as number) * a - (pivot[j] as number) * b;
        if (!Number.isSafeInteger(r[j])) throw new Error('linear audit: integers too large for exact arithmetic');
        g = gcd(g, Math.abs(r[j] as number));
      }
      if (g > 1) for (let j = 0; j < width; j++) r[j] = (r[j] as number) / g;
    }
    pivotOf.set(col, pivot);
    next++;
  }
  // x_col is determined iff its pivot row has no other unknown left in it (every other pivot column is 0 there).
  return [...new Set(targets)].filter((t) => {
    if (shown.has(t)) return true;
    const col = unknown.get(t) as number;
    const row = pivotOf.get(col);
    return row !== undefined && row.every((v, j) => j === col || v === 0);
  });
}
