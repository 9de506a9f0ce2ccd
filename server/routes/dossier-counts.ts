/**
 * PUT /api/v1/dossier-counts: the one-stop software pushes its dossier counts, e.g. every night
 * (issue 20). A JSON batch of up to 10,000 rows, each written over the row of the same day, unit,
 * desk, field and channel, so sending a batch twice leaves the table as sending it once. Whole or
 * nothing, through the same row rules and the same command as the upload page and the command line
 * (server/dossiers/: no day after today, on time + late = resolved, …); a problem is named by its
 * row (1 = the first) in the caller's language.
 * Authorised only by an API token with the `counts` permission, for the desks of units its account
 * manages; no session, so no CSRF to forge.
 *
 *   curl -X PUT -H "Authorization: Bearer $TOKEN" -H "Content-Type: application/json" \
 *        -d '{"rows":[{"day":"2026-12-04","unit":"16681","desk":"MC1","field":"dat-dai","channel":"online",
 *             "received":30,"resolved":28,"on_time":27,"late":1,"apologised":1,"backlog":0,"complaints":0}]}' \
 *        https://…/api/v1/dossier-counts
 *   200 {"rows": 1, "desks": 1, "from": "2026-12-04", "to": "2026-12-04", "replaced": 0}
 */
import express, { type ErrorRequestHandler, Router } from 'express';
import { bearerHolder, toStaff } from '../auth/middleware.ts';
import { checkRow, type CountsLine, type CountsProblem, DOSSIER_BATCH_MAX_ROWS, parseChannel, parseDay } from '../dossiers/counts-file.ts';
import { importDossierCounts } from '../dossiers/import-counts.ts';
import { localeOf } from '../middleware/locale.ts';
import { describeCountsProblem } from '../presenters/admin/dossiers.ts';
import type { RouteDeps } from './deps.ts';
import { dossierCountsSchema } from './dossier-counts.schema.ts';

/** 10,000 rows of about 200 bytes. */
const BODY_LIMIT = '4mb';

export function dossierCountRoutes({ db, now }: RouteDeps): Router {
  const router = Router();
  const path = '/api/v1/dossier-counts';

  router.put(path, express.json({ limit: BODY_LIMIT }), async (req, res) => {
    const { t, lang } = localeOf(res);
    res.set('Cache-Control', 'no-store');
    const holder = await bearerHolder(db, req, now());
    if (!holder) return res.status(401).set('WWW-Authenticate', 'Bearer').json({ error: 'Cần token / API token required' });
    if (!holder.permissions.includes('counts')) return res.status(403).json({ error: t('api.counts.error.token') });

    const parsed = dossierCountsSchema.safeParse(req.body ?? {});
    if (!parsed.success) return res.status(400).json({ error: t('api.counts.error.body') });
    if (parsed.data.rows.length > DOSSIER_BATCH_MAX_ROWS) {
      return res.status(413).json({ error: describeCountsProblem({ line: 0, code: 'too-many-rows', limit: DOSSIER_BATCH_MAX_ROWS }, t, lang) });
    }

    const lines: CountsLine[] = [];
    const problems: CountsProblem[] = [];
    for (const [i, row] of parsed.data.rows.entries()) {
      const line = i + 1;
      const day = parseDay(row.day);
      const channel = parseChannel(String(row.channel));
      if (day === null) problems.push({ line, code: 'day', value: row.day });
      if (channel === null) problems.push({ line, code: 'channel', value: String(row.channel) });
      const { day: _d, unit, desk, field, channel: _c, ...counts } = row;
      const checked = checkRow({ line, day: day ?? '', unit: unit.trim(), desk: desk.trim(), field: field.trim(), channel: channel ?? 'in_person', counts });
      problems.push(...checked.problems);
      if (day !== null && channel !== null && checked.line) lines.push(checked.line);
    }
    const outcome = await importDossierCounts(db, { kind: 'staff', staff: toStaff(holder.user) }, lines, { via: 'api' }, now().toISOString(), { found: problems });
    if (!outcome.ok) {
      if (outcome.status === 403) return res.status(403).json({ error: t('api.counts.error.token') });
      return res.status(422).json({
        error: t('api.counts.error.rows', { n: outcome.problems.length + (outcome.more ?? 0) }),
        problems: [...outcome.problems].sort((a, b) => a.line - b.line).map((p) => ({ row: p.line, message: describeCountsProblem(p, t, lang) })),
      });
    }
    const s = outcome.summary;
    res.json({ rows: s.rows, desks: s.desks, from: s.from, to: s.to, replaced: s.replaced });
  });

  // A body that is not JSON, or too large: the same answer as a JSON body of the wrong shape.
  const badJson: ErrorRequestHandler = (error: { type?: string }, _req, res, next) => {
    if (error.type === 'entity.parse.failed') res.status(400).json({ error: localeOf(res).t('api.counts.error.body') });
    else if (error.type === 'entity.too.large') res.status(413).json({ error: localeOf(res).t('api.counts.error.body') });
    else next(error);
  };
  router.use(path, badJson);
  return router;
}
