/**
 * /paper: staff type in the paper SIPAS forms of a desk, keyboard first: a digit per question
 * (1-5, 0 for "no opinion"), Enter to save and start the next form, a running count for the batch.
 * Each form's own number is kept so one form cannot be entered twice; the day written on the form
 * is the day it counts for. Stored through the same validation and write as the QR form, with
 * channel `paper` and the person who typed it (on the response and in the audit log). A form that
 * trips a paper signal (survey/paper-signals.ts: many in an hour, dated late, a stamp) is stored as
 * `suspect`, never refused, and counted once someone other than its typist keeps it.
 * The desk is always chosen by the person (issue 21): none is chosen on a first visit, and the desk
 * they last typed a form in for (db/queries/paper-last-desk.ts) is chosen on the next.
 */
import { type Request, type Response, Router } from 'express';
import { localDay } from '../../analytics/time.ts';
import { type DeskSurvey, listDeskDetails } from '../../db/queries/desks.ts';
import { lastPaperDesk } from '../../db/queries/paper-last-desk.ts';
import { listUnits } from '../../db/queries/units.ts';
import type { Unit } from '../../db/schema.ts';
import { staffOf } from '../auth/middleware.ts';
import { authorize, managedUnitIds } from '../auth/permissions.ts';
import type { Staff } from '../auth/scope.ts';
import { localeOf } from '../middleware/locale.ts';
import { formatDay } from '../presenters/format.ts';
import { presentPaperForm } from '../presenters/paper.ts';
import { renderError } from '../middleware/render.ts';
import { type BatchOutcome, enterPaperForm, paperBatch } from '../survey/enter-paper-form.ts';
import type { FieldError } from '../survey/validate.ts';
import type { RouteDeps } from './deps.ts';
import type { FormErrors } from './form-schema.ts';
import { renderStaffPage } from './admin/page.ts';
import { paperEntrySchema, paperQuerySchema } from './paper.schema.ts';

export function paperRoutes({ db, now, submissions, guard }: RouteDeps): Router {
  const router = Router();
  const writes = { db, now, submissions, guard };
  // Who may open /paper at all is the section table's (sections.ts); for which desks, authorize's.

  /** Desks the person may type forms in for, active ones only. */
  async function enterableDesks(staff: Staff, units: Unit[]) {
    const unitIds = staff.role === 'viewer' ? (staff.unitId === null ? [] : [staff.unitId]) : managedUnitIds(staff, units);
    return (await listDeskDetails(db, unitIds)).filter((d) => d.active && authorize(staff, 'enterPaper', { unitId: d.unitId, units }));
  }

  async function renderStart(req: Request, res: Response, deskParam: string, dayParam: string, errors: FormErrors, status = 200): Promise<void> {
    const staff = staffOf(res);
    const { t } = localeOf(res);
    const units = await listUnits(db);
    const unitName = new Map(units.map((u) => [u.id, u.name]));
    const desks = await enterableDesks(staff, units);
    // The desk asked for (the entry page's "change" link, a refused start), else the one this account last typed forms in for, else none.
    const chosen = deskParam !== '' ? deskParam : String((await lastPaperDesk(db, staff.id)) ?? '');
    renderStaffPage(res, 'pages/paper/start', { title: t('paper.title'), section: 'paper', status }, {
      desk: {
        name: 'desk',
        type: 'select',
        label: t('paper.desk'),
        required: true,
        error: errors.desk,
        options: [
          { value: '', label: t('paper.desk.choose'), selected: !desks.some((d) => String(d.id) === chosen) },
          ...desks
            .map((d) => ({ value: String(d.id), label: `${unitName.get(d.unitId) ?? ''} · ${d.name}`, selected: String(d.id) === chosen }))
            .sort((a, b) => a.label.localeCompare(b.label, 'vi')),
        ],
      },
      day: { name: 'day', label: t('paper.day'), hint: t('paper.day.hint'), value: dayParam || formatDay(localDay(now())), error: errors.day, required: true, inputmode: 'numeric', maxlength: 10 },
      none: desks.length === 0,
    });
  }

  router.get('/paper', (req, res) => {
    const query = paperQuerySchema.parse(req.query);
    return renderStart(req, res, query.desk === null ? '' : String(query.desk), query.day, {});
  });

  /** A batch refused (paperBatch): 404, 403, or the start page again with what is wrong with the day. */
  async function refuse(req: Request, res: Response, refused: Exclude<BatchOutcome, { kind: 'batch' }>, dayTyped: string): Promise<void> {
    if (refused.kind === 'notFound') return renderError(res, 404);
    if (refused.kind === 'forbidden') return renderError(res, 403);
    const today = formatDay(localDay(now()));
    await renderStart(req, res, String(refused.deskId), dayTyped, { day: localeOf(res).t('paper.error.day', { today }) }, 422);
  }

  function renderEntry(
    req: Request,
    res: Response,
    batch: { survey: DeskSurvey; day: string; count: number },
    state: { kept?: Map<string, string[]>; errors?: Map<string, FieldError>; paperNumber?: string; numberError?: string | null; saved?: string | null; held?: boolean },
    status = 200,
  ): void {
    const { lang, t } = localeOf(res);
    const view = presentPaperForm({
      survey: batch.survey,
      day: batch.day,
      count: batch.count,
      lang,
      t,
      kept: state.kept ?? new Map<string, string[]>(),
      errors: state.errors ?? new Map<string, FieldError>(),
      paperNumber: state.paperNumber ?? '',
      numberError: state.numberError ?? null,
      saved: state.saved ?? null,
      held: state.held ?? false,
    });
    renderStaffPage(res, 'pages/paper/entry', { title: t('paper.entry.title'), section: 'paper', status }, view);
  }

  router.get('/paper/entry', async (req, res) => {
    const query = paperQuerySchema.parse(req.query);
    // No desk chosen (the start page's first line): asked again, beside the desk.
    if (query.desk === null) return renderStart(req, res, '', query.day, { desk: localeOf(res).t('paper.error.desk') }, 422);
    const batch = await paperBatch(writes, staffOf(res), { deskId: query.desk, day: query.day });
    if (batch.kind !== 'batch') return refuse(req, res, batch, query.day);
    const { saved } = query;
    // review=1: the form just saved waits for someone else's review (said calmly, nothing to do).
    renderEntry(req, res, { ...batch, count: query.count }, { saved: saved === '' ? null : saved, held: saved !== '' && query.review === '1' });
  });

  router.post('/paper/entry', async (req, res) => {
    const parsed = paperEntrySchema.safeParse(req.body ?? {});
    if (!parsed.success) return renderError(res, 400);
    const { count, ...form } = parsed.data;
    const { t, lang } = localeOf(res);
    const outcome = await enterPaperForm(writes, staffOf(res), form);
    const { paperNumber } = form;
    switch (outcome.kind) {
      case 'notFound':
      case 'forbidden':
      case 'badDay':
        return refuse(req, res, outcome, form.day);
      case 'malformed':
        return renderError(res, 400);
      case 'invalid':
        return renderEntry(req, res, { ...outcome, count }, { kept: outcome.kept, errors: outcome.errors, paperNumber, numberError: outcome.numberInvalid ? t('paper.error.number') : null }, 422);
      case 'duplicate':
        return renderEntry(req, res, { ...outcome, count }, { kept: outcome.kept, paperNumber, numberError: t('paper.error.duplicate', { number: paperNumber }) }, 409);
      case 'saved': {
        const next = new URLSearchParams({ desk: String(outcome.survey.desk.id), day: formatDay(outcome.day), count: String(count + 1), saved: paperNumber });
        if (outcome.flagged) next.set('review', '1');
        if (lang === 'en') next.set('lang', 'en');
        return res.redirect(303, `/paper/entry?${next.toString()}`);
      }
    }
  });

  return router;
}
