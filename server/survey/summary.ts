import { type RespondentSummary, summarizeRespondent } from '../../analytics/respondent.ts';
import type { Question } from '../../db/schema.ts';

/** Each questionnaire's criteria and their elements, worked out once per question list (a cached desk, the demo's million responses). */
const criteriaOf = new WeakMap<Question[], Map<number, string>>();

/** The respondent-level summary of a response's criterion ratings (other questions do not count). */
export function summarizeRatings(questions: Question[], ratings: { questionId: number; value: number | null }[]): RespondentSummary {
  let criteria = criteriaOf.get(questions);
  if (!criteria) criteriaOf.set(questions, (criteria = new Map(questions.filter((q) => q.role === 'criterion').map((q) => [q.id, q.element_code ?? '']))));
  const rated: { element: string; value: number | null }[] = [];
  for (const r of ratings) {
    const element = criteria.get(r.questionId);
    if (element !== undefined) rated.push({ element, value: r.value });
  }
  return summarizeRespondent(rated);
}
