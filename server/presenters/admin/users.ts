/**
 * Why: the view models of /admin/users were built by hand in the route (issue 19); they are built
 * here: the list of accounts, the account form's fields (the roles and units the person may give),
 * an account's page with its API tokens, and the command's problems in the reader's language.
 */
import type { TokenListing } from '../../../db/queries/api-tokens.ts';
import type { UserListing } from '../../../db/queries/users.ts';
import type { Unit, User } from '../../../db/schema.ts';
import type { AccountProblems } from '../../accounts/rules.ts';
import { assignableRoles, managedUnitIds } from '../../auth/permissions.ts';
import type { Staff } from '../../auth/scope.ts';
import type { Translate } from '../../i18n/index.ts';
import type { LocaleLocals } from '../../middleware/locale.ts';
import type { FormErrors } from '../../routes/form-schema.ts';
import { formatDateTime } from '../format.ts';

/** The account form as typed (strings), for showing it again with its messages. */
export interface UserFormValues {
  username: string;
  displayName: string;
  role: string;
  unitId: string;
  paperEntry: boolean;
  email: string;
  lang: string;
  alertEmails: boolean;
}

/** What the presenters need of the reader's language (middleware/locale.ts). */
export type Locale = Pick<LocaleLocals, 't' | 'lang' | 'langQuery'>;

/** The command's problems as messages next to the form's fields. */
export function accountErrors(problems: AccountProblems, t: Translate): FormErrors {
  const errors: FormErrors = {};
  for (const field of ['username', 'displayName', 'role', 'unit', 'email', 'lang'] as const) {
    const problem = problems[field];
    if (problem) errors[field] = t(problem.key, problem.params);
  }
  return errors;
}

/** The accounts the person manages (the route asks who may), one row each. */
export function presentUserRows(users: UserListing[], { t, lang, langQuery }: Locale) {
  return users.map((u) => ({
    href: `/admin/users/${u.id}${langQuery}`,
    username: u.username,
    displayName: u.displayName,
    role: t(`role.${u.role}`),
    unit: u.unitName ?? t('admin.user.unit.none'),
    state: !u.active ? t('admin.user.state.disabled') : !u.hasPassword ? t('admin.user.state.invited') : t('admin.user.state.active'),
    active: u.active,
    lastLogin: u.lastLoginAt ? formatDateTime(u.lastLoginAt, lang) : '—',
  }));
}

/** The account form's fields: the user name only when creating; the roles and units the person may give. */
export function presentUserFields(staff: Staff, values: UserFormValues, errors: FormErrors, units: Unit[], creating: boolean, t: Translate) {
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
    email: { name: 'email', type: 'email', label: t('account.email'), value: values.email, error: errors.email, hint: t('account.email.hint'), maxlength: 254, autocomplete: 'off' },
    lang: {
      name: 'lang',
      type: 'select',
      label: t('account.lang'),
      error: errors.lang,
      options: (['vi', 'en'] as const).map((l) => ({ value: l, label: t(`account.lang.${l}`), selected: l === values.lang })),
    },
    alertEmails: { name: 'alert_emails', type: 'checkbox', label: t('account.alert.emails'), hint: t('account.alert.emails.hint'), checked: values.alertEmails },
  };
}

/** What an account's form shows before anything is typed. */
export function userFormValuesOf(user: User): UserFormValues {
  return {
    username: user.username,
    displayName: user.display_name,
    role: user.role,
    unitId: user.unit_id === null ? '' : String(user.unit_id),
    paperEntry: user.paper_entry === 1,
    email: user.email ?? '',
    lang: user.lang,
    alertEmails: user.alert_emails === 1,
  };
}

/** An account's page: its state, its form, its API tokens. */
export function presentUserPage(
  staff: Staff,
  user: User,
  tokens: TokenListing[],
  fields: ReturnType<typeof presentUserFields>,
  now: string,
  { t, lang, langQuery }: Locale,
) {
  return {
    id: user.id,
    active: user.active === 1,
    invited: user.password_hash === '',
    isSelf: user.id === staff.id,
    fields,
    tokens: tokens.map((tk) => ({
      id: tk.id,
      label: tk.label,
      created: formatDateTime(tk.createdAt, lang),
      expires: formatDateTime(tk.expiresAt, lang),
      lastUsed: tk.lastUsedAt ? formatDateTime(tk.lastUsedAt, lang) : '—',
      revoked: tk.revokedAt ? formatDateTime(tk.revokedAt, lang) : null,
      expired: tk.revokedAt === null && tk.expiresAt <= now,
    })),
    lastLogin: user.last_login_at ? formatDateTime(user.last_login_at, lang) : t('admin.user.never'),
    back: `/admin/users${langQuery}`,
  };
}
