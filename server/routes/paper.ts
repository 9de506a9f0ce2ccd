/**
 * /paper: staff type in the paper SIPAS forms of a desk, keyboard first: a digit per question
 * (1-5, 0 for "no opinion"), Enter to save and start the next form, a running count for the batch.
 * Each form's own number is kept so one form cannot be entered twice; the day written on the form
 * is the day it counts for. Stored through the same validation and write as the QR form, with
 * channel `paper` and the person who typed it (on the response and in the audit log). A form that
 * trips a paper signal (survey/paper-signals.ts: many in an hour, dated late, a stamp) is stored as
 * `suspect`, never refused, and counted once someone other than its typist keeps it.
 */
import { type Request, type Response, Router } from 'express';
import { localDay } from '../../analytics/time.ts';
import { audit } from '../../db/queries/audit.ts';
import { type DeskSurvey, findDeskSurvey, listDeskDetails } from '../../db/queries/desks.ts';
import { paperHistory } from '../../db/queries/paper.ts';
import { listUnits } from '../../db/queries/units.ts';
import type { Unit } from '../../db/schema.ts';
import { staffOf } from '../auth/middleware.ts';
import { authorize, managedUnitIds } from '../auth/permissions.ts';
import type { Staff } from '../auth/scope.ts';
import { localeOf } from '../middleware/locale.ts';
import { formatDay, parsePersonDay } from '../presenters/format.ts';
import { presentPaperForm } from '../presenters/paper.ts';
import { renderError } from '../middleware/render.ts';
import { PAPER_SAME_RUN, PAPER_WINDOW_MS, paperSignalsOf } from '../survey/paper-signals.ts';
import { prepareSubmission, recordSubmission } from '../survey/record.ts';
import type { FieldError, RawForm } from '../survey/validate.ts';
import type { RouteDeps } from './deps.ts';
import { bodyOf, type FormErrors, positiveId, text } from './admin/forms.ts';
import { renderStaffPage } from './admin/page.ts';

/** The number printed or written on a paper form: letters, digits and the usual separators. */
const PAPER_NUMBER_PATTERN = /^[A-Za-z0-9][A-Za-z0-9/._-]{0,29}$/;
/** Forms older than this are not typed in any more (the reporting year is long closed). */
const OLDEST_DAY = '2020-01-01';
/** Fields of the entry page that are not answers. */
const ENTRY_FIELDS = new Set(['_csrf', 'desk', 'day', 'count', 'paper_number']);

export function paperRoutes({ db, now, submissions, guard }: RouteDeps): Router {
  const router = Router();
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
    renderStaffPage(res, 'pages/paper/start', { title: t('paper.title'), section: 'paper', status }, {
      desk: {
        name: 'desk',
        type: 'select',
        label: t('paper.desk'),
        required: true,
        error: errors.desk,
        options: desks
          .map((d) => ({ value: String(d.id), label: `${unitName.get(d.unitId) ?? ''} · ${d.name}`, selected: String(d.id) === deskParam }))
          .sort((a, b) => a.label.localeCompare(b.label, 'vi')),
      },
      day: { name: 'day', label: t('paper.day'), hint: t('paper.day.hint'), value: dayParam || formatDay(localDay(now())), error: errors.day, required: true, inputmode: 'numeric', maxlength: 10 },
      none: desks.length === 0,
    });
  }

  router.get('/paper', (req, res) => {
    const query = req.query as Record<string, unknown>;
    return renderStart(req, res, text(query, 'desk'), text(query, 'day'), {});
  });

  /** The desk and day of an entry batch, checked: the person may enter for it, the day is a real past day. */
  async function batchOf(req: Request, res: Response, source: Record<string, unknown>): Promise<{ survey: DeskSurvey; day: string; count: number } | null> {
    const { t } = localeOf(res);
    const deskId = positiveId(text(source, 'desk'));
    const survey = deskId === null ? undefined : await findDeskSurvey(db, deskId);
    if (!survey) {
      renderError(res, 404);
      return null;
    }
    if (!authorize(staffOf(res), 'enterPaper', { unitId: survey.unit.id, units: await listUnits(db) })) {
      renderError(res, 403);
      return null;
    }
    const day = parsePersonDay(text(source, 'day'));
    if (day === null || day > localDay(now()) || day < OLDEST_DAY) {
      await renderStart(req, res, String(deskId), text(source, 'day'), { day: t('paper.error.day', { today: formatDay(localDay(now())) }) }, 422);
      return null;
    }
    const count = Math.max(0, Number(text(source, 'count')) || 0);
    return { survey, day, count };
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
    const query = req.query as Record<string, unknown>;
    const batch = await batchOf(req, res, query);
    if (!batch) return;
    const saved = text(query, 'saved');
    // review=1: the form just saved waits for someone else's review (said calmly, nothing to do).
    renderEntry(req, res, batch, { saved: saved === '' ? null : saved, held: saved !== '' && text(query, 'review') === '1' });
  });

  router.post('/paper/entry', async (req, res) => {
    const body = bodyOf(req);
    const batch = await batchOf(req, res, body);
    if (!batch) return;
    const { t, lang } = localeOf(res);
    const staff = staffOf(res);
    const paperNumber = text(body, 'paper_number');
    // The answers, named by question keys as on the citizen's form; an empty box is an unanswered question.
    const form: RawForm = {};
    for (const [key, value] of Object.entries(body)) {
      if (ENTRY_FIELDS.has(key)) continue;
      if (typeof value === 'string' && value.trim() === '') continue;
      form[key] = typeof value === 'string' ? value.trim() : (value as string[]);
    }
    const numberError = PAPER_NUMBER_PATTERN.test(paperNumber) ? null : t('paper.error.number');
    const at = now();
    const prepared = prepareSubmission(batch.survey, form, {
      channel: 'paper',
      nonce: `paper:${batch.survey.desk.id}:${paperNumber.toUpperCase()}`,
      submittedAt: at,
      localDay: batch.day,
      lang: 'vi',
      status: 'ok',
      secondsTaken: null,
      enteredBy: staff.id,
    });
    if (prepared.kind === 'malformed') return renderError(res, 400);
    if (prepared.kind === 'invalid' || numberError) {
      const kept = prepared.kind === 'invalid' ? prepared.kept : new Map(Object.entries(form).map(([k, v]) => [k, [v ?? ''].flat()]));
      const errors = prepared.kind === 'invalid' ? prepared.errors : new Map<string, FieldError>();
      return renderEntry(req, res, batch, { kept, errors, paperNumber, numberError }, 422);
    }
    const history = await paperHistory(db, {
      userId: staff.id,
      deskId: batch.survey.desk.id,
      since: new Date(at.getTime() - PAPER_WINDOW_MS).toISOString(),
      previous: PAPER_SAME_RUN,
    });
    // Counted in the database before the form is stored, so that forms posted all at once, to any app server, count one by one.
    const typedInWindow = await guard.paperTyped(staff.id, PAPER_WINDOW_MS);
    const signals = paperSignalsOf({ typedInWindow, day: batch.day, today: localDay(at), answers: prepared.input, previous: history.previous });
    const input = signals.length === 0 ? prepared.input : { ...prepared.input, status: 'suspect' as const, flags: signals.join(',') };
    const result = await recordSubmission(submissions, input);
    if (result.kind !== 'stored') {
      // The same paper form number was typed in before: nothing is stored a second time.
      const kept = new Map(Object.entries(form).map(([k, v]) => [k, [v ?? ''].flat()]));
      return renderEntry(req, res, batch, { kept, paperNumber, numberError: t('paper.error.duplicate', { number: paperNumber }) }, 409);
    }
    await audit(db, {
      at: at.toISOString(),
      userId: staff.id,
      action: 'paper.enter',
      subject: result.publicId,
      detail: `desk ${batch.survey.desk.id} form ${paperNumber} day ${batch.day}${signals.length > 0 ? ` flagged ${signals.join(',')}` : ''}`,
    });
    const next = new URLSearchParams({ desk: String(batch.survey.desk.id), day: formatDay(batch.day), count: String(batch.count + 1), saved: paperNumber });
    if (signals.length > 0) next.set('review', '1');
    if (lang === 'en') next.set('lang', 'en');
    res.redirect(303, `/paper/entry?${next.toString()}`);
  });

  return router;
}
