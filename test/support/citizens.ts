/**
 * Many citizens, as the survey's stuffing guard sees them: each on a phone and an address of their
 * own, so a test that stands for a queue of people is not read as one person sending form after
 * form (server/survey/signals.ts) or held to one client's rate limits. The app must be started with
 * CITIZENS_ENV, which trusts the loopback proxy to name the client in X-Forwarded-For.
 */
import type { Express } from 'express';
import request from 'supertest';

export const CITIZENS_ENV = { TRUST_PROXY: 'loopback' } as const;

let citizens = 0;

/** A citizen's address never used before in this test run (10.0.0.1, 10.0.0.2, ...). */
export function newCitizen(): string {
  const n = ++citizens;
  return `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`;
}

/** The survey page of a desk as this citizen opens it. */
export function openForm(app: Express, deskUrl: string, citizen: string): request.Test {
  return request(app).get(deskUrl).set('X-Forwarded-For', citizen);
}

/** A form sent by this citizen. */
export function sendForm(app: Express, deskUrl: string, citizen: string, body: Record<string, unknown>): request.Test {
  return request(app).post(deskUrl).set('X-Forwarded-For', citizen).type('form').send(body);
}
