/**
 * A version of everything a survey page shows (desks, their units, fields and questionnaire
 * versions), so app servers can keep desks in memory and still notice a change at once: every
 * query that changes what citizens see calls `touchSurveyConfig`, which counts the change in this
 * process (seen by the next request) and stores a new version in the database (seen by the other
 * app servers and by the server when the command line made the change, within seconds).
 */
import { randomBytes } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../schema.ts';

const KEY = 'survey_config_version';
let changesHere = 0;

export function surveyConfigChangesHere(): number {
  return changesHere;
}

export async function touchSurveyConfig(db: Kysely<Database> | Transaction<Database>): Promise<void> {
  changesHere++;
  const value = randomBytes(8).toString('hex');
  await db.insertInto('settings').values({ key: KEY, value }).onConflict((oc) => oc.column('key').doUpdateSet({ value })).execute();
}

export async function surveyConfigVersion(db: Kysely<Database>): Promise<string> {
  const row = await db.selectFrom('settings').select('value').where('key', '=', KEY).executeTakeFirst();
  return row?.value ?? '';
}
