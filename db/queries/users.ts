import type { Kysely } from 'kysely';
import type { Database, Role, User } from '../schema.ts';

export async function countUsers(db: Kysely<Database>): Promise<number> {
  const row = await db.selectFrom('users').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function findUserByUsername(db: Kysely<Database>, username: string): Promise<User | undefined> {
  return db.selectFrom('users').selectAll().where('username', '=', username).executeTakeFirst();
}

export async function findActiveUser(db: Kysely<Database>, id: number): Promise<User | undefined> {
  return db.selectFrom('users').selectAll().where('id', '=', id).where('active', '=', 1).executeTakeFirst();
}

export interface NewUser {
  username: string;
  displayName: string;
  passwordHash: string;
  role: Role;
  unitId: number | null;
  /** A viewer who may also type in paper forms of their unit (default: no). */
  paperEntry?: boolean;
  /** Where alert emails go (default: none), their language (default: 'vi'), whether they are sent (default: yes). */
  email?: string | null;
  lang?: 'vi' | 'en';
  alertEmails?: boolean;
}

export async function createUser(db: Kysely<Database>, user: NewUser, now: string): Promise<number> {
  const { id } = await db
    .insertInto('users')
    .values({
      username: user.username,
      display_name: user.displayName,
      password_hash: user.passwordHash,
      role: user.role,
      unit_id: user.unitId,
      ...(user.paperEntry === true ? { paper_entry: 1 } : {}),
      ...(user.email != null ? { email: user.email } : {}),
      ...(user.lang !== undefined ? { lang: user.lang } : {}),
      ...(user.alertEmails === false ? { alert_emails: 0 } : {}),
      created_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return id;
}

export async function recordLogin(db: Kysely<Database>, userId: number, now: string): Promise<void> {
  await db.updateTable('users').set({ last_login_at: now }).where('id', '=', userId).execute();
}

export interface UserListing {
  id: number;
  username: string;
  displayName: string;
  role: Role;
  unitId: number | null;
  unitName: string | null;
  active: boolean;
  paperEntry: boolean;
  /** False until the person has used their invitation link. */
  hasPassword: boolean;
  createdAt: string;
  lastLoginAt: string | null;
}

export async function listUsers(db: Kysely<Database>): Promise<UserListing[]> {
  const rows = await db
    .selectFrom('users')
    .leftJoin('units', 'units.id', 'users.unit_id')
    .select([
      'users.id', 'users.username', 'users.display_name', 'users.role', 'users.unit_id', 'units.name as unit_name', 'users.active',
      'users.paper_entry', 'users.password_hash', 'users.created_at', 'users.last_login_at',
    ])
    .orderBy('users.username')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    username: r.username,
    displayName: r.display_name,
    role: r.role,
    unitId: r.unit_id,
    unitName: r.unit_name,
    active: r.active === 1,
    paperEntry: r.paper_entry === 1,
    hasPassword: r.password_hash !== '',
    createdAt: r.created_at,
    lastLoginAt: r.last_login_at,
  }));
}

export async function findUser(db: Kysely<Database>, id: number): Promise<User | undefined> {
  return db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
}

export interface UserChanges {
  displayName: string;
  role: Role;
  unitId: number | null;
  paperEntry: boolean;
  email: string | null;
  lang: 'vi' | 'en';
  alertEmails: boolean;
}

export async function updateUser(db: Kysely<Database>, id: number, changes: UserChanges): Promise<void> {
  await db
    .updateTable('users')
    .set({
      display_name: changes.displayName,
      role: changes.role,
      unit_id: changes.unitId,
      paper_entry: changes.paperEntry ? 1 : 0,
      email: changes.email,
      lang: changes.lang,
      alert_emails: changes.alertEmails ? 1 : 0,
    })
    .where('id', '=', id)
    .execute();
}

export async function setUserActive(db: Kysely<Database>, id: number, active: boolean): Promise<void> {
  await db.updateTable('users').set({ active: active ? 1 : 0 }).where('id', '=', id).execute();
}

/** Active administrators other than `exceptId`: the last one may not be disabled or demoted. */
export async function countOtherActiveAdmins(db: Kysely<Database>, exceptId: number): Promise<number> {
  const row = await db
    .selectFrom('users')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('role', '=', 'admin')
    .where('active', '=', 1)
    .where('id', '!=', exceptId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function setPasswordHash(db: Kysely<Database>, userId: number, passwordHash: string): Promise<void> {
  await db.updateTable('users').set({ password_hash: passwordHash }).where('id', '=', userId).execute();
}
