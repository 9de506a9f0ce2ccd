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
      created_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return id;
}

export async function recordLogin(db: Kysely<Database>, userId: number, now: string): Promise<void> {
  await db.updateTable('users').set({ last_login_at: now }).where('id', '=', userId).execute();
}

export async function audit(db: Kysely<Database>, entry: { at: string; userId: number | null; action: string; subject: string; detail?: string }): Promise<void> {
  await db
    .insertInto('audit_log')
    .values({ at: entry.at, user_id: entry.userId, action: entry.action, subject: entry.subject, detail: entry.detail ?? '' })
    .execute();
}
