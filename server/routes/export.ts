/**
 * CSV downloads for staff: /export/responses.csv, /export/indicators.csv, /export/questions.csv and
 * /export/dossiers.csv (the imported dossier counts, issue 20), with the dashboard's filters and scope
 * (session or Bearer token). The files are streamed: see server/exports/.
 */
import { type RequestHandler, type Response, Router } from 'express';
import { localDay } from '../../analytics/time.ts';
import { audit } from '../../db/queries/audit.ts';
import { staffOf } from '../auth/middleware.ts';
import { csvFormat } from '../exports/csv.ts';
import { writeDossiersCsv } from '../exports/dossiers-csv.ts';
import { exportFileName } from '../exports/file-name.ts';
import { writeIndicatorsCsv } from '../exports/indicators-csv.ts';
import { writeQuestionsCsv } from '../exports/questions.ts';
import { writeResponsesCsv } from '../exports/responses.ts';
import { writableSink } from '../exports/sink.ts';
import { localeOf } from '../middleware/locale.ts';
import { renderError, renderRefusal } from '../middleware/render.ts';
import { EXPORT_GROUPS, type ExportGroup } from '../figures/groups.ts';
import { resolveReportRequest } from '../figures/request.ts';
import type { RouteDeps } from './deps.ts';

/** A browser without a session signs in and comes back to the download; a script with a bad token gets 401. */
const requireStaffDownload: RequestHandler = (req, res, next) => {
  if (res.locals.staff) {
    next();
    return;
  }
  if (req.get('authorization')) {
    res.status(401).set('WWW-Authenticate', 'Bearer').type('text/plain').send('Cần đăng nhập hoặc token / authentication required');
    return;
  }
  res.redirect(303, `/login?next=${encodeURIComponent(req.originalUrl)}`);
};

function startCsv(res: Response, fileName: string): void {
  res
    .status(200)
    .set({
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="${fileName}"`,
    });
}

/** A download whose reader takes nothing for this long is ended (sink.ts). */
export const EXPORT_STALL_MS = 30_000;

/**
 * At most this many CSV files are written at once by one app server, a quarter of its database
 * connections (2 of the default 10): the rest stay for citizens and the dashboard, however many
 * downloads are started. One more gets a 503 with Retry-After.
 */
export const exportSlotsFor = (poolMax: number) => Math.max(1, Math.floor(poolMax / 4));

export function exportRoutes({ db, now, config }: RouteDeps): Router {
  const router = Router();
  const slots = exportSlotsFor(config.database.poolMax);
  let writing = 0;

  /** Takes a slot for the download, released when the response is over however it ends; false when none is free. */
  function takeSlot(res: Response): boolean {
    if (writing >= slots) {
      res.set('Retry-After', '30');
      renderError(res, 503, 'export.busy.title', 'export.busy.body', { n: slots });
      return false;
    }
    writing++;
    res.once('close', () => writing--);
    return true;
  }
  const sinkOf = (res: Response) => writableSink(res, { stallMs: EXPORT_STALL_MS });

  router.get('/export/responses.csv', requireStaffDownload, async (req, res) => {
    const staff = staffOf(res);
    const resolved = await resolveReportRequest(db, req.query, { kind: 'staff', staff }, localDay(now()));
    if (!resolved.ok) return renderRefusal(res, resolved);
    const fileName = exportFileName('responses', resolved.request);
    if (!takeSlot(res)) return;
    // Raw responses carry citizens' comments: who took which file is on record.
    await audit(db, { at: now().toISOString(), userId: staff.id, action: 'export.responses', subject: fileName });
    startCsv(res, fileName);
    await writeResponsesCsv(db, resolved.request, sinkOf(res), { format: csvFormat(req.query.format), lang: localeOf(res).lang });
    res.end();
  });

  router.get('/export/indicators.csv', requireStaffDownload, async (req, res) => {
    const group = typeof req.query.group === 'string' && req.query.group !== '' ? req.query.group : 'field';
    if (!EXPORT_GROUPS.includes(group as ExportGroup)) {
      return renderError(res, 400, 'error.400.title', 'reports.export.group', { group, groups: EXPORT_GROUPS.join(', ') });
    }
    const resolved = await resolveReportRequest(db, req.query, { kind: 'staff', staff: staffOf(res) }, localDay(now()));
    if (!resolved.ok) return renderRefusal(res, resolved);
    const { lang, t } = localeOf(res);
    if (!takeSlot(res)) return;
    startCsv(res, exportFileName(`indicators-${group}`, resolved.request));
    await writeIndicatorsCsv(db, resolved.request, group as ExportGroup, sinkOf(res), {
      format: csvFormat(req.query.format),
      lang,
      t,
      minN: config.minResponses,
    });
    res.end();
  });

  router.get('/export/questions.csv', requireStaffDownload, async (req, res) => {
    const resolved = await resolveReportRequest(db, req.query, { kind: 'staff', staff: staffOf(res) }, localDay(now()));
    if (!resolved.ok) return renderRefusal(res, resolved);
    if (!takeSlot(res)) return;
    startCsv(res, exportFileName('questions', resolved.request));
    await writeQuestionsCsv(db, resolved.request, sinkOf(res), { format: csvFormat(req.query.format), lang: localeOf(res).lang });
    res.end();
  });

  // The imported counts of the report's days and scope, as the import reads them. Counts of dossiers carry
  // nobody's words or identity, so, like indicators.csv and questions.csv, the download is not audited.
  router.get('/export/dossiers.csv', requireStaffDownload, async (req, res) => {
    const resolved = await resolveReportRequest(db, req.query, { kind: 'staff', staff: staffOf(res) }, localDay(now()));
    if (!resolved.ok) return renderRefusal(res, resolved);
    if (!takeSlot(res)) return;
    startCsv(res, exportFileName('dossiers', resolved.request));
    await writeDossiersCsv(db, resolved.request, sinkOf(res), { format: csvFormat(req.query.format) });
    res.end();
  });

  return router;
}
