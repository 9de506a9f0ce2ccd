/**
 * Why: the plan's dossier targets (2228/QĐ-UBND item 3 and 7) and QĐ 766's service score are counts of
 * every dossier the one-stop software handled, not a sample: they are computed here from summed
 * counts, judged met or not met with no interval, and kept apart from the survey's measures so a
 * count is never read as an estimate. Shares are 0..1; the backlog is a number of dossiers.
 */

/** Summed dossier counts of any slice (desks, fields, channels, days). */
export interface DossierTotals {
  /** Imported rows summed: 0 means the slice has no counts at all (not "no dossiers"). */
  rows: number;
  received: number;
  resolved: number;
  onTime: number;
  late: number;
  apologised: number;
  /** Past due and unresolved at the end of the slice's last day (a stock: never summed over days). */
  backlog: number;
  complaints: number;
  /** Of `resolved`, those handled online (trực tuyến, QĐ 766 channel 2). */
  resolvedOnline: number;
}

export const NO_DOSSIERS: DossierTotals = { rows: 0, received: 0, resolved: 0, onTime: 0, late: 0, apologised: 0, backlog: 0, complaints: 0, resolvedOnline: 0 };

export function addDossiers(a: DossierTotals, b: DossierTotals): DossierTotals {
  return {
    rows: a.rows + b.rows,
    received: a.received + b.received,
    resolved: a.resolved + b.resolved,
    onTime: a.onTime + b.onTime,
    late: a.late + b.late,
    apologised: a.apologised + b.apologised,
    backlog: a.backlog + b.backlog,
    complaints: a.complaints + b.complaints,
    resolvedOnline: a.resolvedOnline + b.resolvedOnline,
  };
}

/** The dossier measures, as the indicators table names them. */
export type DossierMeasure = 'on_time_rate' | 'apology_rate' | 'backlog' | 'online_share' | 'service_766';

export const DOSSIER_MEASURES: readonly DossierMeasure[] = ['on_time_rate', 'apology_rate', 'backlog', 'online_share', 'service_766'];

export const isDossierMeasure = (measure: string): measure is DossierMeasure => (DOSSIER_MEASURES as readonly string[]).includes(measure);

/**
 * How a dossier target reads: a share that must be at least the threshold (on time >= 95%), or a
 * number of dossiers that must be at most it (backlog 0). Satisfaction targets are "above" instead
 * (analytics/verdict.ts).
 */
export interface DossierRule {
  comparison: 'at_least' | 'at_most';
  unit: 'percent' | 'dossiers';
}

export const DOSSIER_RULES: Record<DossierMeasure, DossierRule> = {
  on_time_rate: { comparison: 'at_least', unit: 'percent' },
  apology_rate: { comparison: 'at_least', unit: 'percent' },
  backlog: { comparison: 'at_most', unit: 'dossiers' },
  online_share: { comparison: 'at_least', unit: 'percent' },
  service_766: { comparison: 'at_least', unit: 'percent' },
};

export interface DossierValue {
  /** A share 0..1, or a number of dossiers for the backlog; null when the slice has nothing to count. */
  value: number | null;
  /** What the share is of (resolved, or late for apologies); the backlog's own number for the backlog. */
  base: number;
  /** The apology rate of a slice with no late dossier: nothing was owed, so the target holds. */
  nothingOwed: boolean;
}

const share = (part: number, whole: number): number | null => (whole > 0 ? part / whole : null);

/**
 * The value of a dossier measure on summed counts:
 * - on time: resolved on or before the promised day / resolved (QĐ 766 indicator 2.1);
 * - apologised: late with an apology letter / late;
 * - backlog: past due and unresolved at the end of the period;
 * - online: resolved online / resolved (plan item 7; QĐ 766 indicator 3.3 counts submissions);
 * - 766 service score (indicator 5.4): 1 - (late / resolved + complaints / resolved), never below 0.
 *   QĐ 766 names the overdue rate and the rate of dossiers that drew a complaint; both are read here
 *   over the dossiers resolved in the period, the one base every row carries.
 */
export function dossierValue(measure: DossierMeasure, t: DossierTotals): DossierValue {
  switch (measure) {
    case 'on_time_rate':
      return { value: share(t.onTime, t.resolved), base: t.resolved, nothingOwed: false };
    case 'apology_rate':
      return { value: share(t.apologised, t.late), base: t.late, nothingOwed: t.late === 0 && t.resolved > 0 };
    case 'backlog':
      return { value: t.rows > 0 ? t.backlog : null, base: t.backlog, nothingOwed: false };
    case 'online_share':
      return { value: share(t.resolvedOnline, t.resolved), base: t.resolved, nothingOwed: false };
    case 'service_766': {
      const v = share(t.resolved - t.late - t.complaints, t.resolved);
      return { value: v === null ? null : Math.max(0, v), base: t.resolved, nothingOwed: false };
    }
  }
}

/** A count of every dossier is met or not: no interval, no "inconclusive". Null without data or target. */
export type DossierVerdict = 'met' | 'not_met';

/**
 * The verdict of a dossier value against its threshold (percent 0..100 for shares, dossiers for the
 * backlog). A share is compared after rounding to 0.01 percentage point, so 95% shown is 95% met.
 */
export function dossierVerdict(measure: DossierMeasure, v: DossierValue, threshold: number | null): DossierVerdict | null {
  if (threshold === null) return null;
  if (v.nothingOwed) return 'met';
  if (v.value === null) return null;
  const rule = DOSSIER_RULES[measure];
  const value = rule.unit === 'percent' ? Math.round(v.value * 10_000) / 100 : v.value;
  if (rule.comparison === 'at_least') return value >= threshold ? 'met' : 'not_met';
  return value <= threshold ? 'met' : 'not_met';
}

/** Responses per dossier resolved (0..1, may exceed 1 when more people answered than were served). */
export function responseRate(responses: number, resolved: number): number | null {
  return resolved > 0 ? responses / resolved : null;
}
