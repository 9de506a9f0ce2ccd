/**
 * /dashboard/comments: every comment of the dashboard's filters, newest first, twenty a page,
 * narrowed by the overall rating given; and hiding or showing one, which answers with a 303 back to
 * the same comment on the same page and a confirmation with an undo button.
 */
import { Router } from 'express';
import { localDay } from '../../analytics/time.ts';
import { commentPage } from '../../db/queries/comments.ts';
import { staffOf } from '../auth/middleware.ts';
import { moderateComment } from '../comments/moderate-comment.ts';
import { type FlashView, setFlash } from '../middleware/flash.ts';
import { localeOf } from '../middleware/locale.ts';
import { COMMENTS_PER_PAGE, type ModerationNotice, pageCount, presentCommentsPage } from '../presenters/comment-list.ts';
import { UNIT_SEARCH_PARAM, unitSearchOf } from '../presenters/unit-picker.ts';
import { renderError, renderRefusal } from '../middleware/render.ts';
import { filtersQuery } from '../figures/filters.ts';
import { resolveReportRequest } from '../figures/request.ts';
import { moderationBodySchema, moderationParamsSchema } from './comments-page.schema.ts';
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
    const params = moderationParamsSchema.safeParse(req.params);
    if (!params.success) return renderError(res, 404);
    const outcome = await moderateComment(db, staffOf(res), params.data.id, params.data.action, now().toISOString());
    if (outcome.kind !== 'done') return renderError(res, outcome.kind === 'notFound' ? 404 : 403);
    setFlash(req, outcome.action === 'hide' ? 'comments.done.hide' : 'comments.done.unhide', { comment: outcome.commentId });
    const back = moderationBodySchema.parse(req.body ?? {}).return_to;
    res.redirect(303, `${back}#comment-${outcome.commentId}`);
  });

  return router;
}
