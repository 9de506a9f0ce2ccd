/**
 * Respondent-level sums kept in the rollups (daily_responses, monthly_responses) for one desk and
 * one questionnaire version. They are everything the composite measures and their intervals need,
 * so no report reads raw answers.
 */

/** Sums over respondents of x = criteria answered 1..5 and y = criteria rated 4-5. */
export interface RatioMoments {
  respondents: number;
  x: number;
  y: number;
  xx: number;
  yy: number;
  xy: number;
}

export interface CellMoments {
  deskId: number;
  questionnaireId: number;
  /** The latest day (or 'YYYY-MM') with a response in the cell: which version a desk uses now. */
  lastDay?: string;
  /** Every response, including those that answered no criterion. */
  respondents: number;
  /** Respondents with at least one criterion answered 1..5: they have a score. */
  scored: number;
  /** Σ and Σ² of the respondents' own scores (analytics/respondent.ts). */
  scoreSum: number;
  scoreSq: number;
  /** Scored respondents who rated every criterion they answered 4-5. */
  allSatisfied: number;
  ratio: RatioMoments;
}

export const EMPTY_RATIO: RatioMoments = { respondents: 0, x: 0, y: 0, xx: 0, yy: 0, xy: 0 };

export function addRatio(a: RatioMoments, b: RatioMoments): RatioMoments {
  return { respondents: a.respondents + b.respondents, x: a.x + b.x, y: a.y + b.y, xx: a.xx + b.xx, yy: a.yy + b.yy, xy: a.xy + b.xy };
}

/** Adds cells that share a key (e.g. the same desk and version over several fields or months). */
export function mergeCells(cells: CellMoments[], key: (c: CellMoments) => string): CellMoments[] {
  const merged = new Map<string, CellMoments>();
  for (const c of cells) {
    const k = key(c);
    const m = merged.get(k);
    if (!m) {
      merged.set(k, { ...c, ratio: { ...c.ratio } });
      continue;
    }
    m.respondents += c.respondents;
    m.scored += c.scored;
    m.scoreSum += c.scoreSum;
    m.scoreSq += c.scoreSq;
    m.allSatisfied += c.allSatisfied;
    m.ratio = addRatio(m.ratio, c.ratio);
    if (c.lastDay !== undefined && (m.lastDay === undefined || c.lastDay > m.lastDay)) m.lastDay = c.lastDay;
  }
  return [...merged.values()];
}
