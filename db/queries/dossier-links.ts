/**
 * Per-dossier links as the one-stop software asked for them (routes/dossier-links.ts): which token,
 * which desk, when, and the signals of the request. A link's response counts as verified only when
 * its link was asked for at a believable pace; the pace is read from here, so every app server sees
 * the same counts.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../schema.ts';

export interface IssuedLink {
  nonce: string;
  deskId: number;
  tokenId: number;
  issuedAt: string;
  flags: string;
}

/** Links one token asked for at one desk since an instant (ISO). */
export async function linksIssuedSince(db: Kysely<Database>, tokenId: number, deskId: number, since: string): Promise<number> {
  const row = await db
    .selectFrom('dossier_links')
    .select((eb) => eb.fn.countAll<string | number>().as('n'))
    .where('token_id', '=', tokenId)
    .where('desk_id', '=', deskId)
    .where('issued_at', '>=', since)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Records a link; a dossier's later links (same nonce) keep the first record. */
export async function recordIssuedLink(db: Kysely<Database>, link: IssuedLink): Promise<void> {
  await db
    .insertInto('dossier_links')
    .values({ nonce: link.nonce, desk_id: link.deskId, token_id: link.tokenId, issued_at: link.issuedAt, flags: link.flags })
    .onConflict((oc) => oc.column('nonce').doNothing())
    .execute();
}

/** The signals of the request that made a link (none for a link made before links were recorded). */
export async function dossierLinkFlags(db: Kysely<Database>, nonce: string): Promise<string[]> {
  const row = await db.selectFrom('dossier_links').select('flags').where('nonce', '=', nonce).executeTakeFirst();
  return row?.flags ? row.flags.split(',') : [];
}
