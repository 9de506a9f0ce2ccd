/**
 * /dashboard/comments: every comment of the dashboard's filters, newest first, twenty a page,
 * narrowed by the overall rating given; and hiding or showing one, which answers with a 303 back to
 * the same comment on the same page and a confirmation with an undo button.
 */
import { Router } from 'express';
import { localDay } from '../../analytics/time.ts';
import { audit } from '../../db/queries/audit.ts';
import { commentPage, commentUnit, setCommentHidden } from '../../db/queries/comments.ts';
import { listUnits } from '../../db/queries/units.ts';
import { staffOf } from '../auth/middleware.ts';
import { type FlashView, setFlash } from '../middleware/flash.ts';
import { authorize } from '../auth/permissions.ts';
import { localeOf } from '../middleware/locale.ts';
import { COMMENTS_PER_PAGE, type ModerationNotice, pageCount, presentCommentsPage } from '../presenters/comment-list.ts';
import { UNIT_SEARCH_PARAM, unitSearchOf } from '../presenters/unit-picker.ts';
import { renderError, renderRefusal } from '../middleware/render.ts';
import { filtersQuery } from '../figures/filters.ts';
import { resolveReportRequest } from '../figures/request.ts';
import type { RouteDeps } from './deps.ts';

/** Flash messages this page turns into a confirmation beside the comment (server/middleware/flash.ts carries them; the staff frame takes them). */
const NOTICES = { 'comments.done.hide': 'hide', 'comments.done.unhide': 'unhide' } as const;

function noticeOf(flash: FlashView | null): ModerationNotice | null {
  const action = flash ? NOTICES[flash.message as keyof typeof NOTICES] : undefined;
  if (!flash || !action) return null;
  const commentId = Number(flash.params?.comment);
  return Number.isSafeInteger(commentId) ? { commentId, action } : null;
}

/** '' or a whole number in [min, max]; anything else is a mistake to report. */
function wholeNumber(value: unknown, min: number, max: number): number | null | 'bad' {
  if (value === undefined || value === '') return null;
  if (typeof value !== 'string' || !/^\d{1,6}$/.test(value.trim())) return 'bad';
  const n = Number(value.trim());
  return n >= min && n <= max ? n : 'bad';
}

/** Only back to a comments page of this site: never anywhere a crafted form could send a person. */
function commentsPath(value: unknown): string {
  return typeof value === 'string' && /^\/dashboard\/comments(\?[^#\s]*)?$/.test(value) ? value : '/dashboard/comments';
}

export function commentRoutes({ db, now }: RouteDeps): Router {
  const router = Router();

  router.get('/dashboard/comments', async (req, res) => {
    const staff = staffOf(res);
    const { lang, t } = localeOf(res);
    const overall = wholeNumber(req.query.rating, 1, 5);
    if (overall === 'bad') return renderError(res, 400, 'error.400.title', 'comments.error.rating');
    const asked = wholeNumber(req.query.page, 1, 999_999);
    if (asked === 'bad') return renderError(res, 400, 'error.400.title', 'comments.error.page');
    const resolved = await resolveReportRequest(db, req.query, { kind: 'staff', staff }, localDay(now()));
    if (!resolved.ok) return renderRefusal(res, resolved);
    const { ctx, filters, filter, allowedUnits, includeHiddenComments, today } = resolved.request;
    const query = { includeHidden: includeHiddenComments, overall, limit: COMMENTS_PER_PAGE };
    let page = asked ?? 1;
    let result = await commentPage(db, filter, { ...query, offset: (page - 1) * COMMENTS_PER_PAGE });
    // A page past the end (the list got shorter since the link was made) shows the last one.
    if (result.rows.length === 0 && page > pageCount(result.total)) {
      page = pageCount(result.total);
      result = await commentPage(db, filter, { ...query, offset: (page - 1) * COMMENTS_PER_PAGE });
    }
    const view = presentCommentsPage({
      rows: result.rows,
      total: result.total,
      page,
      overall,
      filters,
      ctx,
      staff,
      allowedUnits,
      unitSearch: unitSearchOf(req.query[UNIT_SEARCH_PARAM]),
      query: filtersQuery(filters, ctx, lang).toString(),
      notice: noticeOf(res.locals.flash),
      lang,
      t,
      today,
    });
    res.render('pages/staff/comments', { view });
  });

  router.post('/dashboard/comments/:id/:action', async (req, res) => {
    const staff = staffOf(res);
    const action = req.params.action;
    const id = Number(req.params.id);
    if ((action !== 'hide' && action !== 'unhide') || !Number.isSafeInteger(id)) return renderError(res, 404);
    if (!authorize(staff, 'moderate')) return renderError(res, 403);
    const unitId = await commentUnit(db, id);
    if (unitId === undefined) return renderError(res, 404);
    if (!authorize(staff, 'seeUnit', { unitId, units: await listUnits(db) })) return renderError(res, 403);
    await setCommentHidden(db, id, action === 'hide');
    await audit(db, { at: now().toISOString(), userId: staff.id, action: `comment.${action}`, subject: String(id) });
    setFlash(req, action === 'hide' ? 'comments.done.hide' : 'comments.done.unhide', { comment: id });
    const back = commentsPath((req.body as Record<string, unknown> | undefined)?.return_to);
    res.redirect(303, `${back}#comment-${id}`);
  });

  return router;
}
