/**
 * Downloads for staff: /export/responses.csv, /export/indicators.csv, /export/questions.csv and
 * /export/dossiers.csv (the imported dossier counts, issue 20), each also as .xlsx (issue 21), with the
 * dashboard's filters and scope (session or Bearer token). The files are streamed: see server/exports/.
 */
import { type RequestHandler, type Response, Router } from 'express';
import { localDay } from '../../analytics/time.ts';
import { audit } from '../../db/queries/audit.ts';
import { staffOf } from '../auth/middleware.ts';
import { csvFormat, STANDARD_CSV } from '../exports/csv.ts';
import { writeDossiersCsv, writeDossiersXlsx } from '../exports/dossiers-csv.ts';
import { type ExportFile, exportFileName } from '../exports/file-name.ts';
import { writeIndicatorsCsv, writeIndicatorsXlsx } from '../exports/indicators-csv.ts';
import { writeQuestionsCsv, writeQuestionsXlsx } from '../exports/questions.ts';
import { writeResponsesCsv, writeResponsesXlsx } from '../exports/responses.ts';
import { XLSX_TYPE } from '../exports/xlsx.ts';
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

function startFile(res: Response, fileName: string): void {
  res
    .status(200)
    .set({
      'Content-Type': fileName.endsWith('.xlsx') ? XLSX_TYPE : 'text/csv; charset=utf-8',
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

  /** Which file a request asks for: the workbook, the people's CSV (format=vn) or the standard CSV. */
  const fileOf = (xlsx: boolean, format: unknown): ExportFile => (xlsx ? 'xlsx' : csvFormat(format) === STANDARD_CSV ? 'csv' : 'excel-vn');

  for (const xlsx of [false, true]) {
    const ext = xlsx ? 'xlsx' : 'csv';

    router.get(`/export/responses.${ext}`, requireStaffDownload, async (req, res) => {
      const staff = staffOf(res);
      const resolved = await resolveReportRequest(db, req.query, { kind: 'staff', staff }, localDay(now()));
      if (!resolved.ok) return renderRefusal(res, resolved);
      const fileName = exportFileName('responses', resolved.request, fileOf(xlsx, req.query.format));
      if (!takeSlot(res)) return;
      // Raw responses carry citizens' comments: who took which file is on record.
      await audit(db, { at: now().toISOString(), userId: staff.id, action: 'export.responses', subject: fileName });
      startFile(res, fileName);
      const lang = localeOf(res).lang;
      if (xlsx) await writeResponsesXlsx(db, resolved.request, sinkOf(res), { lang });
      else await writeResponsesCsv(db, resolved.request, sinkOf(res), { format: csvFormat(req.query.format), lang });
      res.end();
    });

    router.get(`/export/indicators.${ext}`, requireStaffDownload, async (req, res) => {
      const group = typeof req.query.group === 'string' && req.query.group !== '' ? req.query.group : 'field';
      if (!EXPORT_GROUPS.includes(group as ExportGroup)) {
        return renderError(res, 400, 'error.400.title', 'reports.export.group', { group, groups: EXPORT_GROUPS.join(', ') });
      }
      const resolved = await resolveReportRequest(db, req.query, { kind: 'staff', staff: staffOf(res) }, localDay(now()));
      if (!resolved.ok) return renderRefusal(res, resolved);
      const { lang, t } = localeOf(res);
      if (!takeSlot(res)) return;
      startFile(res, exportFileName(`indicators-${group}`, resolved.request, fileOf(xlsx, req.query.format)));
      const opts = { lang, t, minN: config.minResponses };
      if (xlsx) await writeIndicatorsXlsx(db, resolved.request, group as ExportGroup, sinkOf(res), opts);
      else await writeIndicatorsCsv(db, resolved.request, group as ExportGroup, sinkOf(res), { ...opts, format: csvFormat(req.query.format) });
      res.end();
    });

    router.get(`/export/questions.${ext}`, requireStaffDownload, async (req, res) => {
      const resolved = await resolveReportRequest(db, req.query, { kind: 'staff', staff: staffOf(res) }, localDay(now()));
      if (!resolved.ok) return renderRefusal(res, resolved);
      if (!takeSlot(res)) return;
      startFile(res, exportFileName('questions', resolved.request, fileOf(xlsx, req.query.format)));
      const lang = localeOf(res).lang;
      if (xlsx) await writeQuestionsXlsx(db, resolved.request, sinkOf(res), { lang });
      else await writeQuestionsCsv(db, resolved.request, sinkOf(res), { format: csvFormat(req.query.format), lang });
      res.end();
    });

    // The imported counts of the report's days and scope, as the import reads them. Counts of dossiers carry
    // nobody's words or identity, so, like indicators.csv and questions.csv, the download is not audited.
    router.get(`/export/dossiers.${ext}`, requireStaffDownload, async (req, res) => {
      const resolved = await resolveReportRequest(db, req.query, { kind: 'staff', staff: staffOf(res) }, localDay(now()));
      if (!resolved.ok) return renderRefusal(res, resolved);
      if (!takeSlot(res)) return;
      startFile(res, exportFileName('dossiers', resolved.request, fileOf(xlsx, req.query.format)));
      const lang = localeOf(res).lang;
      if (xlsx) await writeDossiersXlsx(db, resolved.request, sinkOf(res), { lang });
      else await writeDossiersCsv(db, resolved.request, sinkOf(res), { format: csvFormat(req.query.format) });
      res.end();
    });
  }

  return router;
}
