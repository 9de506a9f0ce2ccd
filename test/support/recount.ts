/**
 * Every rollup table recomputed from the raw responses and answers, independently of the write path:
 * the rollups are right when they equal this recount, whatever mix of concurrent, batched, replayed
 * or failed submissions wrote them.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { summarizeRatings } from '../../server/survey/summary.ts';
import { significant } from './numbers.ts';

type Row = Record<string, string | number>;

const COUNT_COLUMNS = ['n0', 'n1', 'n2', 'n3', 'n4', 'n5', 'n_chosen'] as const;
const MOMENT_COLUMNS = ['n', 'scored', 'score_sum', 'score_sq', 'all_satisfied', 'item_x', 'item_y', 'item_xx', 'item_yy', 'item_xy'] as const;

function add(into: Map<string, Row>, key: Row, values: Record<string, number>): void {
  const k = JSON.stringify(key);
  const row = into.get(k) ?? { ...key };
  for (const [column, v] of Object.entries(values)) row[column] = (Number(row[column] ?? 0)) + v;
  into.set(k, row);
}

/** Rows sorted by their key, counts as numbers, zero rows dropped, floats at 10 significant digits. */
function normalised(rows: Row[], key: readonly string[], columns: readonly string[]): Row[] {
  return significant(
    rows
      .map((r) => Object.fromEntries([...key.map((k) => [k, r[k]]), ...columns.map((c) => [c, Number(r[c] ?? 0)])]) as Row)
      .filter((r) => columns.some((c) => r[c] !== 0))
      .sort((a, b) => JSON.stringify(key.map((k) => a[k])).localeCompare(JSON.stringify(key.map((k) => b[k])))),
  );
}

export interface Rollups {
  daily_rollups: Row[];
  monthly_rollups: Row[];
  daily_responses: Row[];
  monthly_responses: Row[];
}

const ROLLUP_KEY = ['unit_id', 'desk_id', 'field_id', 'question_id', 'channel', 'status', 'option_key'];
const RESPONSES_KEY = ['unit_id', 'desk_id', 'field_id', 'questionnaire_id', 'channel', 'status'];

export async function storedRollups(db: Kysely<Database>): Promise<Rollups> {
  return {
    daily_rollups: normalised(await db.selectFrom('daily_rollups').selectAll().execute(), ['day', ...ROLLUP_KEY], COUNT_COLUMNS),
    monthly_rollups: normalised(await db.selectFrom('monthly_rollups').selectAll().execute(), ['month', ...ROLLUP_KEY], COUNT_COLUMNS),
    daily_responses: normalised(await db.selectFrom('daily_responses').selectAll().execute(), ['day', ...RESPONSES_KEY], MOMENT_COLUMNS),
    monthly_responses: normalised(await db.selectFrom('monthly_responses').selectAll().execute(), ['month', ...RESPONSES_KEY], MOMENT_COLUMNS),
  };
}

export async function recountRollups(db: Kysely<Database>): Promise<Rollups> {
  const [responses, answers, questions] = await Promise.all([
    db.selectFrom('responses').selectAll().execute(),
    db.selectFrom('answers').selectAll().execute(),
    db.selectFrom('questions').selectAll().execute(),
  ]);
  const answersOf = new Map<number, typeof answers>();
  for (const a of answers) answersOf.set(a.response_id, [...(answersOf.get(a.response_id) ?? []), a]);
  const questionsOf = new Map<number, typeof questions>();
  for (const q of questions) questionsOf.set(q.questionnaire_id, [...(questionsOf.get(q.questionnaire_id) ?? []), q]);

  const daily = new Map<string, Row>();
  const monthly = new Map<string, Row>();
  const dailyResponses = new Map<string, Row>();
  const monthlyResponses = new Map<string, Row>();
  for (const r of responses) {
    const month = r.local_day.slice(0, 7);
    const base = { unit_id: r.unit_id, desk_id: r.desk_id, field_id: r.field_id, channel: r.channel, status: r.status };
    const own = answersOf.get(r.id) ?? [];
    const ratings = own.filter((a) => a.option_key === '');
    for (const a of ratings) {
      const values = { [`n${a.value ?? 0}`]: 1 };
      add(daily, { day: r.local_day, ...base, question_id: a.question_id, option_key: '' }, values);
      add(monthly, { month, ...base, question_id: a.question_id, option_key: '' }, values);
    }
    const choiceQuestions = new Set(own.filter((a) => a.option_key !== '').map((a) => a.question_id));
    for (const questionId of choiceQuestions) {
      add(daily, { day: r.local_day, ...base, question_id: questionId, option_key: '' }, { n_chosen: 1 });
      add(monthly, { month, ...base, question_id: questionId, option_key: '' }, { n_chosen: 1 });
    }
    for (const a of own.filter((x) => x.option_key !== '')) {
      add(daily, { day: r.local_day, ...base, question_id: a.question_id, option_key: a.option_key }, { n_chosen: 1 });
      add(monthly, { month, ...base, question_id: a.question_id, option_key: a.option_key }, { n_chosen: 1 });
    }
    const s = summarizeRatings(questionsOf.get(r.questionnaire_id) ?? [], ratings.map((a) => ({ questionId: a.question_id, value: a.value })));
    const moments = {
      n: 1,
      scored: s.score === null ? 0 : 1,
      score_sum: s.score ?? 0,
      score_sq: (s.score ?? 0) ** 2,
      all_satisfied: s.allSatisfied ? 1 : 0,
      item_x: s.items,
      item_y: s.itemsSatisfied,
      item_xx: s.items ** 2,
      item_yy: s.itemsSatisfied ** 2,
      item_xy: s.items * s.itemsSatisfied,
    };
    const key = { ...base, questionnaire_id: r.questionnaire_id };
    add(dailyResponses, { day: r.local_day, ...key }, moments);
    add(monthlyResponses, { month, ...key }, moments);
  }
  return {
    daily_rollups: normalised([...daily.values()], ['day', ...ROLLUP_KEY], COUNT_COLUMNS),
    monthly_rollups: normalised([...monthly.values()], ['month', ...ROLLUP_KEY], COUNT_COLUMNS),
    daily_responses: normalised([...dailyResponses.values()], ['day', ...RESPONSES_KEY], MOMENT_COLUMNS),
    monthly_responses: normalised([...monthlyResponses.values()], ['month', ...RESPONSES_KEY], MOMENT_COLUMNS),
  };
}
