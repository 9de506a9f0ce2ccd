/**
 * Every desk gets a short code (issue 21, item 7): what a citizen types when the QR code will not scan,
 * `BASE_URL/q/7K3M-9PXA`, instead of the 33-character signed token mixing I, l and 1. Random per desk,
 * unique (one index, which also makes the look-up at /q/ one probe), drawn again when the desk's posters
 * are revoked (db/queries/desks.ts). The column stays nullable in the database because SQLite cannot add
 * a NOT NULL column without a default; every desk is given a code here and every new desk when it is
 * created. The alphabet and length are copied, not imported (db/short-codes.ts may change; a migration
 * is frozen once shipped).
 */
import { randomInt } from 'node:crypto';
import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- Kysely's documented migration signature
type AnyDb = Kysely<any>;

const ALPHABET = '34679ACDEFHJKMNPRTWXY';
const LENGTH = 8;

function draw(): string {
  let code = '';
  for (let i = 0; i < LENGTH; i++) code += ALPHABET[randomInt(ALPHABET.length)];
  return code;
}

export async function up(db: AnyDb): Promise<void> {
  await db.schema.alterTable('desks').addColumn('short_code', 'text').execute();
  const desks = await db.selectFrom('desks').select('id').orderBy('id').execute();
  const taken = new Set<string>();
  for (const { id } of desks as { id: number }[]) {
    let code = draw();
    while (taken.has(code)) code = draw();
    taken.add(code);
    await db.updateTable('desks').set({ short_code: code }).where('id', '=', id).execute();
  }
  await db.schema.createIndex('desks_short_code').on('desks').column('short_code').unique().execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.dropIndex('desks_short_code').execute();
  await db.schema.alterTable('desks').dropColumn('short_code').execute();
}
