/**
 * The responses export: raw responses, one row per response with its answers, read inside one
 * snapshot (db/snapshot.ts) and streamed, never loaded whole. Names of units, desks, fields and
 * questionnaires are read in the same snapshot (a few hundred rows, once, rather than joined to every
 * response), so a desk added during an export cannot leave a row without a name.
 *
 * The rows come in the order of the (local_day, unit_id) index, which every filter can walk without
 * sorting: a province's year or one unit's day starts streaming at once and costs the rows it reads.
 */
import { type Kysely, sql } from 'kysely';
import type { Channel, Database, QuestionRole, QuestionType, ResponseStatus } from '../schema.ts';
import type { RowStream } from '../snapshot.ts';
import type { RollupFilter } from './analytics.ts';
import { responsesMatching } from './response-filter.ts';
import { dialectOf } from '../dialect.ts';

export interface ExportQuestion {
  id: number;
  questionnaireId: number;
  key: string;
  type: QuestionType;
  role: QuestionRole;
  /** Option keys in the order the form shows them (choice questions); [] otherwise. */
  options: string[];
}

const onSqlite = (db: Kysely<Database>) => dialectOf(db) === 'sqlite';

/** What the export holds, read before its rows: how many responses use each questionnaire version. */
export async function responsesByVersion(db: Kysely<Database>, filter: RollupFilter): Promise<Map<number, number>> {
  // One pass over the filter's responses, walked like the rows that follow (responses_day).
  const rows = await db
    .selectFrom('responses')
    .select(['responses.questionnaire_id', (eb) => eb.fn.countAll<number>().as('n')])
    .where(responsesMatching(filter, { statusChecked: onSqlite(db) }))
    .groupBy('responses.questionnaire_id')
    .execute();
  return new Map(rows.map((r) => [r.questionnaire_id, Number(r.n)]));
}

/** Every question of the given questionnaire versions. */
export async function exportQuestions(db: Kysely<Database>, questionnaireIds: number[]): Promise<ExportQuestion[]> {
  if (questionnaireIds.length === 0) return [];
  const rows = await db
    .selectFrom('questions')
    .innerJoin('questionnaires', 'questionnaires.id', 'questions.questionnaire_id')
    .select(['questions.id', 'questions.questionnaire_id', 'questions.key', 'questions.type', 'questions.role', 'questions.options_json'])
    .where('questions.questionnaire_id', 'in', questionnaireIds)
    .orderBy('questionnaires.code')
    .orderBy('questionnaires.version')
    .orderBy('questions.position')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    questionnaireId: r.questionnaire_id,
    key: r.key,
    type: r.type,
    role: r.role,
    options: (JSON.parse(r.options_json ?? '[]') as { key: string }[]).map((o) => o.key),
  }));
}

export interface ExportNames {
  units: Map<number, { code: string; name: string }>;
  desks: Map<number, { code: string; name: string }>;
  fields: Map<number, { code: string; nameVi: string; nameEn: string }>;
  questionnaires: Map<number, { code: string; version: number }>;
}

/** Every unit, desk, field and questionnaire version by id: what the rows name by their ids. */
export async function exportNames(db: Kysely<Database>): Promise<ExportNames> {
  const [units, desks, fields, questionnaires] = await Promise.all([
    db.selectFrom('units').select(['id', 'code', 'name']).execute(),
    db.selectFrom('desks').select(['id', 'code', 'name']).execute(),
    db.selectFrom('fields').select(['id', 'code', 'name_vi', 'name_en']).execute(),
    db.selectFrom('questionnaires').select(['id', 'code', 'version']).execute(),
  ]);
  return {
    units: new Map(units.map((u) => [u.id, { code: u.code, name: u.name }])),
    desks: new Map(desks.map((d) => [d.id, { code: d.code, name: d.name }])),
    fields: new Map(fields.map((f) => [f.id, { code: f.code, nameVi: f.name_vi, nameEn: f.name_en }])),
    questionnaires: new Map(questionnaires.map((q) => [q.id, { code: q.code, version: q.version }])),
  };
}

/**
 * One row of the export as the database gives it, columns in this order. `answers` is the
 * response's answers as "questionId=value" joined by ',': a rating's 1-5 ('' for "no opinion"), a
 * choice's option key (one part per option chosen), kept with the response (`answers_text`,
 * migration 0019) so that the export copies a column rather than gathering ten rows per response. A response with several comments comes as
 * several consecutive rows, one comment each.
 */
export type ExportRow = [
  id: number,
  publicId: string,
  submittedAt: string,
  localDay: string,
  channel: Channel,
  status: ResponseStatus,
  unitId: number,
  deskId: number,
  fieldId: number,
  questionnaireId: number,
  answers: string,
  commentQuestionId: number | null,
  commentText: string | null,
  commentHidden: number | null,
];

/** Rows in the order above, `chunk` at a time. Hidden comments come only when asked for. Meant to be run on a snapshot. */
export async function* streamResponses(
  db: Kysely<Database>,
  rows: RowStream,
  filter: RollupFilter,
  opts: { includeHiddenComments: boolean; chunk: number },
): AsyncGenerator<ExportRow[]> {
  // The line kept with the response (migration 0019); a response written without it (an app server
  // still on the previous release during an upgrade) gets its answers from the rows, as before 0019.
  // Both databases have string_agg (SQLite since 3.44) and evaluate the subquery only for those.
  const answers = sql<string>`case when responses.answers_text <> '' then responses.answers_text else coalesce((select string_agg(cast(answers.question_id as text) || '=' || coalesce(cast(answers.value as text), answers.option_key), ',') from answers where answers.response_id = responses.id), '') end`;
  const query = db
    .selectFrom('responses')
    .leftJoin('comments', (join) => {
      const on = join.onRef('comments.response_id', '=', 'responses.id');
      return opts.includeHiddenComments ? on : on.on('comments.hidden', '=', 0);
    })
    .select([
      'responses.id', 'responses.public_id', 'responses.submitted_at', 'responses.local_day', 'responses.channel', 'responses.status',
      'responses.unit_id', 'responses.desk_id', 'responses.field_id', 'responses.questionnaire_id',
      answers.as('answers'),
      'comments.question_id as comment_question_id', 'comments.text as comment_text', 'comments.hidden as comment_hidden',
    ])
    .where(responsesMatching(filter, { statusChecked: onSqlite(db) }))
    .orderBy('responses.local_day')
    .orderBy('responses.unit_id')
    .orderBy('responses.id')
    .orderBy('comments.id');
  for await (const batch of rows(query.compile(), opts.chunk)) yield batch as ExportRow[];
}
