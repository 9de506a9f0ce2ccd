import { type RespondentSummary, summarizeRespondent } from '../../analytics/respondent.ts';
import type { Question } from '../../db/schema.ts';

/** The respondent-level summary of a response's criterion ratings (other questions do not count). */
export function summarizeRatings(questions: Question[], ratings: { questionId: number; value: number | null }[]): RespondentSummary {
  const criteria = new Map(questions.filter((q) => q.role === 'criterion').map((q) => [q.id, q.element_code ?? '']));
  return summarizeRespondent(
    ratings.flatMap((r) => {
      const element = criteria.get(r.questionId);
      return element === undefined ? [] : [{ element, value: r.value }];
    }),
  );
}
