/**
 * /admin/users: staff accounts. Administrators manage everyone; a manager manages the viewers of
 * their own units. A new account gets a one-time link to set its password (nobody types a password
 * for someone else); disabling an account ends its sessions and API tokens at once; the last
 * active administrator cannot be disabled or demoted. An official kept out of a new phone by someone
 * else's wrong passwords gets a one-time sign-in unlock link (routes/unlock.ts) from whoever manages
 * their account.
 */
import { createHash, randomBytes } from 'node:crypto';
import { type Request, type Response, Router } from 'express';
import { listTokens, revokeToken } from '../../../db/queries/api-tokens.ts';
import { audit } from '../../../db/queries/audit.ts';
import { createPasswordLink } from '../../../db/queries/password-links.ts';
import { listUnits } from '../../../db/queries/units.ts';
import { createUnlockLink } from '../../../db/queries/unlock-links.ts';
import { createUser, findUser, findUserByUsername, listUsers, updateUser } from '../../../db/queries/users.ts';
import type { Role, Unit, User } from '../../../db/schema.ts';
import { disableAccount, enableAccount, type Ended, isLastActiveAdmin } from '../../auth/accounts.ts';
import { staffOf } from '../../auth/middleware.ts';
import { USERNAME_PATTERN } from '../../auth/passwords.ts';
import { assignableRoles, authorize, managedUnitIds } from '../../auth/permissions.ts';
import { setFlash } from '../../middleware/flash.ts';
import type { MessageKey } from '../../i18n/index.ts';
import { localeOf } from '../../middleware/locale.ts';
import { formatDateTime } from '../../presenters/format.ts';
import { renderError } from '../../middleware/render.ts';
import type { RouteDeps } from '../deps.ts';
import { UNLOCK_LINK_HOURS } from '../unlock.ts';
import { bodyOf, checked, type FormErrors, positiveId, text } from './forms.ts';
import { renderStaffPage } from './page.ts';

/** A set-password link is for the person it was made for, within a few days. */
export const PASSWORD_LINK_HOURS = 72;

interface UserFormValues {
  username: string;
  displayName: string;
  role: string;
  unitId: string;
  paperEntry: boolean;
}

export function adminUserRoutes({ db, config, now }: RouteDeps): Router {
  const router = Router();

  /** A fresh one-time link for the user, stored only as its hash. */
  async function passwordLink(userId: number, purpose: 'invite' | 'reset', by: number): Promise<string> {
    const token = randomBytes(24).toString('base64url');
    const at = now();
    await createPasswordLink(db, {
      userId,
      tokenHash: createHash('sha256').update(token).digest('hex'),
      purpose,
      createdAt: at.toISOString(),
      expiresAt: new Date(at.getTime() + PASSWORD_LINK_HOURS * 3_600_000).toISOString(),
      createdBy: by,
    });
    return `${config.baseUrl}/set-password/${token}`;
  }

  /** A fresh one-time sign-in unlock link for the user (replacing an unused one), stored only as its hash. */
  async function unlockLink(userId: number, username: string, by: number): Promise<string> {
    const token = randomBytes(24).toString('base64url');
    const at = now();
    await createUnlockLink(db, {
      userId,
      tokenHash: createHash('sha256').update(token).digest('hex'),
      createdAt: at.toISOString(),
      expiresAt: new Date(at.getTime() + UNLOCK_LINK_HOURS * 3_600_000).toISOString(),
      createdBy: by,
    }, username);
    return `${config.baseUrl}/unlock/${token}`;
  }

  /**
   * The answer to the POST that made a link: the link itself, once. It is never put in the session
   * (a flash would sit in clear in the sessions table until the next page, and a backup of that table
   * would hold a working link) nor anywhere else; like every staff answer it is sent with Cache-Control:
   * no-store (middleware/staff-frame.ts).
   * Lost before it was handed over: make a new one, which replaces it.
   */
  function renderLinkOnce(req: Request, res: Response, message: string, link: string, next: string, title: MessageKey = 'admin.user.link.title'): void {
    const { t } = localeOf(res);
    renderStaffPage(res, 'pages/admin/password-link', { title: t(title), section: 'users' }, { message, link, next });
  }

  async function userOr404(req: Request, res: Response): Promise<{ user: User; units: Unit[] } | null> {
    const id = positiveId(req.params.id);
    const user = id === null ? undefined : await findUser(db, id);
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

  function formFields(res: Response, values: UserFormValues, errors: FormErrors, units: Unit[], creating: boolean) {
    const staff = staffOf(res);
    const { t } = localeOf(res);
    const managed = managedUnitIds(staff, units);
    const unitOptions = units
      .filter((u) => managed === null || managed.includes(u.id))
      .sort((a, b) => a.name.localeCompare(b.name, 'vi'))
      .map((u) => ({ value: String(u.id), label: `${u.name} (${u.code})`, selected: String(u.id) === values.unitId }));
    return {
      username: creating
        ? { name: 'username', label: t('login.username'), value: values.username, error: errors.username, hint: t('admin.user.username.hint'), required: true, maxlength: 40, autocomplete: 'off' }
        : null,
      displayName: { name: 'display_name', label: t('setup.display.name'), value: values.displayName, error: errors.displayName, required: true, maxlength: 100 },
      role: {
        name: 'role',
        type: 'select',
        label: t('admin.user.role'),
        error: errors.role,
        required: true,
        options: assignableRoles(staff).map((r) => ({ value: r, label: t(`role.${r}`), selected: r === values.role })),
        hint: t('admin.user.role.hint'),
      },
      unit: {
        name: 'unit',
        type: 'select',
        label: t('admin.user.unit'),
        error: errors.unit,
        hint: t('admin.user.unit.hint'),
        options: [...(managed === null ? [{ value: '', label: t('admin.user.unit.none'), selected: values.unitId === '' }] : []), ...unitOptions],
      },
      paperEntry: { name: 'paper_entry', type: 'checkbox', label: t('admin.user.paper'), hint: t('admin.user.paper.hint'), checked: values.paperEntry },
    };
  }

  /** Checks role, unit and name against what the signed-in person may give. */
  function readForm(req: Request, res: Response, units: Unit[], creating: boolean): { values: UserFormValues; errors: FormErrors } {
    const staff = staffOf(res);
    const { t } = localeOf(res);
    const body = bodyOf(req);
    const values: UserFormValues = {
      username: text(body, 'username').toLowerCase(),
      displayName: text(body, 'display_name'),
      role: text(body, 'role'),
      unitId: text(body, 'unit'),
      paperEntry: checked(body, 'paper_entry'),
    };
    const errors: FormErrors = {};
    if (creating && !USERNAME_PATTERN.test(values.username)) errors.username = t('setup.error.username');
    if (values.displayName === '' || values.displayName.length > 100) errors.displayName = t('setup.error.name');
    if (!assignableRoles(staff).includes(values.role as Role)) errors.role = t('admin.user.error.role');
    const managed = managedUnitIds(staff, units);
    if (values.unitId === '') {
      // Only administrators see every unit without being tied to one.
      if (values.role !== 'admin') errors.unit = t('admin.user.error.unit.required');
    } else if (!units.some((u) => String(u.id) === values.unitId) || (managed !== null && !managed.includes(Number(values.unitId)))) {
      errors.unit = t('admin.user.error.unit');
    }
    return { values, errors };
  }

  router.get('/admin/users', async (req, res) => {
    const staff = staffOf(res);
    const { t, lang, langQuery } = localeOf(res);
    const [users, units] = await Promise.all([listUsers(db), listUnits(db)]);
    const rows = users
      .filter((u) => authorize(staff, 'manageUser', { user: { role: u.role, unitId: u.unitId }, units }))
      .map((u) => ({
        href: `/admin/users/${u.id}${langQuery}`,
        username: u.username,
        displayName: u.displayName,
        role: t(`role.${u.role}`),
        unit: u.unitName ?? t('admin.user.unit.none'),
        state: !u.active ? t('admin.user.state.disabled') : !u.hasPassword ? t('admin.user.state.invited') : t('admin.user.state.active'),
        active: u.active,
        lastLogin: u.lastLoginAt ? formatDateTime(u.lastLoginAt, lang) : '—',
      }));
    renderStaffPage(res, 'pages/admin/users', { title: t('admin.users.title'), section: 'users' }, { rows, newHref: `/admin/users/new${langQuery}` });
  });

  function renderNew(req: Request, res: Response, values: UserFormValues, errors: FormErrors, units: Unit[], status = 200) {
    const { t } = localeOf(res);
    renderStaffPage(res, 'pages/admin/user-form', { title: t('admin.user.new.title'), section: 'users', status }, {
      fields: formFields(res, values, errors, units, true),
      action: '/admin/users',
      cancel: '/admin/users',
      submit: t('admin.user.create'),
    });
  }

  router.get('/admin/users/new', async (req, res) => {
    const staff = staffOf(res);
    renderNew(req, res, { username: '', displayName: '', role: 'viewer', unitId: staff.unitId === null ? '' : String(staff.unitId), paperEntry: false }, {}, await listUnits(db));
  });

  router.post('/admin/users', async (req, res) => {
    const staff = staffOf(res);
    const { t, langQuery } = localeOf(res);
    const units = await listUnits(db);
    const { values, errors } = readForm(req, res, units, true);
    if (!errors.username && (await findUserByUsername(db, values.username))) errors.username = t('admin.user.error.taken', { username: values.username });
    if (Object.keys(errors).length > 0) return renderNew(req, res, values, errors, units, 422);
    const at = now().toISOString();
    const unitId = values.unitId === '' ? null : Number(values.unitId);
    // No password yet: nobody can sign in as this account until its owner opens the link.
    const id = await createUser(db, { username: values.username, displayName: values.displayName, passwordHash: '', role: values.role as Role, unitId }, at);
    if (values.paperEntry) await updateUser(db, id, { displayName: values.displayName, role: values.role as Role, unitId, paperEntry: true });
    const link = await passwordLink(id, 'invite', staff.id);
    await audit(db, { at, userId: staff.id, action: 'user.create', subject: values.username, after: { role: values.role, unitId, paperEntry: values.paperEntry } });
    renderLinkOnce(req, res, t('admin.user.invite', { name: values.displayName, hours: PASSWORD_LINK_HOURS }), link, `/admin/users/${id}${langQuery}`);
  });

  async function renderUser(req: Request, res: Response, user: User, units: Unit[], values: UserFormValues | null, errors: FormErrors, status = 200) {
    const { t, lang, langQuery } = localeOf(res);
    const tokens = await listTokens(db, user.id);
    const current = values ?? { username: user.username, displayName: user.display_name, role: user.role, unitId: user.unit_id === null ? '' : String(user.unit_id), paperEntry: user.paper_entry === 1 };
    renderStaffPage(res, 'pages/admin/user', { title: `${user.display_name} (${user.username})`, section: 'users', status }, {
      id: user.id,
      active: user.active === 1,
      invited: user.password_hash === '',
      isSelf: user.id === staffOf(res).id,
      fields: formFields(res, current, errors, units, false),
      tokens: tokens.map((tk) => ({
        id: tk.id,
        label: tk.label,
        created: formatDateTime(tk.createdAt, lang),
        expires: formatDateTime(tk.expiresAt, lang),
        lastUsed: tk.lastUsedAt ? formatDateTime(tk.lastUsedAt, lang) : '—',
        revoked: tk.revokedAt ? formatDateTime(tk.revokedAt, lang) : null,
        expired: tk.revokedAt === null && tk.expiresAt <= now().toISOString(),
      })),
      lastLogin: user.last_login_at ? formatDateTime(user.last_login_at, lang) : t('admin.user.never'),
      back: `/admin/users${langQuery}`,
    });
  }

  router.get('/admin/users/:id', async (req, res) => {
    const found = await userOr404(req, res);
    if (found) await renderUser(req, res, found.user, found.units, null, {});
  });

  router.post('/admin/users/:id', async (req, res) => {
    const found = await userOr404(req, res);
    if (!found) return;
    const { user, units } = found;
    const staff = staffOf(res);
    const { values, errors } = readForm(req, res, units, false);
    if (Object.keys(errors).length > 0) return renderUser(req, res, user, units, { ...values, username: user.username }, errors, 422);
    if (values.role !== 'admin' && (await isLastActiveAdmin(db, user))) return renderError(res, 409, 'admin.user.last.title', 'admin.user.last.demote');
    const after = { displayName: values.displayName, role: values.role as Role, unitId: values.unitId === '' ? null : Number(values.unitId), paperEntry: values.paperEntry };
    await updateUser(db, user.id, after);
    await audit(db, {
      at: now().toISOString(),
      userId: staff.id,
      action: 'user.update',
      subject: user.username,
      before: { displayName: user.display_name, role: user.role, unitId: user.unit_id, paperEntry: user.paper_entry === 1 },
      after,
    });
    setFlash(req, 'admin.saved');
    res.redirect(303, `/admin/users/${user.id}${localeOf(res).langQuery}`);
  });

  router.post('/admin/users/:id/active', async (req, res) => {
    const found = await userOr404(req, res);
    if (!found) return;
    const { user } = found;
    const active = text(bodyOf(req), 'active') === '1';
    if (!active && (await isLastActiveAdmin(db, user))) return renderError(res, 409, 'admin.user.last.title', 'admin.user.last.disable');
    const at = now().toISOString();
    let ended: Ended = { sessions: 0, tokens: 0 };
    if (active) await enableAccount(db, user.id);
    else ended = await disableAccount(db, user.id, at);
    await audit(db, {
      at,
      userId: staffOf(res).id,
      action: active ? 'user.enable' : 'user.disable',
      subject: user.username,
      before: { active: user.active === 1 },
      after: { active, ...(active ? {} : ended) },
    });
    setFlash(req, active ? 'admin.user.enabled' : 'admin.user.disabled', { name: user.display_name, ...ended });
    res.redirect(303, `/admin/users/${user.id}${localeOf(res).langQuery}`);
  });

  router.post('/admin/users/:id/reset', async (req, res) => {
    const found = await userOr404(req, res);
    if (!found) return;
    const { user } = found;
    if (user.active !== 1) return renderError(res, 409, 'admin.user.reset.title', 'admin.user.reset.disabled');
    const staff = staffOf(res);
    const link = await passwordLink(user.id, user.password_hash === '' ? 'invite' : 'reset', staff.id);
    await audit(db, { at: now().toISOString(), userId: staff.id, action: 'user.reset', subject: user.username });
    const { t, langQuery } = localeOf(res);
    renderLinkOnce(req, res, t('admin.user.reset.link', { name: user.display_name, hours: PASSWORD_LINK_HOURS }), link, `/admin/users/${user.id}${langQuery}`);
  });

  // Same permission as a password reset: whoever manages the account (userOr404).
  router.post('/admin/users/:id/unlock', async (req, res) => {
    const found = await userOr404(req, res);
    if (!found) return;
    const { user } = found;
    if (user.active !== 1) return renderError(res, 409, 'admin.user.unlock.refused', 'admin.user.unlock.disabled');
    if (user.password_hash === '') return renderError(res, 409, 'admin.user.unlock.refused', 'admin.user.unlock.invited');
    const staff = staffOf(res);
    const link = await unlockLink(user.id, user.username, staff.id);
    const { t, langQuery } = localeOf(res);
    renderLinkOnce(req, res, t('admin.user.unlock.link', { name: user.display_name, hours: UNLOCK_LINK_HOURS }), link, `/admin/users/${user.id}${langQuery}`, 'admin.user.unlock.title');
  });

  router.post('/admin/users/:id/tokens/:tokenId/revoke', async (req, res) => {
    const found = await userOr404(req, res);
    if (!found) return;
    const tokenId = positiveId(req.params.tokenId);
    const at = now().toISOString();
    if (tokenId === null || !(await revokeToken(db, found.user.id, tokenId, at))) return renderError(res, 404);
    await audit(db, { at, userId: staffOf(res).id, action: 'token.revoke', subject: found.user.username, detail: `token ${tokenId}` });
    setFlash(req, 'admin.token.revoked');
    res.redirect(303, `/admin/users/${found.user.id}${localeOf(res).langQuery}`);
  });

  return router;
}
