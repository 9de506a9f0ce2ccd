/**
 * /admin/review: responses the stuffing signals flagged, grouped by desk, channel, signal and typist,
 * with what each group would do to its desk's index; a reviewer keeps them (counted from then on) or
 * removes them (kept on record, never counted), a whole group or ticked responses at once. Who sees
 * and decides what is one rule (auth/permissions.ts, reviewRight): administrators everything; a
 * manager only the paper forms of the units they manage, since a unit's own manager deciding which
 * of its citizens' responses count is the conflict this queue prevents; and nobody a form they typed
 * in themselves (shown, with no buttons; refused if sent anyway, the others of a selection moved).
 */
import { Router } from 'express';
import { flaggedCounts, flaggedGroups, selectedResponses } from '../../../db/queries/flagged-responses.ts';
import { listUnits } from '../../../db/queries/units.ts';
import type { ResponseStatus } from '../../../db/schema.ts';
import { staffOf } from '../../auth/middleware.ts';
import { authorize, type Reviewable, reviewRight } from '../../auth/permissions.ts';
import { setFlash } from '../../middleware/flash.ts';
import { localeOf } from '../../middleware/locale.ts';
import { presentReviewGroup } from '../../presenters/admin/review-groups.ts';
import { formatCount } from '../../presenters/format.ts';
import { renderError } from '../../middleware/render.ts';
import { decide, effectOfGroup } from '../../review-queue/decide.ts';
import type { RouteDeps } from '../deps.ts';
import { renderStaffPage } from './page.ts';
import { reviewDecisionSchema } from './review-queue.schema.ts';

/** Groups on one page, and responses listed in each (the group's buttons act on all of them). */
const GROUPS_SHOWN = 30;
const RESPONSES_SHOWN = 20;
const TABS: { id: 'pending' | 'removed'; status: ResponseStatus }[] = [
  { id: 'pending', status: 'suspect' },
  { id: 'removed', status: 'spam' },
];

export function adminReviewRoutes({ db, config, now }: RouteDeps): Router {
  const router = Router();

  // /admin/review admits administrators and managers only (sections.ts); what each of them sees is reviewRight's.
  router.get('/admin/review', async (req, res) => {
    const { lang, t, langQuery } = localeOf(res);
    const staff = staffOf(res);
    const tab = TABS.find((x) => x.id === req.query.tab) ?? TABS[0];
    if (!tab) return renderError(res, 404);
    const units = await listUnits(db);
    const right = (r: Reviewable) => reviewRight(staff, r, units);
    const visible = (await flaggedGroups(db, tab.status)).filter((g) => right({ unitId: g.unitId, channel: g.channel, enteredBy: g.enteredBy?.id ?? null }) !== 'none');
    const groups = visible.slice(0, GROUPS_SHOWN);
    const counts = { suspect: 0, spam: 0 };
    for (const c of await flaggedCounts(db)) if (right(c) !== 'none') counts[c.status] += c.n;
    const views = [];
    for (const group of groups) {
      const selection = { status: tab.status, deskId: group.deskId, flags: group.flags, upTo: group.upTo, channel: group.channel, verified: group.verified, enteredBy: group.enteredBy?.id ?? null };
      const shown = await selectedResponses(db, selection, RESPONSES_SHOWN);
      const all = group.count > shown.length ? await selectedResponses(db, selection) : shown;
      const own = right({ unitId: group.unitId, channel: group.channel, enteredBy: group.enteredBy?.id ?? null }) === 'typed';
      views.push(presentReviewGroup(group, tab.status, shown, await effectOfGroup(db, all, group.deskId), { lang, t, minSeconds: config.surveyMinSeconds, own }));
    }
    const amp = langQuery ? `${langQuery}&` : '?';
    renderStaffPage(res, 'pages/admin/review', { title: t('admin.review.title'), section: 'review' }, {
      lead: authorize(staff, 'administerEverything') ? t('admin.review.lead') : t('admin.review.lead.manager'),
      tabs: TABS.map((x) => ({
        href: `/admin/review${amp}tab=${x.id}`,
        label: `${t(`admin.review.tab.${x.id}`)} (${formatCount(counts[x.status === 'spam' ? 'spam' : 'suspect'], lang)})`,
        current: x.id === tab.id,
      })),
      empty: groups.length === 0 ? t(`admin.review.empty.${tab.id}`) : null,
      moreGroups: visible.length > groups.length ? t('admin.review.more.groups', { shown: groups.length, total: visible.length }) : null,
      groups: views,
      action: `/admin/review${langQuery}`,
      keepSelected: t('admin.review.restore.selected'),
      removeSelected: tab.status === 'spam' ? null : t('admin.review.remove.selected'),
      columns: [t('admin.review.submitted'), t('admin.review.day'), t('admin.review.seconds'), t('admin.review.channel'), t('admin.review.typist'), t('admin.review.answers')],
      selectLabel: t('admin.review.select', { id: '' }).trim(),
    });
  });

  router.post('/admin/review', async (req, res) => {
    const { langQuery } = localeOf(res);
    const parsed = reviewDecisionSchema.safeParse(req.body ?? {});
    if (!parsed.success) return renderError(res, 400);
    const { decision, from, selection } = parsed.data;
    const back = `/admin/review${langQuery}${from === 'spam' ? `${langQuery ? '&' : '?'}tab=removed` : ''}`;
    const outcome = await decide(db, staffOf(res), { decision, selection }, now());
    switch (outcome.kind) {
      case 'noneSelected':
        setFlash(req, 'admin.review.error.none');
        return res.redirect(303, back);
      case 'notFound':
        return renderError(res, 404);
      case 'forbidden':
        return renderError(res, 403);
      case 'ownOnly':
        return renderError(res, 403, 'error.403.title', 'admin.review.error.own', { n: outcome.own });
      case 'done': {
        const { moved, leftOwn } = outcome;
        if (moved === 0) setFlash(req, 'admin.review.done.none');
        else if (leftOwn > 0) setFlash(req, decision === 'keep' ? 'admin.review.done.restored.left' : 'admin.review.done.removed.left', { n: moved, left: leftOwn });
        else setFlash(req, decision === 'keep' ? 'admin.review.done.restored' : 'admin.review.done.removed', { n: moved });
        return res.redirect(303, back);
      }
    }
  });

  return router;
}
