import type { Kysely } from 'kysely';
import type { Database } from '../schema.ts';

export async function getSetting(db: Kysely<Database>, key: string): Promise<string | undefined> {
  const row = await db.selectFrom('settings').select('value').where('key', '=', key).executeTakeFirst();
  return row?.value;
}

/** Stores value unless key already has one; returns the value that is stored (first writer wins). */
export async function getOrInitSetting(db: Kysely<Database>, key: string, value: string): Promise<string> {
  await db.insertInto('settings').values({ key, value }).onConflict((oc) => oc.column('key').doNothing()).execute();
  const stored = await getSetting(db, key);
  if (stored === undefined) throw new Error(`setting ${key} was not stored`);
  return stored;
}

export async function setSetting(db: Kysely<Database>, key: string, value: string): Promise<void> {
  await db.insertInto('settings').values({ key, value }).onConflict((oc) => oc.column('key').doUpdateSet({ value })).execute();
}

export async function deleteSetting(db: Kysely<Database>, key: string): Promise<void> {
  await db.deleteFrom('settings').where('key', '=', key).execute();
}

/** Keys that start with `prefix`, newest value first (values that are ISO times sort by age). */
export async function settingsWithPrefix(db: Kysely<Database>, prefix: string): Promise<{ key: string; value: string }[]> {
  return db.selectFrom('settings').select(['key', 'value']).where('key', 'like', `${prefix}%`).orderBy('value', 'desc').execute();
}

/** Deletes every key that starts with `prefix`; returns how many went. */
export async function deleteSettingsWithPrefix(db: Kysely<Database>, prefix: string): Promise<number> {
  const result = await db.deleteFrom('settings').where('key', 'like', `${prefix}%`).executeTakeFirst();
  return Number(result.numDeletedRows);
}
