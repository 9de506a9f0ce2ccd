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

interface DeltaRow {
  /** The time column, then the table's key columns, in their order. */
  key: Value[];
  counts: number[];
}

/**
 * The rows of one table in two levels: by the part of the key that a whole response shares (time,
 * unit, desk, field, channel, status), then by the rest (question and option, or questionnaire).
 * A batch of a million answers then builds one short string per response and table, not one per
 * answer, and allocates a key only for a row it has not seen.
 */
type TableRows = Map<string, Map<number | string, DeltaRow>>;

/** Counts to add to the rollups, merged by table and key; negative to take a response out. */
export class RollupDeltas {
  private readonly tables = new Map<RollupTable, TableRows>();

  private group(table: RollupTable, id: string): Map<number | string, DeltaRow> {
    let groups = this.tables.get(table);
    if (!groups) this.tables.set(table, (groups = new Map<string, Map<number | string, DeltaRow>>()));
    let group = groups.get(id);
    if (!group) groups.set(id, (group = new Map<number | string, DeltaRow>()));
    return group;
  }

  private static row(group: Map<number | string, DeltaRow>, id: number | string, key: () => Value[], width: number): number[] {
    let row = group.get(id);
    if (!row) group.set(id, (row = { key: key(), counts: new Array<number>(width).fill(0) }));
    return row.counts;
  }

  /** Adds a response (sign 1) or takes it out (sign -1). */
  response(r: RollupSource, sign: 1 | -1 = 1): this {
    const month = r.localDay.slice(0, 7);
    // Numbers and short codes without the separator: joining them is unambiguous.
    const shared = `${r.unitId}\u0001${r.deskId}\u0001${r.fieldId}\u0001${r.channel}\u0001${r.status}`;
    const daily = this.group('daily_rollups', `${r.localDay}\u0001${shared}`);
    const monthly = this.group('monthly_rollups', `${month}\u0001${shared}`);
    const question = (questionId: number, optionKey: string, column: QuestionCount) => {
      const id = optionKey === '' ? questionId : `${questionId}\u0001${optionKey}`;
      const index = QUESTION_INDEX[column];
      for (const [group, time] of [[daily, r.localDay], [monthly, month]] as const) {
        const counts = RollupDeltas.row(group, id, () => [time, r.unitId, r.deskId, r.fieldId, questionId, r.channel, r.status, optionKey], QUESTION_COUNTS.length);
        counts[index] = (counts[index] ?? 0) + sign;
      }
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
    for (const [table, time] of [['daily_responses', r.localDay], ['monthly_responses', month]] as const) {
      const group = this.group(table, `${time}\u0001${shared}`);
      const counts = RollupDeltas.row(group, r.questionnaireId, () => [time, r.unitId, r.deskId, r.fieldId, r.questionnaireId, r.channel, r.status], RESPONSE_SUMS.length);
      RESPONSE_SUMS.forEach((c, i) => (counts[i] = (counts[i] ?? 0) + sign * sums[c]));
    }
    return this;
  }

  /** Writes every merged delta: one additive upsert per table and chunk. */
  async write(db: Kysely<Database> | Transaction<Database>): Promise<void> {
    for (const [table, groups] of this.tables) {
      const def = ROLLUP_TABLES[table];
      const rows: Value[] = [];
      for (const group of groups.values()) {
        for (const { key, counts } of group.values()) {
          // Added and taken out again in the same batch: nothing to write.
          if (counts.every((c) => c === 0)) continue;
          for (const v of key) rows.push(v);
          for (const c of counts) rows.push(c);
        }
      }
      if (rows.length > 0) await addToRows(db, table, [def.time, ...def.key], def.counts, rows);
    }
  }
}
