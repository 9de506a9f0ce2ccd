/**
 * /admin/dossiers: dossier counts from the one-stop software, uploaded as CSV (issue 20). "Kiểm tra
 * tệp" reads the file and says what an import would write, or every problem with its line;
 * "Nhập số liệu" imports it whole or not at all (server/dossiers/import-counts.ts, the command the
 * command line and the API use too). The sample file holds the desks and fields the person may
 * import for, with its count cells blank: a template to fill in, which cannot be imported unchanged
 * as if it were today's real counts.
 */
import { type Request, type Response, Router } from 'express';
import { listDeskDetails } from '../../../db/queries/desks.ts';
import { deskKeys } from '../../../db/queries/dossier-counts.ts';
import { listFields, listUnits } from '../../../db/queries/units.ts';
import { staffOf } from '../../auth/middleware.ts';
import { authorize } from '../../auth/permissions.ts';
import { COLUMNS, countsOfBytes } from '../../dossiers/counts-file.ts';
import { importDossierCounts } from '../../dossiers/import-counts.ts';
import { BOM, csvLine, STANDARD_CSV } from '../../exports/csv.ts';
import { setFlash } from '../../middleware/flash.ts';
import { localeOf } from '../../middleware/locale.ts';
import { DOSSIER_UPLOAD_LIMIT_BYTES, uploadBody } from '../../middleware/staff-body.ts';
import { columnName, type DossierPageInput, presentDossierPage } from '../../presenters/admin/dossiers.ts';
import { formatCount, formatDay } from '../../presenters/format.ts';
import { localDay } from '../../../analytics/time.ts';
import type { RouteDeps } from '../deps.ts';
import { renderStaffPage } from './page.ts';
import { DossierUploadSchema } from './dossiers.schema.ts';

/**
 * multer hands the file's name on as latin1 (busboy's default), while browsers send it as UTF-8:
 * "tháng 11.csv" would reach the audit log and the page as "thÃ¡ng 11.csv". A name that is not
 * UTF-8 once re-read (or was already read as more than latin1) is kept as it came.
 */
export function utf8Name(name: string): string {
  if ([...name].some((ch) => ch.charCodeAt(0) > 0xff)) return name;
  const utf8 = Buffer.from(name, 'latin1').toString('utf8');
  return utf8.includes('\uFFFD') ? name : utf8;
}

export function adminDossierRoutes({ db, csrf, now }: RouteDeps): Router {
  const router = Router();

  function render(res: Response, extra: Partial<DossierPageInput>, status = 200): void {
    const { t, lang, langQuery } = localeOf(res);
    const staff = staffOf(res);
    renderStaffPage(res, 'pages/admin/dossiers', { title: t('dossiers.title'), section: 'dossiers', status }, presentDossierPage({
      t,
      lang,
      langQuery,
      manager: !authorize(staff, 'administerEverything'),
      uploadLimitBytes: DOSSIER_UPLOAD_LIMIT_BYTES,
      ...extra,
    }));
  }

  router.get('/admin/dossiers', (_req, res) => render(res, {}));

  router.get('/admin/dossiers/sample.csv', async (_req, res) => {
    const staff = staffOf(res);
    const { lang } = localeOf(res);
    const [units, fields, desks, details] = await Promise.all([listUnits(db), listFields(db), deskKeys(db), listDeskDetails(db, null)]);
    const fieldCode = new Map(fields.map((f) => [f.id, f.code]));
    const fieldsOf = new Map(details.map((d) => [d.id, d.fieldIds]));
    // Three desks the person may import for, each with a field it serves: a template to fill in. The
    // counts are left blank (a blank count is refused), so the template is never imported as it is.
    const mine = desks.filter((d) => authorize(staff, 'manageUnit', { unitId: d.unitId, units }) && (fieldsOf.get(d.id) ?? []).length > 0).slice(0, 3);
    const day = formatDay(localDay(now()));
    const lines = [csvLine(COLUMNS.map((c) => columnName(c, lang)), STANDARD_CSV)];
    mine.forEach((d) => {
      const field = fieldCode.get(fieldsOf.get(d.id)?.[0] ?? 0) ?? '';
      lines.push(csvLine([day, d.unitCode, d.code, field, lang === 'vi' ? 'trực tiếp' : 'in person', '', '', '', '', '', '', ''], STANDARD_CSV));
    });
    res
      .set('Content-Type', 'text/csv; charset=utf-8')
      .set('Content-Disposition', 'attachment; filename="sipas-dossier-counts-sample.csv"')
      .send(BOM + lines.join(''));
  });

  const tooLarge = (_req: Request, res: Response) => {
    res.set('Connection', 'close');
    render(res, { problems: [{ line: 1, code: 'too-large', limit: DOSSIER_UPLOAD_LIMIT_BYTES }] }, 413);
  };

  router.post('/admin/dossiers', uploadBody(csrf.guard, { tooLarge }), async (req, res) => {
    const { t, lang } = localeOf(res);
    const form = DossierUploadSchema.safeParse(req.body);
    const checkOnly = !form.success || form.data.intent !== 'import';
    const file = req.file;
    if (!file || file.size === 0) return render(res, { message: t('dossiers.nofile') }, 422);
    const fileName = utf8Name(file.originalname);
    const outcome = await importDossierCounts(db, { kind: 'staff', staff: staffOf(res) }, countsOfBytes(file.buffer), { via: 'upload', fileName }, now().toISOString(), { checkOnly });
    if (!outcome.ok) return outcome.status === 403 ? render(res, {}, 403) : render(res, { problems: outcome.problems, moreProblems: outcome.more, fileName }, 422);
    if (!outcome.written) return render(res, { checked: outcome.summary, fileName });
    const s = outcome.summary;
    setFlash(req, 'dossiers.done', { rows: formatCount(s.rows, lang), desks: formatCount(s.desks, lang), from: formatDay(s.from), to: formatDay(s.to), replaced: formatCount(s.replaced, lang) });
    res.redirect(303, `/admin/dossiers${localeOf(res).langQuery}`);
  });

  return router;
}
