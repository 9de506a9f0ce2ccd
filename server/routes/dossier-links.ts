/**
 * POST /api/v1/dossier-links: the one-stop software asks for a personal survey link for a dossier
 * and prints it as a QR code on the receipt (phiếu hẹn trả kết quả). The link names the desk and a
 * keyed hash of the dossier code (never the code), is signed, lasts DOSSIER_LINK_DAYS and can be
 * answered once; its responses are marked verified, unless the token asked for links at one desk faster
 * than dossiers are received there (LINKS_PER_WINDOW, LINKS_PER_DAY): those responses wait for review. Authorised only by an API token with the
 * `links` permission whose account may see the desk's unit; no session, so no CSRF to forge.
 *
 *   curl -H "Authorization: Bearer $TOKEN" -H "Content-Type: application/json" \
 *        -d '{"desk_id": 12, "dossier": "000.00.12.H40-250101-0001"}' https://…/api/v1/dossier-links
 *   201 {"url": "https://…/d/…", "expires_at": "2025-07-15T03:00:00.000Z", "desk_id": 12}
 */
import express, { type ErrorRequestHandler, Router } from 'express';
import { recordIssuedLink } from '../../db/queries/dossier-links.ts';
import { listUnits } from '../../db/queries/units.ts';
import { bearerHolder, toStaff } from '../auth/middleware.ts';
import { authorize } from '../auth/permissions.ts';
import { localeOf } from '../middleware/locale.ts';
import { DOSSIER_LINK_DAYS, dossierHash, dossierNonce, normalizeDossier } from '../survey/dossier.ts';
import { signDossierLink } from '../tokens/tokens.ts';
import type { RouteDeps } from './deps.ts';
import { dossierLinkSchema } from './dossier-links.schema.ts';

/** Links one token may ask for at one desk within LINK_WINDOW_MS before they are flagged: a desk's peak of dossiers received. */
export const LINKS_PER_WINDOW = 20;
export const LINK_WINDOW_MS = 10 * 60_000;
/** Links one token may ask for at one desk within a day: above a busy desk's 200 dossiers. */
export const LINKS_PER_DAY = 300;
const LINK_DAY_MS = 86_400_000;

export function dossierLinkRoutes({ db, secret, config, now, desks, guard }: RouteDeps): Router {
  const router = Router();
  const path = '/api/v1/dossier-links';

  router.post(path, express.json({ limit: '4kb' }), async (req, res) => {
    const { t } = localeOf(res);
    res.set('Cache-Control', 'no-store');
    const holder = await bearerHolder(db, req, now());
    if (!holder) return res.status(401).set('WWW-Authenticate', 'Bearer').json({ error: 'Cần token / API token required' });
    if (!holder.permissions.includes('links')) return res.status(403).json({ error: t('api.links.error.token') });

    const parsed = dossierLinkSchema.safeParse(req.body ?? {});
    if (!parsed.success) return res.status(400).json({ error: t('api.links.error.body') });
    const body = parsed.data;
    const code = normalizeDossier(body.dossier);
    if (code === null) return res.status(400).json({ error: t('api.links.error.dossier') });
    const survey = await desks.get(body.desk_id);
    // A desk of another unit is reported like a missing one: the token learns nothing it may not see.
    if (!survey || !authorize(toStaff(holder.user), 'seeUnit', { unitId: survey.unit.id, units: await listUnits(db) })) {
      return res.status(404).json({ error: t('api.links.error.desk', { desk: body.desk_id }) });
    }

    const hash = dossierHash(secret, code);
    const at = now();
    const issuedAt = Math.floor(at.getTime() / 1000);
    const nonce = dossierNonce(secret, hash);
    // A desk receives a dossier every few minutes: links asked for faster, or more in a day than a busy
    // desk receives, are made all the same (the software is not refused) but their responses wait for review.
    const [paced = 0, daily = 0] = await guard.linksAsked(holder.tokenId, survey.desk.id, [LINK_WINDOW_MS, LINK_DAY_MS]);
    const flags = paced > LINKS_PER_WINDOW || daily > LINKS_PER_DAY ? 'link-rate' : '';
    await recordIssuedLink(db, { nonce, deskId: survey.desk.id, tokenId: holder.tokenId, issuedAt: at.toISOString(), flags });
    const token = signDossierLink(secret, { deskId: survey.desk.id, issuedAt, nonce, dossier: hash });
    res.status(201).json({
      url: `${config.baseUrl}/d/${token}`,
      expires_at: new Date((issuedAt + DOSSIER_LINK_DAYS * 86_400) * 1000).toISOString(),
      desk_id: survey.desk.id,
    });
  });

  // A body that is not JSON: the same answer as a JSON body of the wrong shape.
  const badJson: ErrorRequestHandler = (error: { type?: string }, _req, res, next) => {
    if (error.type === 'entity.parse.failed' || error.type === 'entity.too.large') res.status(400).json({ error: localeOf(res).t('api.links.error.body') });
    else next(error);
  };
  router.use(path, badJson);
  return router;
}
