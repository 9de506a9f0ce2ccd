import type { Kysely } from 'kysely';
import type { Database } from '../schema.ts';

/** The newest version of a questionnaire template, by code. */
export async function latestQuestionnaire(db: Kysely<Database>, code: string): Promise<{ id: number; code: string; version: number } | undefined> {
  return db.selectFrom('questionnaires').select(['id', 'code', 'version']).where('code', '=', code).orderBy('version', 'desc').executeTakeFirst();
}
