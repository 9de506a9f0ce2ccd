/**
 * Many raw responses at once (responses with their answers_text, answers, comments), for the export tests that need tens of
 * thousands of rows. Submitting them one by one takes minutes; the export reads only these three
 * tables, so the rollups are left alone here (the dashboard of such a database would show nothing).
 */
import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import { insertRows, type Value } from '../../db/bulk.ts';
import { COMMENT_COLUMNS, commentRow, overallRating } from '../../db/queries/comments.ts';
import { answersText } from '../../db/queries/responses.ts';
import { seeded } from './respondents.ts';
import type { Database } from '../../db/schema.ts';

const ROWS_PER_INSERT = 1000;
/** Four values per answer: well under the bound parameters of either database (32,766 and 65,535). */
const ANSWERS_PER_INSERT = 6000;

export async function bulkResponses(
  db: Kysely<Database>,
  opts: { deskId: number; count: number; submittedAt: string; localDay: string; seed?: number },
): Promise<void> {
  const desk = await db.selectFrom('desks').selectAll().where('id', '=', opts.deskId).executeTakeFirstOrThrow();
  const field = await db.selectFrom('desk_fields').select('field_id').where('desk_id', '=', desk.id).executeTakeFirstOrThrow();
  const questions = await db.selectFrom('questions').selectAll().where('questionnaire_id', '=', desk.questionnaire_id).orderBy('position').execute();
  const overallIds = new Set(questions.filter((q) => q.role === 'overall' && q.type === 'rating5').map((q) => q.id));
  const random = seeded(opts.seed ?? 1);
  await db.transaction().execute(async (trx) => {
    for (let done = 0; done < opts.count; done += ROWS_PER_INSERT) {
      const n = Math.min(ROWS_PER_INSERT, opts.count - done);
      // Each response's answers first: the response row carries them as text too (answersText, as storeBatch writes it).
      const drawn = Array.from({ length: n }, () => {
        const ratings: { questionId: number; value: number | null }[] = [];
        const choices: { questionId: number; optionKeys: string[] }[] = [];
        const texts: { questionId: number; text: string }[] = [];
        for (const q of questions) {
          if (q.type === 'rating5') {
            ratings.push({ questionId: q.id, value: random() < 0.03 ? null : 1 + Math.floor(random() * 5) });
          } else if (q.type === 'multi_choice' || q.type === 'single_choice') {
            const options = JSON.parse(q.options_json ?? '[]') as { key: string }[];
            const option = options[Math.floor(random() * options.length)];
            if (option) choices.push({ questionId: q.id, optionKeys: [option.key] });
          } else if (q.type === 'text' && random() < 0.1) {
            texts.push({ questionId: q.id, text: 'Góp ý số {id}: cán bộ nhiệt tình, "rất" chu đáo.' });
          }
        }
        return { publicId: randomBytes(9).toString('base64url'), ratings, choices, texts, answersText: answersText({ ratings, choices }) };
      });
      const inserted = await trx
        .insertInto('responses')
        .values(
          drawn.map((d) => ({
            public_id: d.publicId,
            questionnaire_id: desk.questionnaire_id,
            unit_id: desk.unit_id,
            desk_id: desk.id,
            field_id: field.field_id,
            channel: 'qr' as const,
            submitted_at: opts.submittedAt,
            local_day: opts.localDay,
            lang: 'vi',
            status: 'ok' as const,
            dossier_hash: null,
            seconds_taken: 40,
            answers_text: d.answersText,
          })),
        )
        .returning(['id', 'public_id'])
        .execute();
      const idOf = new Map(inserted.map((r) => [r.public_id, r.id]));
      const answers: { response_id: number; question_id: number; value: number | null; option_key: string }[] = [];
      const comments: Value[] = [];
      for (const d of drawn) {
        const id = idOf.get(d.publicId) as number;
        for (const r of d.ratings) answers.push({ response_id: id, question_id: r.questionId, value: r.value, option_key: '' });
        for (const c of d.choices) for (const key of c.optionKeys) answers.push({ response_id: id, question_id: c.questionId, value: null, option_key: key });
        const response = {
          submittedAt: opts.submittedAt, localDay: opts.localDay, unitId: desk.unit_id, deskId: desk.id, fieldId: field.field_id,
          channel: 'qr' as const, status: 'ok' as const, overall: overallRating(d.ratings, overallIds),
        };
        for (const t of d.texts) comments.push(...commentRow(id, t.questionId, t.text.replace('{id}', String(id)), response));
      }
      for (let i = 0; i < answers.length; i += ANSWERS_PER_INSERT) await trx.insertInto('answers').values(answers.slice(i, i + ANSWERS_PER_INSERT)).execute();
      await insertRows(trx, 'comments', COMMENT_COLUMNS, comments);
    }
  });
}
