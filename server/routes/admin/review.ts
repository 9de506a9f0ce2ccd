/**
 * /admin/review: responses the stuffing signals flagged, grouped by desk and signal, with what each
 * group would do to its desk's index; an administrator keeps them (counted from then on) or removes
 * them (kept on record, never counted), a whole group or ticked responses at once. Administrators
 * only: a unit's own manager deciding which of its responses count is the conflict this prevents.
 */
import { Router } from 'express';
import { localDay } from '../../../analytics/time.ts';
import { deskSubject, flaggedCounts, flaggedGroups, type ResponseSelection, selectedResponses } from '../../../db/queries/review.ts';
import type { ResponseStatus } from '../../../db/schema.ts';
import { staffOf } from '../../auth/middleware.ts';
import type { Staff } from '../../auth/scope.ts';
import { setFlash } from '../../flash.ts';
import { localeOf } from '../../middleware/locale.ts';
import { presentReviewGroup } from '../../presenters/admin/review.ts';
import { formatCount } from '../../presenters/format.ts';
import { renderError } from '../../render.ts';
import { type Decision, decide, effectOfGroup } from '../../survey/review.ts';
import type { RouteDeps } from '../deps.ts';
import { positiveId } from './forms.ts';
import { requireAdministrator } from './guards.ts';
import { renderStaffPage } from './page.ts';

/** Groups on one page, and responses listed in each (the group's buttons act on all of them). */
const GROUPS_SHOWN = 30;
const RESPONSES_SHOWN = 20;
/** Ticked responses acted on at once. */
const SELECTED_MAX = 500;

const TABS: { id: 'pending' | 'removed'; status: ResponseStatus }[] = [
  { id: 'pending', status: 'suspect' },
  { id: 'removed', status: 'spam' },
];

function list(value: unknown): string[] {
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string');
  return typeof value === 'string' ? [value] : [];
}

export function adminReviewRoutes({ db, csrf, config, now }: RouteDeps): Router {
  const router = Router();

  router.get('/admin/review', requireAdministrator, async (req, res) => {
    const { lang, t, langQuery } = localeOf(res);
    const tab = TABS.find((x) => x.id === req.query.tab) ?? TABS[0];
    if (!tab) return renderError(res, 404);
    const { groups, total } = await flaggedGroups(db, tab.status, GROUPS_SHOWN);
    const counts = await flaggedCounts(db);
    const views = [];
    for (const group of groups) {
      const selection = { status: tab.status, deskId: group.deskId, flags: group.flags, upTo: group.upTo };
      const shown = await selectedResponses(db, selection, RESPONSES_SHOWN);
      const all = group.count > shown.length ? await selectedResponses(db, selection) : shown;
      views.push(presentReviewGroup(group, tab.status, shown, await effectOfGroup(db, all, group.deskId), { lang, t, minSeconds: config.surveyMinSeconds }));
    }
    const amp = langQuery ? `${langQuery}&` : '?';
    renderStaffPage(req, res, csrf, 'pages/admin/review', { title: t('admin.review.title'), section: 'review' }, {
      lead: t('admin.review.lead'),
      tabs: TABS.map((x) => ({
        href: `/admin/review${amp}tab=${x.id}`,
        label: `${t(`admin.review.tab.${x.id}`)} (${formatCount(counts[x.status === 'spam' ? 'spam' : 'suspect'], lang)})`,
        current: x.id === tab.id,
      })),
      empty: groups.length === 0 ? t(`admin.review.empty.${tab.id}`) : null,
      moreGroups: total > groups.length ? t('admin.review.more.groups', { shown: groups.length, total }) : null,
      groups: views,
      action: `/admin/review${langQuery}`,
      keepSelected: t('admin.review.restore.selected'),
      removeSelected: tab.status === 'spam' ? null : t('admin.review.remove.selected'),
      columns: [t('admin.review.submitted'), t('admin.review.seconds'), t('admin.review.channel'), t('admin.review.answers')],
      selectLabel: t('admin.review.select', { id: '' }).trim(),
    });
  });

  router.post('/admin/review', requireAdministrator, async (req, res) => {
    const { langQuery } = localeOf(res);
    const body = (req.body ?? {}) as Record<string, unknown>;
    const decision: Decision | null = body.decision === 'keep' || body.decision === 'remove' ? body.decision : null;
    const from = TABS.find((x) => x.status === body.from)?.status ?? null;
    const deskId = positiveId(body.desk);
    if (decision === null || from === null || deskId === null) return renderError(res, 400);
    const back = `/admin/review${langQuery}${from === 'spam' ? `${langQuery ? '&' : '?'}tab=removed` : ''}`;

    let selection: ResponseSelection;
    if (body.scope === 'selected') {
      const ids = list(body.id).map(positiveId).filter((id): id is number => id !== null).slice(0, SELECTED_MAX);
      if (ids.length === 0) {
        setFlash(req, 'admin.review.error.none');
        return res.redirect(303, back);
      }
      selection = { status: from, deskId, ids };
    } else {
      const upTo = positiveId(body.upto);
      if (upTo === null || typeof body.flags !== 'string') return renderError(res, 400);
      selection = { status: from, deskId, flags: body.flags, upTo };
    }
    const subject = await deskSubject(db, deskId);
    if (subject === undefined) return renderError(res, 404);
    const at = now();
    const moved = await decide(db, selection, decision, {
      userId: (staffOf(res) as Staff).id,
      at: at.toISOString(),
      today: localDay(at),
      subject,
    });
    if (moved === 0) setFlash(req, 'admin.review.done.none');
    else setFlash(req, decision === 'keep' ? 'admin.review.done.restored' : 'admin.review.done.removed', { n: moved });
    res.redirect(303, back);
  });

  return router;
}
