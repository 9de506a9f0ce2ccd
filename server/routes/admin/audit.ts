/** /admin/audit: every administrative change and sign-in event, filtered by person, day and kind, 50 a page. */
import { Router } from 'express';
import { startOfLocalDay, addDays } from '../../../analytics/time.ts';
import { listAudit } from '../../../db/queries/audit.ts';
import { listUsers } from '../../../db/queries/users.ts';
import { localeOf } from '../../middleware/locale.ts';
import { auditActionText, auditDetailText, auditSubjectText } from '../../presenters/admin/audit.ts';
import { formatDateTime, parsePersonDay } from '../../presenters/format.ts';
import type { RouteDeps } from '../deps.ts';
import { positiveId } from '../form-schema.ts';
import { renderStaffPage } from './page.ts';

const PAGE_SIZE = 50;
/** The kinds of entry an administrator looks for, by the first word of the action. */
const ACTION_KINDS = ['login', 'user', 'token', 'unit', 'desk', 'kiosk', 'target', 'questionnaire', 'comment', 'paper', 'review', 'export'] as const;

function param(value: unknown): string {
  return typeof value === 'string' ? value.trim() : '';
}

export function adminAuditRoutes({ db }: RouteDeps): Router {
  const router = Router();

  router.get('/admin/audit', async (req, res) => {
    const { lang, t, langQuery } = localeOf(res);
    const users = await listUsers(db);
    const userParam = param(req.query.user);
    const user = users.find((u) => u.username === userParam);
    const from = parsePersonDay(param(req.query.from));
    const to = parsePersonDay(param(req.query.to));
    const kind = ACTION_KINDS.find((k) => k === param(req.query.action)) ?? null;
    const page = positiveId(param(req.query.page)) ?? 1;
    const errors: Record<string, string> = {};
    if (userParam !== '' && !user) errors.user = t('admin.audit.error.user', { name: userParam });
    if (param(req.query.from) !== '' && from === null) errors.from = t('admin.audit.error.day');
    if (param(req.query.to) !== '' && to === null) errors.to = t('admin.audit.error.day');
    const { rows, total } = await listAudit(
      db,
      {
        userId: user?.id ?? null,
        fromAt: from ? startOfLocalDay(from).toISOString() : null,
        // Up to the last instant of the local day.
        toAt: to ? new Date(startOfLocalDay(addDays(to, 1)).getTime() - 1).toISOString() : null,
        actionPrefix: kind,
      },
      { offset: (page - 1) * PAGE_SIZE, limit: PAGE_SIZE },
    );
    const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
    const query = (p: number) => {
      const q = new URLSearchParams();
      if (userParam) q.set('user', userParam);
      if (param(req.query.from)) q.set('from', param(req.query.from));
      if (param(req.query.to)) q.set('to', param(req.query.to));
      if (kind) q.set('action', kind);
      if (lang === 'en') q.set('lang', 'en');
      q.set('page', String(p));
      return `/admin/audit?${q.toString()}`;
    };
    renderStaffPage(res, 'pages/admin/audit', { title: t('admin.audit.title'), section: 'audit' }, {
      filters: {
        user: { name: 'user', type: 'select', label: t('admin.audit.user'), error: errors.user, options: [{ value: '', label: t('dash.all'), selected: !user }, ...users.map((u) => ({ value: u.username, label: `${u.displayName} (${u.username})`, selected: u.id === user?.id }))] },
        from: { name: 'from', label: t('dash.from'), value: param(req.query.from), error: errors.from, hint: t('admin.day.hint'), inputmode: 'numeric', maxlength: 10 },
        to: { name: 'to', label: t('dash.to'), value: param(req.query.to), error: errors.to, hint: t('admin.day.hint'), inputmode: 'numeric', maxlength: 10 },
        action: { name: 'action', type: 'select', label: t('admin.audit.kind'), options: [{ value: '', label: t('dash.all'), selected: kind === null }, ...ACTION_KINDS.map((k) => ({ value: k, label: t(`admin.audit.kind.${k}`), selected: k === kind }))] },
        lang: lang === 'en',
      },
      rows: rows.map((r) => ({
        at: formatDateTime(r.at, lang),
        who: r.displayName ? `${r.displayName} (${r.username ?? ''})` : t('admin.audit.nobody'),
        action: auditActionText(r.action, t),
        subject: auditSubjectText(r.action, r.subject, t),
        detail: auditDetailText(r.detail, t),
        before: r.before ?? '',
        after: r.after ?? '',
      })),
      summary: t('admin.audit.summary', { total, page, pages }),
      previous: page > 1 ? query(page - 1) : null,
      next: page < pages ? query(page + 1) : null,
      langQuery,
    });
  });

  return router;
}
