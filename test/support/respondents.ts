/**
 * Builders for analytics tests: respondents as answer lists, turned into the rollup sums by the
 * application's own respondent summary, exactly as a stored response is.
 */
import { type CellMoments, EMPTY_RATIO } from '../../analytics/moments.ts';
import { type CriterionAnswer, summarizeRespondent } from '../../analytics/respondent.ts';

/** A respondent's criterion answers, e.g. answers('A5 A3 B4 C-') ('-' is "Không ý kiến"). */
export function answers(spec: string): CriterionAnswer[] {
  return spec
    .trim()
    .split(/\s+/)
    .filter((s) => s !== '')
    .map((s) => ({ element: s.slice(0, 1), value: s.slice(1) === '-' ? null : Number(s.slice(1)) }));
}

/** The sums a desk × version cell keeps for these respondents. */
export function cellOf(respondents: CriterionAnswer[][], deskId = 1, questionnaireId = 1): CellMoments {
  const cell: CellMoments = {
    deskId,
    questionnaireId,
    respondents: 0,
    scored: 0,
    scoreSum: 0,
    scoreSq: 0,
    allSatisfied: 0,
    ratio: { respondents: 0, x: 0, y: 0, xx: 0, yy: 0, xy: 0 },
  };
  for (const r of respondents) {
    const s = summarizeRespondent(r);
    cell.respondents++;
    if (s.score !== null) {
      cell.scored++;
      cell.scoreSum += s.score;
      cell.scoreSq += s.score * s.score;
      cell.ratio.respondents++;
    }
    if (s.allSatisfied) cell.allSatisfied++;
    cell.ratio.x += s.items;
    cell.ratio.y += s.itemsSatisfied;
    cell.ratio.xx += s.items * s.items;
    cell.ratio.yy += s.itemsSatisfied * s.itemsSatisfied;
    cell.ratio.xy += s.items * s.itemsSatisfied;
  }
  return cell;
}

/** n copies of one respondent. */
export function times(n: number, respondent: CriterionAnswer[]): CriterionAnswer[][] {
  return Array.from({ length: n }, () => respondent.map((a) => ({ ...a })));
}

/** A cell whose respondents have exactly these scores, for hand-computed SIPAS weights (no item sums). */
export function cellWithScores(scores: number[], deskId: number, questionnaireId: number): CellMoments {
  return {
    deskId,
    questionnaireId,
    respondents: scores.length,
    scored: scores.length,
    scoreSum: scores.reduce((a, s) => a + s, 0),
    scoreSq: scores.reduce((a, s) => a + s * s, 0),
    allSatisfied: scores.filter((s) => s === 1).length,
    ratio: { ...EMPTY_RATIO },
  };
}
