/**
 * The alert rules (issue 22): an official is told only what the data are sure of, with the same
 * statistics and minimums as the dashboard, and an alert stays one row while its condition holds.
 *
 * - below_target: a desk, unit or field whose overall satisfaction is under the target of its kind
 *   of service (the ranking's rule, figures/groups.ts serviceTarget) with confidence in the last 30
 *   days, the quarter to date or the year to date: at least MIN_RESPONSES respondents and the upper
 *   bound of the provisional 99.9% interval at or under the target (analytics/verdict.ts), after the
 *   table of subjects of the same kind is adjusted for being many (Benjamini–Hochberg at the
 *   provisional level, analytics/multiplicity.ts). A unit or field whose respondents all came through
 *   one desk that is itself alerted is that desk's alert, not another.
 * - fall: a unit whose last 30 days are significantly below the 30 days before (analytics/change.ts),
 *   the false discovery rate held at FALL_FDR across the units compared, and the fall at least
 *   MIN_FALL: a real fall of a size worth a manager's time.
 * - suspect_run: SUSPECT_RUN or more responses at one desk in the last 7 days waiting in the review
 *   queue (the stuffing signals flagged them).
 * - dossier_on_time, dossier_apology: once dossier counts exist, a unit whose dossiers resolved this
 *   quarter (at least DOSSIER_MIN_RESOLVED of them) were under the on-time target, or with any late
 *   dossier without an apology letter. Counts are every dossier, not a sample: no interval.
 *
 * Each run reads the windows up to `through` (the day just closed, for the scheduled run), opens an
 * alert per new finding, refreshes the figures of those still holding and closes the others, saying
 * why. Running again on the same data opens nothing new.
 */
import type { Kysely } from 'kysely';
import { fallPValue, significantFalls } from '../../analytics/change.ts';
import { addDossiers, type DossierTotals, NO_DOSSIERS } from '../../analytics/dossiers.ts';
import { tableVerdicts } from '../../analytics/multiplicity.ts';
import { type Period, rollupSpans } from '../../analytics/periods.ts';
import type { MeasureResult } from '../../analytics/proportion.ts';
import { addDays, localDay } from '../../analytics/time.ts';
import { intervalAt, PROVISIONAL } from '../../analytics/verdict.ts';
import { type AlertFinding, alertKey, closeAlert, newAlertRow, openAlert, refreshAlert, unclosedAlerts } from '../../db/queries/alerts.ts';
import type { RollupFilter } from '../../db/queries/analytics.ts';
import { dossierSums } from '../../db/queries/dossier-counts.ts';
import { activeDeskIds } from '../../db/queries/desks.ts';
import { suspectByDesk } from '../../db/queries/flagged-responses.ts';
import type { Alert, AlertCloseReason, AlertSubjectKind, AlertWindow, Database } from '../../db/schema.ts';
import { loadReportContext, type ReportContext } from '../figures/context.ts';
import { dossierFilterOf, dossierIndicators, flowTotals } from '../figures/dossiers.ts';
import { readRows, serviceTarget } from '../figures/groups.ts';
import { overallOf, type RowSet } from '../figures/indicator-results.ts';

/** The windows below_target reads, shortest first: an alert names the shortest that is sure. */
export const TARGET_WINDOWS = ['30d', 'quarter', 'year'] as const satisfies readonly AlertWindow[];
/** The false discovery rate of the fall rule across the units compared (one evaluation). */
export const FALL_FDR = 0.001;
/** The smallest fall (share points) alerted, however sure. */
export const MIN_FALL = 0.05;
/**
 * Respondents each 30-day window needs for the fall rule: with fewer, only falls of 35 points or more
 * could be sure, while every unit compared makes the adjustment stricter for the others.
 */
export const FALL_MIN_N = 100;
/**
 * An alert of the survey's rules (below_target, fall) whose condition stopped holding stays open this
 * many days unless its figure is back (the 30 days above the target, or back to the earlier level):
 * the adjustment for many subjects moves a little every day, and without this a desk that stays at
 * 80% would close and reopen several times a year, each time losing its follow-ups.
 */
export const CLOSE_AFTER_DAYS = 7;
/**
 * Dossiers resolved in the quarter before its on-time share is alerted: a commune that resolved 7 and
 * was late with 2 is at 71%, but two dossiers say little about how it works; late dossiers without an
 * apology are alerted from the first (each one is owed a letter).
 */
export const DOSSIER_MIN_RESOLVED = 30;
/** Responses waiting for review at one desk within 7 days that make a run. */
export const SUSPECT_RUN = 5;

export interface EvaluationResult {
  opened: Alert[];
  closed: Alert[];
  /** Alerts whose condition still holds (their figures refreshed). */
  stillOpen: number;
  evaluatedAt: string;
  /** The last day the windows read. */
  day: string;
}

/** A window's days ending on `through`. */
export function windowPeriod(window: AlertWindow, through: string): Period {
  switch (window) {
    case '7d':
      return { from: addDays(through, -6), to: through };
    case '30d':
      return { from: addDays(through, -29), to: through };
    case 'quarter': {
      const month = Number(through.slice(5, 7));
      const first = String(Math.floor((month - 1) / 3) * 3 + 1).padStart(2, '0');
      return { from: `${through.slice(0, 4)}-${first}-01`, to: through };
    }
    case 'year':
      return { from: `${through.slice(0, 4)}-01-01`, to: through };
  }
}

function filterOf(period: Period, today: string): RollupFilter {
  return { ...period, spans: rollupSpans(period), unitIds: null, fieldIds: null, deskId: null, channel: null, statuses: ['ok'], today };
}

const EMPTY = (): RowSet => ({ questions: [], moments: [] });

interface Subject {
  kind: AlertSubjectKind;
  id: number;
  unitId: number | null;
  rows: RowSet;
}

/** One read per window, split three ways: by desk, by the desk's unit, by field. */
function subjectsOf(rows: RowSet, ctx: ReportContext): Subject[] {
  const deskUnit = new Map(ctx.desks.map((d) => [d.id, d.unitId]));
  const subjects = new Map<string, Subject>();
  const add = (kind: AlertSubjectKind, id: number, unitId: number | null) => {
    const key = `${kind}:${id}`;
    let s = subjects.get(key);
    if (!s) subjects.set(key, (s = { kind, id, unitId, rows: EMPTY() }));
    return s.rows;
  };
  for (const q of rows.questions) {
    const deskId = Number(q.group);
    const unitId = deskUnit.get(deskId);
    if (unitId === undefined) continue;
    add('desk', deskId, unitId).questions.push(q);
    add('unit', unitId, unitId).questions.push(q);
    add('field', q.fieldId, null).questions.push(q);
  }
  for (const m of rows.moments) {
    const unitId = deskUnit.get(m.deskId);
    if (unitId === undefined) continue;
    add('desk', m.deskId, unitId).moments.push(m);
    add('unit', unitId, unitId).moments.push(m);
    add('field', m.fieldId, null).moments.push(m);
  }
  return [...subjects.values()];
}

/** A subject judged in one window. */
interface Judged {
  subject: Subject;
  window: AlertWindow;
  period: Period;
  overall: MeasureResult;
  /** Share 0..1 and the indicator it belongs to; null without a target. */
  target: number | null;
  targetIndicator: string | null;
  bound: number | null;
  below: boolean;
  /** The desks its respondents came through. */
  desks: Set<number>;
}

interface Looking {
  minN: number;
  /** Keys of the alerts not yet closed: never merged into a desk's (that would close them). */
  unclosed: Set<string>;
  /** Desks that take responses: a unit is merged only into a desk alert that can open. */
  activeDesks: Set<number>;
}

function judgeWindow(subjects: Subject[], ctx: ReportContext, window: AlertWindow, period: Period, looking: Looking): Judged[] {
  const { minN } = looking;
  const judged = subjects.map((subject) => {
    const target = serviceTarget(subject.rows, ctx, period.to);
    const overall = overallOf(subject.rows.questions, ctx);
    const indicator = target ? (ctx.indicators.find((i) => i.id === target.indicator_id)?.code ?? null) : null;
    return {
      subject,
      window,
      period,
      overall,
      target: target ? target.threshold / 100 : null,
      targetIndicator: indicator,
      bound: intervalAt(overall, PROVISIONAL)?.high ?? null,
      below: false,
      desks: new Set(subject.rows.moments.filter((m) => m.responses > 0).map((m) => m.deskId)),
    };
  });
  // Each kind of subject is its own table: the desks of the province, its units, its fields.
  for (const kind of ['desk', 'unit', 'field'] as const) {
    const family = judged.filter((j) => j.subject.kind === kind);
    const verdicts = tableVerdicts(
      family.map((j) => ({ result: j.overall, target: j.target })),
      PROVISIONAL,
      minN,
    );
    family.forEach((j, i) => {
      j.below = verdicts[i]?.verdict === 'not_met';
    });
  }
  // A unit or field whose respondents all came through one alerted desk is that desk's alert.
  const belowDesks = new Map(judged.filter((j) => j.below && j.subject.kind === 'desk' && looking.activeDesks.has(j.subject.id)).map((j) => [j.subject.id, j]));
  for (const j of judged) {
    if (!j.below || j.subject.kind === 'desk' || j.desks.size !== 1) continue;
    if (looking.unclosed.has(alertKey('below_target', j.subject.kind, j.subject.id))) continue;
    const desk = belowDesks.get([...j.desks][0] as number);
    if (desk && desk.overall.n === j.overall.n) j.below = false;
  }
  return judged;
}

function windowFigures(j: Judged) {
  return {
    window: j.window,
    from: j.period.from,
    to: j.period.to,
    value: j.overall.value,
    yes: j.overall.counts?.yes ?? null,
    n: j.overall.n,
    bound: j.bound,
    below: j.below,
  };
}

interface Findings {
  findings: Map<string, AlertFinding>;
  /** The current figure of every subject and window looked at (closing): `${rule}|${kind}:${id}|${window}`. */
  current: Map<string, { value: number | null; n: number }>;
}

async function belowTarget(db: Kysely<Database>, ctx: ReportContext, through: string, today: string, looking: Looking, into: Findings): Promise<void> {
  const perWindow = await Promise.all(
    TARGET_WINDOWS.map(async (window) => {
      const period = windowPeriod(window, through);
      return judgeWindow(subjectsOf(await readRows(db, filterOf(period, today), 'desk'), ctx), ctx, window, period, looking);
    }),
  );
  const bySubject = new Map<string, Judged[]>();
  for (const judged of perWindow) {
    for (const j of judged) {
      const key = alertKey('below_target', j.subject.kind, j.subject.id);
      bySubject.set(key, [...(bySubject.get(key) ?? []), j]);
      into.current.set(`${key}|${j.window}`, { value: j.overall.value, n: j.overall.n });
    }
  }
  for (const [key, windows] of bySubject) {
    const raised = windows.find((j) => j.below);
    if (!raised) continue;
    into.findings.set(key, {
      rule: 'below_target',
      subjectKind: raised.subject.kind,
      subjectId: raised.subject.id,
      unitId: raised.subject.unitId,
      window: raised.window,
      periodFrom: raised.period.from,
      periodTo: raised.period.to,
      value: raised.overall.value,
      target: raised.target,
      bound: raised.bound,
      n: raised.overall.n,
      details: { indicator: raised.targetIndicator, yes: raised.overall.counts?.yes ?? null, level: PROVISIONAL.level, windows: windows.map(windowFigures) },
    });
  }
}

async function falls(db: Kysely<Database>, ctx: ReportContext, through: string, today: string, minN: number, into: Findings): Promise<void> {
  const after = windowPeriod('30d', through);
  const before = { from: addDays(after.from, -30), to: addDays(after.from, -1) };
  const [nowRows, beforeRows] = await Promise.all([readRows(db, filterOf(after, today), 'desk'), readRows(db, filterOf(before, today), 'desk')]);
  const units = (rows: RowSet) => new Map(subjectsOf(rows, ctx).filter((s) => s.kind === 'unit').map((s) => [s.id, overallOf(s.rows.questions, ctx)]));
  const nowByUnit = units(nowRows);
  const beforeByUnit = units(beforeRows);
  const compared = [...nowByUnit.entries()].flatMap(([unitId, now]) => {
    const earlier = beforeByUnit.get(unitId);
    if (!earlier?.counts || !now.counts || now.n < Math.max(minN, FALL_MIN_N) || earlier.n < Math.max(minN, FALL_MIN_N)) return [];
    return [{ unitId, now, earlier, p: fallPValue(earlier.counts, now.counts) }];
  });
  const significant = significantFalls(
    compared.map((c) => c.p),
    FALL_FDR,
  );
  compared.forEach((c, i) => {
    const key = alertKey('fall', 'unit', c.unitId);
    into.current.set(`${key}|30d`, { value: c.now.value, n: c.now.n });
    const drop = (c.earlier.value ?? 0) - (c.now.value ?? 0);
    if (!significant[i] || drop < MIN_FALL) return;
    into.findings.set(key, {
      rule: 'fall',
      subjectKind: 'unit',
      subjectId: c.unitId,
      unitId: c.unitId,
      window: '30d',
      periodFrom: after.from,
      periodTo: after.to,
      value: c.now.value,
      target: null,
      bound: null,
      n: c.now.n,
      details: {
        yes: c.now.counts?.yes ?? null,
        before: { from: before.from, to: before.to, value: c.earlier.value, yes: c.earlier.counts?.yes ?? null, n: c.earlier.n },
        p: c.p,
        fdr: FALL_FDR,
        compared: compared.length,
      },
    });
  });
}

async function suspectRuns(db: Kysely<Database>, ctx: ReportContext, through: string, into: Findings): Promise<void> {
  const period = windowPeriod('7d', through);
  const deskUnit = new Map(ctx.desks.map((d) => [d.id, d.unitId]));
  for (const row of await suspectByDesk(db, period.from, period.to)) {
    const key = alertKey('suspect_run', 'desk', row.deskId);
    into.current.set(`${key}|7d`, { value: null, n: row.n });
    if (row.n < SUSPECT_RUN) continue;
    into.findings.set(key, {
      rule: 'suspect_run',
      subjectKind: 'desk',
      subjectId: row.deskId,
      unitId: deskUnit.get(row.deskId) ?? row.unitId,
      window: '7d',
      periodFrom: period.from,
      periodTo: period.to,
      value: null,
      target: null,
      bound: null,
      n: row.n,
      details: { pending: row.n, run: SUSPECT_RUN },
    });
  }
}

async function dossierRules(db: Kysely<Database>, ctx: ReportContext, through: string, today: string, into: Findings): Promise<void> {
  const period = windowPeriod('quarter', through);
  const sums = await dossierSums(db, dossierFilterOf(filterOf(period, today)));
  const byUnitField = new Map<number, Map<number, DossierTotals>>();
  for (const r of sums) {
    const fields = byUnitField.get(r.unitId) ?? new Map<number, DossierTotals>();
    fields.set(r.fieldId, addDossiers(fields.get(r.fieldId) ?? NO_DOSSIERS, flowTotals(r)));
    byUnitField.set(r.unitId, fields);
  }
  const indicators = ctx.dossierIndicators.filter((i) => i.code === 'on_time' || i.code === 'late_apologised');
  for (const [unitId, fields] of byUnitField) {
    for (const result of dossierIndicators(fields, indicators, ctx, through)) {
      const rule = result.code === 'on_time' ? 'dossier_on_time' : 'dossier_apology';
      const key = alertKey(rule, 'unit', unitId);
      into.current.set(`${key}|quarter`, { value: result.value, n: result.base });
      if (result.verdict !== 'not_met' || result.value === null) continue;
      if (rule === 'dossier_on_time' && result.base < DOSSIER_MIN_RESOLVED) continue;
      let late = 0;
      let apologised = 0;
      let onTime = 0;
      for (const t of fields.values()) {
        late += t.late;
        apologised += t.apologised;
        onTime += t.onTime;
      }
      into.findings.set(key, {
        rule,
        subjectKind: 'unit',
        subjectId: unitId,
        unitId,
        window: 'quarter',
        periodFrom: period.from,
        periodTo: period.to,
        value: result.value,
        target: result.target === null ? null : result.target / 100,
        bound: null,
        n: result.base,
        details: { onTime, late, apologised, unapologised: Math.max(0, late - apologised) },
      });
    }
  }
}

/**
 * Why an alert whose condition no longer holds closes, or null to keep it open a while: the facts
 * (dossiers, suspect runs) close at once; a survey alert closes when its figure is back (the last 30
 * days above the target with enough respondents, or no lower than before the fall), else once it has
 * not held for CLOSE_AFTER_DAYS ('unsure': the data no longer say so, though the figure may be low).
 */
function closingReason(alert: Alert, recent: { value: number | null; n: number } | null, minN: number, now: Date): 'recovered' | 'unsure' | null {
  if (alert.rule !== 'below_target' && alert.rule !== 'fall') return 'recovered';
  const before = alert.rule === 'fall' ? (JSON.parse(alert.details_json) as { before?: { value: number | null } }).before?.value : undefined;
  const bar = alert.rule === 'below_target' ? alert.target : (before ?? null);
  if (recent && recent.value !== null && bar !== null && recent.n >= minN && (alert.rule === 'below_target' ? recent.value > bar : recent.value >= bar)) return 'recovered';
  return now.getTime() - Date.parse(alert.evaluated_at) >= CLOSE_AFTER_DAYS * 86_400_000 ? 'unsure' : null;
}

/**
 * Evaluates every rule up to `through` (default: the day just closed, as the scheduler does, so that
 * a run by hand at noon reads the same windows as the night's and cannot open what the night closes)
 * and brings the alerts in line: new findings opened, holding ones refreshed, the rest closed.
 * With `dryRun` nothing is written and `opened`/`closed` say what would be.
 */
export async function evaluateAlerts(
  db: Kysely<Database>,
  opts: { now: Date; minN: number; dryRun?: boolean; through?: string },
): Promise<EvaluationResult> {
  const at = opts.now.toISOString();
  const today = localDay(opts.now);
  const through = opts.through ?? addDays(today, -1);
  const ctx = await loadReportContext(db);
  const [unclosed, desks] = await Promise.all([unclosedAlerts(db), activeDeskIds(db)]);
  const looking: Looking = { minN: opts.minN, unclosed: new Set(unclosed.map((a) => a.alert_key)), activeDesks: desks };
  const found: Findings = { findings: new Map(), current: new Map() };
  await belowTarget(db, ctx, through, today, looking, found);
  await falls(db, ctx, through, today, opts.minN, found);
  await suspectRuns(db, ctx, through, found);
  await dossierRules(db, ctx, through, today, found);

  const activeUnits = new Set(ctx.units.filter((u) => u.active === 1).map((u) => u.id));
  const exists = (kind: AlertSubjectKind, id: number) =>
    kind === 'desk' ? desks.has(id) : kind === 'unit' ? activeUnits.has(id) : ctx.fieldById.has(id);
  const result: EvaluationResult = { opened: [], closed: [], stillOpen: 0, evaluatedAt: at, day: through };
  const held = new Set<string>();
  for (const alert of unclosed) {
    const finding = found.findings.get(alert.alert_key);
    const gone = !exists(alert.subject_kind, alert.subject_id);
    if (finding && !gone) {
      held.add(alert.alert_key);
      result.stillOpen++;
      // evaluated_at is the last time the condition held (CLOSE_AFTER_DAYS counts from it).
      if (!opts.dryRun) await refreshAlert(db, alert.id, finding, at);
      continue;
    }
    const now = found.current.get(`${alert.alert_key}|${alert.window}`) ?? null;
    const recent = found.current.get(`${alert.alert_key}|30d`) ?? null;
    const reason: AlertCloseReason | null = gone ? 'subject_gone' : closingReason(alert, recent, opts.minN, opts.now);
    if (reason === null) {
      // Not sure any more, not back either: kept open a few days (CLOSE_AFTER_DAYS), figures unchanged.
      held.add(alert.alert_key);
      result.stillOpen++;
      continue;
    }
    const close = { reason, value: (alert.rule === 'below_target' || alert.rule === 'fall' ? recent : now)?.value ?? null, at };
    if (opts.dryRun) result.closed.push({ ...alert, status: 'closed', closed_at: at, close_reason: close.reason, closed_value: close.value });
    else {
      const closed = await closeAlert(db, alert.id, close);
      if (closed) result.closed.push(closed);
    }
  }
  for (const [key, finding] of found.findings) {
    if (held.has(key) || !exists(finding.subjectKind, finding.subjectId)) continue;
    if (opts.dryRun) result.opened.push({ id: 0, ...newAlertRow(finding, at) });
    else {
      const opened = await openAlert(db, finding, at);
      if (opened) result.opened.push(opened);
    }
  }
  return result;
}
