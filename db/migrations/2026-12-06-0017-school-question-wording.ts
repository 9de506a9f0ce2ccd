/**
 * The school questionnaire's overall question said "Quý phụ huynh/em" (issue 21, item 8): a slash where a
 * parent or a pupil reads "Quý phụ huynh và các em". The seed file now has the new words; a database that
 * already stored version 2 keeps what it stored (the seed only adds missing versions), so the text is
 * changed here, only where it is exactly the old one. The question is the same question in better words,
 * so it stays in version 2 (answers before and after are comparable): not a change of meaning, which
 * would go into a new version.
 */
import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- Kysely's documented migration signature
type AnyDb = Kysely<any>;

const OLD = 'Nhìn chung, Quý phụ huynh/em hài lòng thế nào với nhà trường?';
const NEW = 'Nhìn chung, Quý phụ huynh và các em hài lòng thế nào với nhà trường?';

async function replace(db: AnyDb, from: string, to: string): Promise<void> {
  await db
    .updateTable('questions')
    .set({ text_vi: to })
    .where('text_vi', '=', from)
    .where('questionnaire_id', 'in', db.selectFrom('questionnaires').select('id').where('code', '=', 'education'))
    .execute();
}

export async function up(db: AnyDb): Promise<void> {
  await replace(db, OLD, NEW);
}

export async function down(db: AnyDb): Promise<void> {
  await replace(db, NEW, OLD);
}
