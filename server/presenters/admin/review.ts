/** The review queue's view model: each group as a finished section (heading, reasons, effect, forms, rows). */
import type { FlaggedGroup, StoredResponse } from '../../../db/queries/review.ts';
import type { ResponseStatus } from '../../../db/schema.ts';
import type { Lang, Translate } from '../../i18n/index.ts';
import { SIGNALS } from '../../survey/signals.ts';
import type { IndexEffect } from '../../survey/review.ts';
import { formatCount, formatDateTime, formatDay, formatMonth, formatPercent } from '../format.ts';

export interface ReviewGroupView {
  id: string;
  heading: string;
  meta: string;
  reasons: string[];
  effect: { caption: string; rows: { label: string; value: string }[] };
  /** Hidden fields naming the whole group for the keep/remove buttons. */
  groupFields: { name: string; value: string }[];
  keepGroup: string | null;
  removeGroup: string | null;
  responses: {
    id: number;
    checkboxLabel: string;
    sentAt: string;
    seconds: string;
    channel: string;
    answers: string;
  }[];
  more: string | null;
}

export function presentReviewGroup(
  group: FlaggedGroup,
  status: ResponseStatus,
  shown: StoredResponse[],
  effect: IndexEffect,
  ctx: { lang: Lang; t: Translate; minSeconds: number },
): ReviewGroupView {
  const { lang, t } = ctx;
  const flags = group.flags.split(',').filter((f): f is (typeof SIGNALS)[number] => (SIGNALS as readonly string[]).includes(f));
  const reasons = flags.length > 0 ? flags.map((f) => t(`admin.review.signal.${f}`, { min: ctx.minSeconds })) : [t('admin.review.signal.confirmed')];
  const index = (e: { index: number | null; n: number }) => `${e.index === null ? '—' : `${formatPercent(e.index, lang)}%`} (n = ${formatCount(e.n, lang)})`;
  const n = formatCount(group.count, lang);
  return {
    id: `group-${group.deskId}-${flags.join('-') || 'none'}`,
    heading: `${group.unitName} · ${group.deskName}`,
    meta: t('admin.review.group', { n, from: formatDay(group.firstDay), to: formatDay(group.lastDay) }),
    reasons,
    effect: {
      caption: t('admin.review.effect', { months: effect.months.map(formatMonth).join(', ') }),
      rows: [
        { label: t('admin.review.without'), value: index(effect.without) },
        { label: t('admin.review.with'), value: index(effect.with) },
      ],
    },
    groupFields: [
      { name: 'from', value: status },
      { name: 'desk', value: String(group.deskId) },
      { name: 'flags', value: group.flags },
      { name: 'upto', value: String(group.upTo) },
    ],
    keepGroup: t('admin.review.restore.group', { n }),
    removeGroup: status === 'spam' ? null : t('admin.review.remove.group', { n }),
    responses: shown.map((r) => ({
      id: r.id,
      checkboxLabel: t('admin.review.select', { id: r.publicId }),
      sentAt: formatDateTime(r.submittedAt, lang),
      seconds: r.secondsTaken === null ? '–' : t('admin.review.seconds.value', { n: r.secondsTaken }),
      channel: t(`dash.channel.${r.channel}`),
      // Ratings in question order, "–" for no opinion: identical patterns stand out at a glance.
      answers: r.ratings.map((a) => (a.value === null ? '–' : String(a.value))).join(' '),
    })),
    more: group.count > shown.length ? t('admin.review.more', { n: formatCount(group.count - shown.length, lang) }) : null,
  };
}
