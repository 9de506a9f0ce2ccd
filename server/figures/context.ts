/** Reference rows every report needs: small tables, read once per request. */
import type { Kysely } from 'kysely';
import { type DossierMeasure, isDossierMeasure } from '../../analytics/dossiers.ts';
import { isSurveyMeasure, type Measure } from '../../analytics/measures.ts';
import type { CriterionOf } from '../../analytics/no-opinion.ts';
import { type QuestionMetaRow, questionMeta } from '../../db/queries/analytics.ts';
import { listIndicators } from '../../db/queries/targets.ts';
import { type DeskOption, listDeskOptions, listFields, listUnits } from '../../db/queries/units.ts';
import type { Database, Field, Indicator, Target, Unit } from '../../db/schema.ts';

/** An indicator measured by the survey (satisfaction: an estimate with an interval). */
export type SurveyIndicator = Indicator & { measure: Measure };
/** An indicator counted from the one-stop software's dossiers (every dossier: no interval). */
export type DossierIndicator = Indicator & { measure: DossierMeasure };

export interface ReportContext {
  questions: Map<number, QuestionMetaRow>;
  fields: Field[];
  fieldById: Map<number, Field>;
  units: Unit[];
  unitById: Map<number, Unit>;
  desks: DeskOption[];
  /** The satisfaction indicators, in the plan's order. */
  indicators: SurveyIndicator[];
  /** The dossier indicators (on time, apologised, backlog, online, QĐ 766's score). */
  dossierIndicators: DossierIndicator[];
  targets: Target[];
  /** Criteria per questionnaire version (the safe-side design effect of the item rate). */
  criteriaCount: Map<number, number>;
  /** Element codes of each version's criteria, in questionnaire order. */
  elementsOf: Map<number, string[]>;
  /** Each version's rated criteria (question and element), for the no-opinion worst case. */
  criteriaOf: Map<number, CriterionOf[]>;
  questionnaireKind: Map<number, string>;
  /** Code and version of each questionnaire version, to name it in flags. */
  questionnaireName: Map<number, { code: string; version: number }>;
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
  const elementsOf = new Map<number, string[]>();
  const criteriaOf = new Map<number, CriterionOf[]>();
  const questionnaireKind = new Map<number, string>();
  const questionnaireName = new Map<number, { code: string; version: number }>();
  for (const q of questions) {
    questionnaireKind.set(q.questionnaireId, q.questionnaireKind);
    questionnaireName.set(q.questionnaireId, { code: q.questionnaireCode, version: q.questionnaireVersion });
    if (q.role !== 'criterion') continue;
    criteriaCount.set(q.questionnaireId, (criteriaCount.get(q.questionnaireId) ?? 0) + 1);
    if (q.type === 'rating5') criteriaOf.set(q.questionnaireId, [...(criteriaOf.get(q.questionnaireId) ?? []), { questionId: q.id, element: q.element }]);
    const elements = elementsOf.get(q.questionnaireId) ?? [];
    if (q.element !== null && !elements.includes(q.element)) elements.push(q.element);
    elementsOf.set(q.questionnaireId, elements);
  }
  return {
    questions: new Map(questions.map((q) => [q.id, q])),
    fields,
    fieldById: new Map(fields.map((f) => [f.id, f])),
    units,
    unitById: new Map(units.map((u) => [u.id, u])),
    desks,
    indicators: indicators.filter((i): i is SurveyIndicator => isSurveyMeasure(i.measure)),
    dossierIndicators: indicators.filter((i): i is DossierIndicator => isDossierMeasure(i.measure)),
    targets,
    criteriaCount,
    elementsOf,
    criteriaOf,
    questionnaireKind,
    questionnaireName,
  };
}
