/**
 * Per-dossier links as the one-stop software asked for them (routes/dossier-links.ts): which token,
 * which desk, when, and the signals of the request. A link's response counts as verified only when
 * its link was asked for at a believable pace (counted by the stuffing guard in rate_counters, at
 * once on every app server), and that verdict is kept here with the link.
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
