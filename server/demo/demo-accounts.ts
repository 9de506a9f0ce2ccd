/**
 * Demo accounts for `npm run demo`: an administrator and a manager of the provincial center, with
 * random passwords made on the demo database's first run. The passwords are kept in the demo
 * database's settings so that every demo start can print them; real databases never get these.
 */
import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import { getOrInitSetting } from '../../db/queries/settings.ts';
import { findUnitByCode } from '../../db/queries/units.ts';
import { createUser, findUserByUsername } from '../../db/queries/users.ts';
import type { Database, Role } from '../../db/schema.ts';
import { hashPassword } from '../auth/passwords.ts';

interface DemoAccount {
  username: string;
  name: string;
  role: Role;
  unitCode: string | null;
}

const ACCOUNTS: DemoAccount[] = [
  { username: 'demo-admin', name: 'Quản trị (demo)', role: 'admin', unitCode: null },
  { username: 'demo-quanly', name: 'Quản lý Trung tâm PVHCC tỉnh (demo)', role: 'manager', unitCode: 'trung-tam-phuc-vu-hanh-chinh-cong-tinh-nghe-an' },
];

export async function ensureDemoLogin(db: Kysely<Database>): Promise<{ username: string; password: string; role: Role }[]> {
  const result = [];
  for (const account of ACCOUNTS) {
    const password = await getOrInitSetting(db, `demo_password_${account.username}`, randomBytes(9).toString('base64url'));
    if (!(await findUserByUsername(db, account.username))) {
      const unit = account.unitCode ? await findUnitByCode(db, account.unitCode) : null;
      await createUser(
        db,
        { username: account.username, displayName: account.name, passwordHash: await hashPassword(password), role: account.role, unitId: unit?.id ?? null },
        new Date().toISOString(),
      );
    }
    result.push({ username: account.username, password, role: account.role });
  }
  return result;
}
