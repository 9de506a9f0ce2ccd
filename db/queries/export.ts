/**
 * The responses export: raw responses, one row per response with its answers, read inside one
 * snapshot (db/snapshot.ts) and streamed, never loaded whole. Names of units, desks, fields and
 * questionnaires are joined in the same snapshot, so a desk added during an export cannot leave a
 * row without a name.
 */
import { type Kysely, sql } from 'kysely';
import type { Channel, Database, QuestionRole, QuestionType, ResponseStatus } from '../schema.ts';
import type { RollupFilter } from './analytics.ts';
import { responsesMatching } from './response-filter.ts';

export interface ExportQuestion {
  id: number;
  questionnaireId: number;
  key: string;
  type: QuestionType;
  role: QuestionRole;
  /** Option keys in the order the form shows them (choice questions); [] otherwise. */
  options: string[];
}

/** Every question of the questionnaire versions that responses in the filter used. */
export async function exportQuestions(db: Kysely<Database>, filter: RollupFilter): Promise<ExportQuestion[]> {
  const rows = await db
    .selectFrom('questions')
    .innerJoin('questionnaires', 'questionnaires.id', 'questions.questionnaire_id')
    .select(['questions.id', 'questions.questionnaire_id', 'questions.key', 'questions.type', 'questions.role', 'questions.options_json'])
    .where('questions.questionnaire_id', 'in', db.selectFrom('responses').select('responses.questionnaire_id').distinct().where(responsesMatching(filter)))
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

export async function countResponses(db: Kysely<Database>, filter: RollupFilter): Promise<number> {
  const row = await db
    .selectFrom('responses')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where(responsesMatching(filter))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export interface ExportRow {
  id: number;
  publicId: string;
  submittedAt: string;
  localDay: string;
  unitCode: string;
  unitName: string;
  deskId: number;
  deskCode: string;
  deskName: string;
  fieldCode: string;
  fieldNameVi: string;
  fieldNameEn: string;
  questionnaireId: number;
  questionnaireCode: string;
  questionnaireVersion: number;
  channel: Channel;
  status: ResponseStatus;
  /** The response's answers as "questionId=value=optionKey" joined by ','; value '' is "no opinion" or a choice. */
  answers: string | null;
  /** One comment of the response (a response with several comments comes as several consecutive rows). */
  commentQuestionId: number | null;
  commentText: string | null;
  commentHidden: number | null;
}

/**
 * Rows in response order, read `chunk` at a time (a PostgreSQL cursor; better-sqlite3's iterator).
 * Hidden comments come only when asked for. Meant to be run on a snapshot.
 */
export async function* streamResponses(
  db: Kysely<Database>,
  filter: RollupFilter,
  opts: { includeHiddenComments: boolean; chunk: number },
): AsyncGenerator<ExportRow> {
  // Both databases have string_agg (SQLite since 3.44); the parts are digits and option keys ([a-z0-9-]).
  const answers = sql<string | null>`(select string_agg(cast(answers.question_id as text) || '=' || coalesce(cast(answers.value as text), '') || '=' || answers.option_key, ',') from answers where answers.response_id = responses.id)`;
  const query = db
    .selectFrom('responses')
    .innerJoin('units', 'units.id', 'responses.unit_id')
    .innerJoin('desks', 'desks.id', 'responses.desk_id')
    .innerJoin('fields', 'fields.id', 'responses.field_id')
    .innerJoin('questionnaires', 'questionnaires.id', 'responses.questionnaire_id')
    .leftJoin('comments', (join) => {
      const on = join.onRef('comments.response_id', '=', 'responses.id');
      return opts.includeHiddenComments ? on : on.on('comments.hidden', '=', 0);
    })
    .select([
      'responses.id', 'responses.public_id', 'responses.submitted_at', 'responses.local_day', 'responses.channel', 'responses.status',
      'units.code as unit_code', 'units.name as unit_name', 'desks.id as desk_id', 'desks.code as desk_code', 'desks.name as desk_name',
      'fields.code as field_code', 'fields.name_vi as field_name_vi', 'fields.name_en as field_name_en',
      'responses.questionnaire_id', 'questionnaires.code as questionnaire_code', 'questionnaires.version as questionnaire_version',
      'comments.question_id as comment_question_id', 'comments.text as comment_text', 'comments.hidden as comment_hidden',
      answers.as('answers'),
    ])
    .where(responsesMatching(filter))
    .orderBy('responses.id')
    .orderBy('comments.id');
  for await (const r of query.stream(opts.chunk)) {
    yield {
      id: r.id,
      publicId: r.public_id,
      submittedAt: r.submitted_at,
      localDay: r.local_day,
      unitCode: r.unit_code,
      unitName: r.unit_name,
      deskId: r.desk_id,
      deskCode: r.desk_code,
      deskName: r.desk_name,
      fieldCode: r.field_code,
      fieldNameVi: r.field_name_vi,
      fieldNameEn: r.field_name_en,
      questionnaireId: r.questionnaire_id,
      questionnaireCode: r.questionnaire_code,
      questionnaireVersion: r.questionnaire_version,
      channel: r.channel,
      status: r.status,
      answers: r.answers,
      commentQuestionId: r.comment_question_id,
      commentText: r.comment_text,
      commentHidden: r.comment_hidden,
    };
  }
}
