/**
 * The rollup tables, defined once: their keys and their count columns, what one response adds to
 * them, and the one function that writes any of them. The dashboard's reads (queries/analytics.ts),
 * status changes in the review queue and the tests' recount use these same lists.
 *
 * Per question and option (daily_rollups, monthly_rollups): rating questions use option_key '' and
 * n0..n5 (n0 = "Không ý kiến"); choice questions have one row per chosen option with n_chosen, plus
 * a row with option_key '' counting the respondents who answered the question at all.
 * Per questionnaire (daily_responses, monthly_responses): n responses, and for the respondents who
 * rated at least one criterion the sums the composite intervals need (analytics/composite.ts).
 */
import type { Kysely, Transaction } from 'kysely';
import { addToRows, type Value } from './bulk.ts';
import type { Channel, Database, ResponseStatus } from './schema.ts';

export const QUESTION_KEY = ['unit_id', 'desk_id', 'field_id', 'question_id', 'channel', 'status', 'option_key'] as const;
export const QUESTION_COUNTS = ['n0', 'n1', 'n2', 'n3', 'n4', 'n5', 'n_chosen'] as const;
export const RESPONSE_KEY = ['unit_id', 'desk_id', 'field_id', 'questionnaire_id', 'channel', 'status'] as const;
export const RESPONSE_SUMS = ['n', 'scored', 'score_sum', 'score_sq', 'all_satisfied', 'item_x', 'item_y', 'item_xx', 'item_yy', 'item_xy'] as const;

export type QuestionCount = (typeof QUESTION_COUNTS)[number];
export type ResponseSum = (typeof RESPONSE_SUMS)[number];

export const ROLLUP_TABLES = {
  daily_rollups: { time: 'day', key: QUESTION_KEY, counts: QUESTION_COUNTS },
  monthly_rollups: { time: 'month', key: QUESTION_KEY, counts: QUESTION_COUNTS },
  daily_responses: { time: 'day', key: RESPONSE_KEY, counts: RESPONSE_SUMS },
  monthly_responses: { time: 'month', key: RESPONSE_KEY, counts: RESPONSE_SUMS },
} as const satisfies Record<string, { time: 'day' | 'month'; key: readonly string[]; counts: readonly string[] }>;

export type RollupTable = keyof typeof ROLLUP_TABLES;

/** What the rollups need to know of one response. */
export interface RollupSource {
  localDay: string;
  unitId: number;
  deskId: number;
  fieldId: number;
  questionnaireId: number;
  channel: Channel;
  status: ResponseStatus;
  /** value null = "Không ý kiến". */
  ratings: { questionId: number; value: number | null }[];
  choices: { questionId: number; optionKeys: string[] }[];
  /** The respondent-level summary (analytics/respondent.ts). */
  summary: { score: number | null; allSatisfied: boolean | null; items: number; itemsSatisfied: number };
}

/** Position of each count column in its table's list, for adding without a search. */
const QUESTION_INDEX = Object.fromEntries(QUESTION_COUNTS.map((c, i) => [c, i])) as Record<QuestionCount, number>;

/** Counts to add to the rollups, merged by table and key; negative to take a response out. */
export class RollupDeltas {
  private readonly rows = new Map<RollupTable, Map<string, { key: Value[]; counts: number[] }>>();

  /** Adds `amount` to one count column of a row (questions), or a whole row of sums (responses). */
  private add(table: RollupTable, key: Value[], counts: number[] | { index: number; amount: number }): void {
    let byKey = this.rows.get(table);
    if (!byKey) this.rows.set(table, (byKey = new Map<string, { key: Value[]; counts: number[] }>()));
    // Keys hold numbers and short codes without the separator: joining them is unambiguous and cheap.
    const id = key.join('\u0001');
    let row = byKey.get(id);
    if (!row) byKey.set(id, (row = { key, counts: new Array<number>(ROLLUP_TABLES[table].counts.length).fill(0) }));
    if (Array.isArray(counts)) for (let i = 0; i < counts.length; i++) row.counts[i] = (row.counts[i] ?? 0) + (counts[i] ?? 0);
    else row.counts[counts.index] = (row.counts[counts.index] ?? 0) + counts.amount;
  }

  /** Adds a response (sign 1) or takes it out (sign -1). */
  response(r: RollupSource, sign: 1 | -1 = 1): this {
    const month = r.localDay.slice(0, 7);
    const question = (questionId: number, optionKey: string, column: QuestionCount) => {
      const counts = { index: QUESTION_INDEX[column], amount: sign };
      this.add('daily_rollups', [r.localDay, r.unitId, r.deskId, r.fieldId, questionId, r.channel, r.status, optionKey], counts);
      this.add('monthly_rollups', [month, r.unitId, r.deskId, r.fieldId, questionId, r.channel, r.status, optionKey], counts);
    };
    for (const rating of r.ratings) question(rating.questionId, '', rating.value === null ? 'n0' : (`n${rating.value}` as QuestionCount));
    for (const choice of r.choices) {
      if (choice.optionKeys.length === 0) continue;
      question(choice.questionId, '', 'n_chosen');
      for (const option of choice.optionKeys) question(choice.questionId, option, 'n_chosen');
    }
    const s = r.summary;
    const sums: Record<ResponseSum, number> = {
      n: 1,
      scored: s.score === null ? 0 : 1,
      score_sum: s.score ?? 0,
      score_sq: (s.score ?? 0) ** 2,
      all_satisfied: s.allSatisfied ? 1 : 0,
      item_x: s.items,
      item_y: s.itemsSatisfied,
      item_xx: s.items * s.items,
      item_yy: s.itemsSatisfied * s.itemsSatisfied,
      item_xy: s.items * s.itemsSatisfied,
    };
    const row = RESPONSE_SUMS.map((c) => sign * sums[c]);
    this.add('daily_responses', [r.localDay, r.unitId, r.deskId, r.fieldId, r.questionnaireId, r.channel, r.status], row);
    this.add('monthly_responses', [month, r.unitId, r.deskId, r.fieldId, r.questionnaireId, r.channel, r.status], row);
    return this;
  }

  /** Writes every merged delta: one additive upsert per table and chunk. */
  async write(db: Kysely<Database> | Transaction<Database>): Promise<void> {
    for (const [table, byKey] of this.rows) {
      const def = ROLLUP_TABLES[table];
      const rows: Value[][] = [];
      for (const r of byKey.values()) if (r.counts.some((c) => c !== 0)) rows.push(r.key.concat(r.counts));
      if (rows.length > 0) await addToRows(db, table, [def.time, ...def.key], def.counts, rows);
    }
  }
}
