/**
 * `indicators.scope_json` becomes `covers_json` (issue 19, one word per concept): "scope" is only the
 * units a staff member may see; what an indicator counts (its fields, field groups or questionnaire
 * kinds) is what it "covers". Both SQLite (3.25 and later) and PostgreSQL rename a column in place,
 * keeping its data. Frozen once shipped.
 */
import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- Kysely's documented migration signature
type AnyDb = Kysely<any>;

export async function up(db: AnyDb): Promise<void> {
  await db.schema.alterTable('indicators').renameColumn('scope_json', 'covers_json').execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.alterTable('indicators').renameColumn('covers_json', 'scope_json').execute();
}
