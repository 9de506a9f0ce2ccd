/**
 * Sums of floating-point moments depend on the order the database adds rows in (PostgreSQL and
 * SQLite differ in the last bits), so answers from two databases are compared at 10 significant
 * digits: far finer than any figure a person sees, far coarser than rounding noise.
 */
export function significant<T>(value: T, digits = 10): T {
  if (typeof value === 'number') return (Number.isFinite(value) && value !== 0 ? Number(value.toPrecision(digits)) : value) as T;
  if (Array.isArray(value)) return value.map((v: unknown) => significant(v, digits)) as T;
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, significant(v, digits)])) as T;
  }
  return value;
}
