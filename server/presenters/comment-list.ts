/**
 * Comments as staff read them, on the dashboard's short section and on the comments page: the text,
 * the overall rating the citizen gave, the day (dd/mm/yyyy, local), where it was given; on the page,
 * the moderation buttons, the confirmation with its undo, and the pages.
 */
import type { CommentRow } from '../../db/queries/comments.ts';
import { authorize } from '../auth/permissions.ts';
import type { Staff } from '../auth/scope.ts';
import { type Lang, pick, type Translate } from '../i18n/index.ts';
import type { ReportContext } from '../figures/context.ts';
import { CHANNELS, type Filters } from '../figures/filters.ts';
import { periodPresets } from './period-presets.ts';
import { formatCount, formatDay } from './format.ts';
import { presentUnitPicker } from './unit-picker.ts';

export const COMMENTS_PER_PAGE = 20;

/** The overall rating's label: "5 · Rất hài lòng". */
function ratingLabel(value: number, t: Translate): string {
  return `${value} · ${t(`scale.${value}` as 'scale.1')}`;
}

export function presentComment(c: CommentRow, ctx: ReportContext, lang: Lang, t: Translate) {
  const field = ctx.fieldById.get(c.fieldId);
  return {
    id: c.id,
    anchor: `comment-${c.id}`,
    text: c.text,
    date: formatDay(c.day),
    place: `${c.unitName} · ${c.deskName}${field ? ` · ${pick(lang, field.name_vi, field.name_en)}` : ''}`,
    rating: c.overall === null ? t('comments.rating.none') : t('comments.rating.given', { value: c.overall, label: t(`scale.${c.overall}` as 'scale.1') }),
    hidden: c.hidden,
  };
}

/** What was just done to a comment, carried over the redirect (routes/comments-page.ts). */
export interface ModerationNotice {
  commentId: number;
  action: 'hide' | 'unhide';
}

export interface CommentsPageInput {
  rows: CommentRow[];
  total: number;
  page: number;
  overall: number | null;
  filters: Filters;
  ctx: ReportContext;
  staff: Staff;
  allowedUnits: number[] | null;
  unitSearch: string;
  /** The filters' query string (filtersQuery), without the page, the rating or the search. */
  query: string;
  notice: ModerationNotice | null;
  lang: Lang;
  t: Translate;
  today: string;
}

export function pageCount(total: number): number {
  return Math.max(1, Math.ceil(total / COMMENTS_PER_PAGE));
}

export function presentCommentsPage(input: CommentsPageInput) {
  const { filters, ctx, lang, t, total, page } = input;
  const pages = pageCount(total);
  const url = (p: number) => {
    const q = new URLSearchParams(input.query);
    if (input.overall !== null) q.set('rating', String(input.overall));
    if (p > 1) q.set('page', String(p));
    const s = q.toString();
    return `/dashboard/comments${s ? `?${s}` : ''}`;
  };
  const here = url(page);
  const moderate = authorize(input.staff, 'moderate');
  const first = (page - 1) * COMMENTS_PER_PAGE + 1;
  const fieldName = (code: string) => {
    const f = ctx.fields.find((x) => x.code === code);
    return f ? pick(lang, f.name_vi, f.name_en) : code;
  };
  const custom = filters.preset === 'custom';
  const form = {
    presets: periodPresets(filters, input.today, t).map((o) =>
      // A range of one's own is kept as it is: this form has no date boxes, the dashboard does.
      o.value === 'custom' ? { ...o, label: custom ? t('comments.period.custom', { from: formatDay(filters.period.from), to: formatDay(filters.period.to) }) : o.label } : o,
    ).filter((o) => o.value !== 'custom' || custom),
    hidden: [
      ...(lang === 'en' ? [{ name: 'lang', value: 'en' }] : []),
      ...(custom ? [{ name: 'from', value: filters.period.from }, { name: 'to', value: filters.period.to }] : []),
      ...(filters.deskId !== null ? [{ name: 'desk', value: String(filters.deskId) }] : []),
      ...(filters.channel !== null && CHANNELS.includes(filters.channel) ? [{ name: 'channel', value: filters.channel }] : []),
      ...(filters.includeSuspect ? [{ name: 'suspect', value: '1' }] : []),
    ],
    unitPicker: presentUnitPicker({ units: ctx.units, allowedUnits: input.allowedUnits, selectedId: filters.unitId, search: input.unitSearch, t }),
    fields: ctx.fields.map((f) => ({ value: f.code, label: fieldName(f.code), selected: f.id === filters.fieldId })),
    ratings: [5, 4, 3, 2, 1].map((v) => ({ value: String(v), label: ratingLabel(v, t), selected: v === input.overall })),
  };
  const comments = input.rows.map((row) => {
    const c = presentComment(row, ctx, lang, t);
    const action = c.hidden ? 'unhide' : 'hide';
    const notice = input.notice?.commentId === c.id ? input.notice : null;
    return {
      ...c,
      hiddenLabel: c.hidden ? t('dash.comment.hidden') : '',
      moderation: moderate ? { action: `/dashboard/comments/${c.id}/${action}`, label: c.hidden ? t('dash.comment.unhide') : t('dash.comment.hide') } : null,
      // "Đã ẩn góp ý. [Hoàn tác]": the undo is the opposite action, a form because it changes state.
      notice: notice
        ? {
            text: t(notice.action === 'hide' ? 'comments.done.hide' : 'comments.done.unhide'),
            undo: { action: `/dashboard/comments/${c.id}/${notice.action === 'hide' ? 'unhide' : 'hide'}`, label: t('comments.undo') },
          }
        : null,
    };
  });
  return {
    heading: t('comments.title'),
    back: input.query ? `/dashboard?${input.query}` : '/dashboard',
    form,
    summary:
      total === 0
        ? t('dash.comments.none')
        : t('comments.showing', { from: formatCount(first, lang), to: formatCount(Math.min(total, first + COMMENTS_PER_PAGE - 1), lang), total: formatCount(total, lang) }),
    comments,
    returnTo: here,
    pager:
      pages <= 1
        ? null
        : {
            label: t('comments.pages'),
            current: t('comments.page', { page: formatCount(page, lang), pages: formatCount(pages, lang) }),
            previous: page > 1 ? { href: url(page - 1), label: t('comments.previous') } : null,
            next: page < pages ? { href: url(page + 1), label: t('comments.next') } : null,
          },
  };
}

export type CommentsPageView = ReturnType<typeof presentCommentsPage>;
