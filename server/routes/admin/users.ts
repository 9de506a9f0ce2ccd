/**
 * /admin/users: staff accounts. Administrators manage everyone; a manager manages the viewers of
 * their own units. A new account gets a one-time link to set its password (nobody types a password
 * for someone else); disabling an account ends its sessions and API tokens at once; the last
 * active administrator cannot be disabled or demoted. An official kept out of a new phone by someone
 * else's wrong passwords gets a one-time sign-in unlock link (routes/unlock.ts) from whoever manages
 * their account.
 * The route only parses (users.schema.ts), calls the command of server/accounts/ (its rules,
 * permission and audit entry, in one transaction) and maps the outcome; the pages' view models come
 * from presenters/admin/users.ts.
 */
import { type Request, type Response, Router } from 'express';
import { listTokens } from '../../../db/queries/api-tokens.ts';
import { listUnits } from '../../../db/queries/units.ts';
import { findUser, listUsers } from '../../../db/queries/users.ts';
import type { Unit, User } from '../../../db/schema.ts';
import { staffActor } from '../../accounts/actor.ts';
import { createAccount } from '../../accounts/create-account.ts';
import { issuePasswordLink, issueUnlockLink, PASSWORD_LINK_HOURS, UNLOCK_LINK_HOURS } from '../../accounts/links.ts';
import { revokeApiToken } from '../../accounts/api-tokens.ts';
import { setAccountActive } from '../../accounts/set-active.ts';
import { updateAccount } from '../../accounts/update-account.ts';
import { staffOf } from '../../auth/middleware.ts';
import { authorize } from '../../auth/permissions.ts';
import { setFlash } from '../../middleware/flash.ts';
import type { MessageKey } from '../../i18n/index.ts';
import { localeOf } from '../../middleware/locale.ts';
import { accountErrors, presentUserFields, presentUserPage, presentUserRows, userFormValuesOf, type UserFormValues } from '../../presenters/admin/users.ts';
import { renderError } from '../../middleware/render.ts';
import type { RouteDeps } from '../deps.ts';
import { idParam } from '../form-schema.ts';
import type { FormErrors } from '../form-schema.ts';
import { renderStaffPage } from './page.ts';
import { ActiveFormSchema, TokenParamsSchema, type UserForm, UserFormSchema, UserParamsSchema } from './users.schema.ts';

/** What an empty form reads as (a body that is no form at all is read as an empty one, as before). */
const EMPTY_FORM: UserForm = UserFormSchema.parse({});

function formOf(req: Request): UserForm {
  const parsed = UserFormSchema.safeParse(req.body ?? {});
  return parsed.success ? parsed.data : EMPTY_FORM;
}

const valuesOf = (form: UserForm): UserFormValues => ({
  username: form.username,
  displayName: form.display_name,
  role: form.role,
  unitId: form.unit,
  paperEntry: form.paper_entry,
  email: form.email,
  lang: form.lang,
  alertEmails: form.alert_emails,
});

/** The email settings of the form as the commands take them (issue 22); no language sent (not a browser's form): unchanged, or 'vi'. */
const mailOf = (form: UserForm) => ({ email: form.email, lang: form.lang === '' ? undefined : form.lang, alertEmails: form.alert_emails });

/** The form's unit as the command takes it: none, or an id (0 for text that names no unit, which the rules refuse). */
function unitIdOf(form: UserForm): number | null {
  if (form.unit === '') return null;
  const id = idParam.safeParse(form.unit);
  return id.success ? id.data : 0;
}

export function adminUserRoutes({ db, config, now }: RouteDeps): Router {
  const router = Router();

  /**
   * The answer to the POST that made a link: the link itself, once. It is never put in the session
   * (a flash would sit in clear in the sessions table until the next page, and a backup of that table
   * would hold a working link) nor anywhere else; like every staff answer it is sent with Cache-Control:
   * no-store (middleware/staff-frame.ts).
   * Lost before it was handed over: make a new one, which replaces it.
   */
  function renderLinkOnce(res: Response, message: string, link: string, next: string, title: MessageKey = 'admin.user.link.title'): void {
    const { t } = localeOf(res);
    renderStaffPage(res, 'pages/admin/password-link', { title: t(title), section: 'users' }, { message, link, next });
  }

  /** The account in the path, when the person may manage it (404 / 403 otherwise). */
  async function userOr404(req: Request, res: Response): Promise<{ user: User; units: Unit[] } | null> {
    const params = UserParamsSchema.safeParse(req.params);
    const user = params.success ? await findUser(db, params.data.id) : undefined;
    if (!user) {
      renderError(res, 404);
      return null;
    }
    const units = await listUnits(db);
    if (!authorize(staffOf(res), 'manageUser', { user: { role: user.role, unitId: user.unit_id }, units })) {
      renderError(res, 403);
      return null;
    }
    return { user, units };
  }

  router.get('/admin/users', async (req, res) => {
    const staff = staffOf(res);
    const locale = localeOf(res);
    const [users, units] = await Promise.all([listUsers(db), listUnits(db)]);
    const managed = users.filter((u) => authorize(staff, 'manageUser', { user: { role: u.role, unitId: u.unitId }, units }));
    renderStaffPage(res, 'pages/admin/users', { title: locale.t('admin.users.title'), section: 'users' }, { rows: presentUserRows(managed, locale), newHref: `/admin/users/new${locale.langQuery}` });
  });

  function renderNew(res: Response, values: UserFormValues, errors: FormErrors, units: Unit[], status = 200) {
    const { t } = localeOf(res);
    renderStaffPage(res, 'pages/admin/user-form', { title: t('admin.user.new.title'), section: 'users', status }, {
      fields: presentUserFields(staffOf(res), values, errors, units, true, t),
      action: '/admin/users',
      cancel: '/admin/users',
      submit: t('admin.user.create'),
    });
  }

  router.get('/admin/users/new', async (req, res) => {
    const staff = staffOf(res);
    const values = { username: '', displayName: '', role: 'viewer', unitId: staff.unitId === null ? '' : String(staff.unitId), paperEntry: false };
    renderNew(res, { ...values, email: '', lang: 'vi', alertEmails: true }, {}, await listUnits(db));
  });

  router.post('/admin/users', async (req, res) => {
    const { t, langQuery } = localeOf(res);
    const form = formOf(req);
    const input = { username: form.username, displayName: form.display_name, role: form.role, unitId: unitIdOf(form), paperEntry: form.paper_entry, ...mailOf(form) };
    const created = await createAccount(db, staffActor(staffOf(res)), input, now().toISOString());
    if (!created.ok) {
      if (created.status === 403) return renderError(res, 403);
      return renderNew(res, valuesOf(form), accountErrors(created.problems, t), await listUnits(db), 422);
    }
    const link = `${config.baseUrl}/set-password/${created.token ?? ''}`;
    renderLinkOnce(res, t('admin.user.invite', { name: form.display_name, hours: PASSWORD_LINK_HOURS }), link, `/admin/users/${created.id}${langQuery}`);
  });

  async function renderUser(res: Response, user: User, units: Unit[], values: UserFormValues | null, errors: FormErrors, status = 200) {
    const locale = localeOf(res);
    const staff = staffOf(res);
    const tokens = await listTokens(db, user.id);
    const fields = presentUserFields(staff, values ?? userFormValuesOf(user), errors, units, false, locale.t);
    renderStaffPage(res, 'pages/admin/user', { title: `${user.display_name} (${user.username})`, section: 'users', status }, presentUserPage(staff, user, tokens, fields, now().toISOString(), locale));
  }

  router.get('/admin/users/:id', async (req, res) => {
    const found = await userOr404(req, res);
    if (found) await renderUser(res, found.user, found.units, null, {});
  });

  router.post('/admin/users/:id', async (req, res) => {
    const found = await userOr404(req, res);
    if (!found) return;
    const { user, units } = found;
    const form = formOf(req);
    const input = { displayName: form.display_name, role: form.role, unitId: unitIdOf(form), paperEntry: form.paper_entry, ...mailOf(form) };
    const saved = await updateAccount(db, staffOf(res), user, input, now().toISOString());
    if (!saved.ok) {
      if (saved.status === 403) return renderError(res, 403);
      if (saved.status === 409) return renderError(res, 409, 'admin.user.last.title', 'admin.user.last.demote');
      return renderUser(res, user, units, { ...valuesOf(form), username: user.username }, accountErrors(saved.problems, localeOf(res).t), 422);
    }
    setFlash(req, 'admin.saved');
    res.redirect(303, `/admin/users/${user.id}${localeOf(res).langQuery}`);
  });

  router.post('/admin/users/:id/active', async (req, res) => {
    const found = await userOr404(req, res);
    if (!found) return;
    const { user } = found;
    const parsed = ActiveFormSchema.safeParse(req.body ?? {});
    const active = parsed.success && parsed.data.active;
    const done = await setAccountActive(db, staffActor(staffOf(res)), user, active, now().toISOString());
    if (!done.ok && done.status === 403) return renderError(res, 403);
    if (!done.ok && done.reason === 'last-admin') return renderError(res, 409, 'admin.user.last.title', 'admin.user.last.disable');
    // Already so (a second click): nothing to do, the same answer.
    const ended = done.ok ? done.ended : { sessions: 0, tokens: 0 };
    setFlash(req, active ? 'admin.user.enabled' : 'admin.user.disabled', { name: user.display_name, ...ended });
    res.redirect(303, `/admin/users/${user.id}${localeOf(res).langQuery}`);
  });

  router.post('/admin/users/:id/reset', async (req, res) => {
    const found = await userOr404(req, res);
    if (!found) return;
    const { user } = found;
    const issued = await issuePasswordLink(db, staffOf(res), user, now().toISOString());
    if (!issued.ok) return issued.status === 403 ? renderError(res, 403) : renderError(res, 409, 'admin.user.reset.title', 'admin.user.reset.disabled');
    const { t, langQuery } = localeOf(res);
    renderLinkOnce(res, t('admin.user.reset.link', { name: user.display_name, hours: PASSWORD_LINK_HOURS }), `${config.baseUrl}/set-password/${issued.token}`, `/admin/users/${user.id}${langQuery}`);
  });

  // Same permission as a password reset: whoever manages the account.
  router.post('/admin/users/:id/unlock', async (req, res) => {
    const found = await userOr404(req, res);
    if (!found) return;
    const { user } = found;
    const issued = await issueUnlockLink(db, staffOf(res), user, now().toISOString());
    if (!issued.ok) {
      if (issued.status === 403) return renderError(res, 403);
      return renderError(res, 409, 'admin.user.unlock.refused', issued.reason === 'disabled' ? 'admin.user.unlock.disabled' : 'admin.user.unlock.invited');
    }
    const { t, langQuery } = localeOf(res);
    const link = `${config.baseUrl}/unlock/${issued.token}`;
    renderLinkOnce(res, t('admin.user.unlock.link', { name: user.display_name, hours: UNLOCK_LINK_HOURS }), link, `/admin/users/${user.id}${langQuery}`, 'admin.user.unlock.title');
  });

  router.post('/admin/users/:id/tokens/:tokenId/revoke', async (req, res) => {
    const found = await userOr404(req, res);
    if (!found) return;
    const params = TokenParamsSchema.safeParse(req.params);
    if (!params.success) return renderError(res, 404);
    const revoked = await revokeApiToken(db, staffActor(staffOf(res)), { tokenId: params.data.tokenId, owner: found.user }, now().toISOString());
    if (!revoked.ok) return renderError(res, revoked.status);
    setFlash(req, 'admin.token.revoked');
    res.redirect(303, `/admin/users/${found.user.id}${localeOf(res).langQuery}`);
  });

  return router;
}
