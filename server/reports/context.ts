/** Reference rows every report needs: small tables, read once per request. */
import type { Kysely } from 'kysely';
import { type QuestionMetaRow, questionMeta } from '../../db/queries/analytics.ts';
import { listIndicators } from '../../db/queries/indicators.ts';
import { type DeskOption, listDeskOptions, listFields, listUnits } from '../../db/queries/units.ts';
import type { Database, Field, Indicator, Target, Unit } from '../../db/schema.ts';

export interface ReportContext {
  questions: Map<number, QuestionMetaRow>;
  fields: Field[];
  fieldById: Map<number, Field>;
  units: Unit[];
  unitById: Map<number, Unit>;
  desks: DeskOption[];
  indicators: Indicator[];
  targets: Target[];
  /** Criteria per questionnaire version (bounds the information in a respondent). */
  criteriaCount: Map<number, number>;
  questionnaireKind: Map<number, string>;
}

export async function loadReportContext(db: Kysely<Database>): Promise<ReportContext> {
  const [questions, fields, units, desks, { indicators, targets }] = await Promise.all([
    questionMeta(db),
    listFields(db),
    listUnits(db),
    listDeskOptions(db),
    listIndicators(db),
  ]);
  const criteriaCount = new Map<number, number>();
  const questionnaireKind = new Map<number, string>();
  for (const q of questions) {
    questionnaireKind.set(q.questionnaireId, q.questionnaireKind);
    if (q.role === 'criterion') criteriaCount.set(q.questionnaireId, (criteriaCount.get(q.questionnaireId) ?? 0) + 1);
  }
  return {
    questions: new Map(questions.map((q) => [q.id, q])),
    fields,
    fieldById: new Map(fields.map((f) => [f.id, f])),
    units,
    unitById: new Map(units.map((u) => [u.id, u])),
    desks,
    indicators,
    targets,
    criteriaCount,
    questionnaireKind,
  };
}
