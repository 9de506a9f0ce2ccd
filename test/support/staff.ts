/** Staff accounts and signed-in supertest agents. */
import type { Express } from 'express';
import type { Kysely } from 'kysely';
import type { Page } from 'playwright-core';
import request from 'supertest';
import { createApiToken } from '../../db/queries/api-tokens.ts';
import { createUser } from '../../db/queries/users.ts';
import type { Database, Role } from '../../db/schema.ts';
import { apiTokenExpiry, newApiToken } from '../../server/auth/api-tokens.ts';
import { hashPassword } from '../../server/auth/passwords.ts';

export const PASSWORD = 'mật-khẩu-thử-nghiệm-2025';

export async function buildUser(db: Kysely<Database>, username: string, role: Role, unitCode: string | null): Promise<number> {
  const unit = unitCode === null ? null : await db.selectFrom('units').select('id').where('code', '=', unitCode).executeTakeFirstOrThrow();
  return createUser(db, { username, displayName: `Cán bộ ${username}`, passwordHash: await hashPassword(PASSWORD), role, unitId: unit?.id ?? null }, new Date().toISOString());
}

export async function buildToken(db: Kysely<Database>, userId: number, createdAt = new Date(), days?: number, permissions = 'read'): Promise<string> {
  const { token, hash } = newApiToken();
  await createApiToken(db, { userId, tokenHash: hash, label: 'test', createdAt: createdAt.toISOString(), expiresAt: apiTokenExpiry(createdAt, days), permissions });
  return token;
}

export function csrfOf(html: string): string {
  const match = /name="_csrf" value="([^"]+)"/.exec(html);
  if (!match?.[1]) throw new Error('no CSRF token in page');
  return match[1];
}

export async function signIn(app: Express, username: string, password = PASSWORD): Promise<ReturnType<typeof request.agent>> {
  const agent = request.agent(app);
  const page = await agent.get('/login').expect(200);
  await agent.post('/login').type('form').send({ _csrf: csrfOf(page.text), username, password, next: '/dashboard' }).expect(303);
  return agent;
}

/** Posts a staff form the way a browser does: the page first, for its CSRF token. */
/** Signs in through the login page in a browser, as a person would, and waits for the dashboard. */
export async function signInBrowser(page: Page, url: string, username: string, password = PASSWORD): Promise<void> {
  await page.goto(`${url}/login`);
  await page.fill('input[name=username]', username);
  await page.fill('input[name=password]', password);
  await page.click('button[type=submit]');
  await page.waitForURL(/\/dashboard/);
}

export async function postForm(
  agent: ReturnType<typeof request.agent>,
  pageUrl: string,
  action: string,
  fields: Record<string, string | string[]>,
): Promise<request.Response> {
  const page = await agent.get(pageUrl).expect(200);
  return agent.post(action).type('form').send({ _csrf: csrfOf(page.text), ...fields });
}
