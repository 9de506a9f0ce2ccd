/**
 * Calendar arithmetic in Asia/Ho_Chi_Minh, whatever TZ the server runs in. Vietnam has kept
 * UTC+7 without daylight saving since 1975, so a fixed offset is exact and needs no ICU data.
 */
const OFFSET_MS = 7 * 60 * 60 * 1000;

/** 'YYYY-MM-DD' of the local day that contains the instant. */
export function localDay(instant: Date): string {
  return new Date(instant.getTime() + OFFSET_MS).toISOString().slice(0, 10);
}

/** An instant as local ISO 8601 with its offset, e.g. '2025-06-15T10:00:00+07:00' (seconds are enough for people and spreadsheets). */
export function localTimestamp(instant: Date): string {
  return `${new Date(instant.getTime() + OFFSET_MS).toISOString().slice(0, 19)}+07:00`;
}

/** 'YYYY-MM' of a local day. */
export function monthOf(day: string): string {
  return day.slice(0, 7);
}

/** 'YYYY-Qn' of a local day. */
export function quarterOf(day: string): string {
  const month = Number(day.slice(5, 7));
  return `${day.slice(0, 4)}-Q${Math.floor((month - 1) / 3) + 1}`;
}

/** The UTC instant at which a local day begins. */
export function startOfLocalDay(day: string): Date {
  return new Date(Date.parse(`${day}T00:00:00Z`) - OFFSET_MS);
}

/** 'dd/mm/yyyy' for people, from an ISO day. */
export function formatDay(day: string): string {
  const [y, m, d] = day.split('-');
  return `${d}/${m}/${y}`;
}

/** Adds n days to a local day (n may be negative). */
export function addDays(day: string, n: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
}

export function isValidDay(day: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) return false;
  const t = Date.parse(`${day}T00:00:00Z`);
  return !Number.isNaN(t) && new Date(t).toISOString().slice(0, 10) === day;
}
