/**
 * The review queue's view model: each group as a finished section (heading, channel and typist,
 * reasons, effect, forms, rows). A group of forms the reader typed in themselves is shown without
 * buttons, with a word that someone else decides on it.
 */
import type { FlaggedGroup, StoredResponse, Typist } from '../../../db/queries/flagged-responses.ts';
import type { Channel, ResponseStatus } from '../../../db/schema.ts';
import type { Lang, Translate } from '../../i18n/index.ts';
import { PAPER_MAX_AGE_DAYS, PAPER_PER_HOUR, PAPER_SAME_RUN } from '../../survey/paper-signals.ts';
import { type Signal, SIGNALS } from '../../survey/signals.ts';
import type { IndexEffect } from '../../review-queue/decide.ts';
import { formatCount, formatDateTime, formatDay, formatMonth, formatPercent } from '../format.ts';

/** The signal of a per-dossier link requested too fast (survey.ts): its response is not verified, yet came by a link. */
const LINK_SIGNAL = 'link-rate';

/** The channel in words: the dashboard's names, and "per-dossier link" for a response sent through one. */
function channelWords(r: { channel: Channel; verified: boolean; flags: string }, t: Translate): string {
  return r.verified || r.flags.split(',').includes(LINK_SIGNAL) ? t('admin.review.channel.link') : t(`dash.channel.${r.channel}`);
}

function typistWords(typist: Typist, t: Translate): string {
  if (typist.displayName === null) return t('admin.review.typist.gone', { id: typist.id });
  return typist.username && typist.username !== typist.displayName ? `${typist.displayName} (${typist.username})` : typist.displayName;
}

export interface ReviewGroupView {
  id: string;
  heading: string;
  meta: string;
  /** "Kênh: Phiếu giấy", and who typed the group's paper forms. */
  channel: string;
  typist: string | null;
  /** The reader typed these forms in: a word that someone else decides, and no buttons. */
  own: string | null;
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
    day: string;
    seconds: string;
    channel: string;
    typist: string;
    answers: string;
  }[];
  more: string | null;
}

export function presentReviewGroup(
  group: FlaggedGroup,
  status: ResponseStatus,
  shown: StoredResponse[],
  effect: IndexEffect,
  ctx: { lang: Lang; t: Translate; minSeconds: number; own: boolean },
): ReviewGroupView {
  const { lang, t } = ctx;
  const flags = group.flags.split(',').filter((f): f is Signal => (SIGNALS as readonly string[]).includes(f));
  const params = { min: ctx.minSeconds, perHour: PAPER_PER_HOUR, days: PAPER_MAX_AGE_DAYS, run: PAPER_SAME_RUN };
  const reasons = flags.length > 0 ? flags.map((f) => t(`admin.review.signal.${f}`, params)) : [t('admin.review.signal.confirmed')];
  const index = (e: { index: number | null; n: number }) => `${e.index === null ? '—' : `${formatPercent(e.index, lang)}%`} (n = ${formatCount(e.n, lang)})`;
  const n = formatCount(group.count, lang);
  return {
    id: `group-${group.deskId}-${group.channel}${group.verified ? '-link' : ''}-${group.enteredBy?.id ?? 'none'}-${flags.join('-') || 'none'}`,
    heading: `${group.unitName} · ${group.deskName}`,
    meta: t('admin.review.group', { n, from: formatDay(group.firstDay), to: formatDay(group.lastDay) }),
    channel: t('admin.review.group.channel', { channel: channelWords(group, t) }),
    typist: group.enteredBy ? t('admin.review.group.typist', { name: typistWords(group.enteredBy, t) }) : null,
    own: ctx.own ? t('admin.review.own') : null,
    reasons,
    effect: {
      caption: t('admin.review.effect', { months: effect.months.map(formatMonth).join(', ') }),
      rows: [
        { label: t(group.count === 1 ? 'admin.review.without.one' : 'admin.review.without'), value: index(effect.without) },
        { label: t(group.count === 1 ? 'admin.review.with.one' : 'admin.review.with'), value: index(effect.with) },
      ],
    },
    groupFields: [
      { name: 'from', value: status },
      { name: 'desk', value: String(group.deskId) },
      { name: 'flags', value: group.flags },
      { name: 'upto', value: String(group.upTo) },
      { name: 'channel', value: group.channel },
      { name: 'verified', value: group.verified ? '1' : '0' },
      { name: 'typist', value: group.enteredBy === null ? '' : String(group.enteredBy.id) },
    ],
    // "Giữ lại cả 30 phiếu" for a group, "Giữ lại phiếu này" for a group of one.
    keepGroup: ctx.own ? null : group.count === 1 ? t('admin.review.restore.one') : t('admin.review.restore.group', { n }),
    removeGroup: ctx.own || status === 'spam' ? null : group.count === 1 ? t('admin.review.remove.one') : t('admin.review.remove.group', { n }),
    responses: shown.map((r) => ({
      id: r.id,
      checkboxLabel: t('admin.review.select', { id: r.publicId }),
      sentAt: formatDateTime(r.submittedAt, lang),
      // The day it counts for: for a paper form the day written on it, which may be long before it was typed.
      day: formatDay(r.localDay),
      seconds: r.secondsTaken === null ? '–' : t('admin.review.seconds.value', { n: r.secondsTaken }),
      channel: channelWords(r, t),
      typist: r.enteredBy ? typistWords(r.enteredBy, t) : '–',
      // Ratings in question order, "–" for no opinion: identical patterns stand out at a glance.
      answers: r.ratings.map((a) => (a.value === null ? '–' : String(a.value))).join(' '),
    })),
    more: group.count > shown.length ? t('admin.review.more', { n: formatCount(group.count - shown.length, lang) }) : null,
  };
}
