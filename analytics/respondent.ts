/**
 * What one response contributes to the respondent-level figures. Computed once, when the response
 * is stored, and added into the daily rollups, so no dashboard query has to read raw answers.
 */

export interface CriterionAnswer {
  element: string;
  /** 1..5, or null for "Không ý kiến". */
  value: number | null;
}

export interface RespondentSummary {
  /**
   * The respondent's own composite score: mean over the elements they answered of the share of
   * that element's criteria they rated 4-5. Null when they answered no criterion.
   */
  score: number | null;
  /** 4-5 on every criterion answered ("hài lòng toàn diện"); null when none answered. */
  allSatisfied: boolean | null;
  /** Criteria answered 1..5, and of those rated 4-5 (for the item rate). */
  items: number;
  itemsSatisfied: number;
}

export function summarizeRespondent(answers: CriterionAnswer[]): RespondentSummary {
  const byElement = new Map<string, { answered: number; satisfied: number }>();
  let items = 0;
  let itemsSatisfied = 0;
  for (const a of answers) {
    if (a.value === null) continue;
    const e = byElement.get(a.element) ?? { answered: 0, satisfied: 0 };
    e.answered++;
    items++;
    if (a.value >= 4) {
      e.satisfied++;
      itemsSatisfied++;
    }
    byElement.set(a.element, e);
  }
  if (items === 0) return { score: null, allSatisfied: null, items: 0, itemsSatisfied: 0 };
  let sum = 0;
  for (const e of byElement.values()) sum += e.satisfied / e.answered;
  return { score: sum / byElement.size, allSatisfied: itemsSatisfied === items, items, itemsSatisfied };
}
