/**
 * Tests speak the app's language (issue 19, item 4): a citizen at a desk opens the form and sends
 * answers, a staff member posts a form from the page it is on. The form token (`ft`) and the CSRF
 * token (`_csrf`) are taken from the page each time, as a browser does, so no test writes them by
 * hand; a test about the tokens themselves still can.
 */
import type { Express } from 'express';
import request from 'supertest';
import { citizen as newCitizen, formTokenOf } from './builders.ts';
import { csrfOf, PASSWORD, signIn } from './staff.ts';

type Form = Record<string, string | string[]>;

export interface Citizen {
  /** The headers that make this citizen one phone at one address. */
  who: Record<string, string>;
  /** Opens the form at the desk's address (or a tablet's, or a dossier link's). */
  open(path?: string): request.Test;
  /** Opens the form, then sends these answers with the form's own token; the POST's response. */
  submit(answers: Form, path?: string): Promise<request.Response>;
}

export function citizenAt(app: Express, desk: { url: string }, who = newCitizen()): Citizen {
  const open = (path = desk.url) => request(app).get(path).set(who);
  return {
    who,
    open,
    async submit(answers, path = desk.url) {
      const form = await open(path).expect(200);
      return request(app).post(path).set(who).type('form').send({ ft: formTokenOf(form.text), ...answers });
    },
  };
}

export interface StaffMember {
  /** The signed-in session, for anything else (downloads, following links). */
  agent: ReturnType<typeof request.agent>;
  get(path: string): request.Test;
  /**
   * Posts a form the way a browser does: from the page it is on (`from`, by default the action's
   * own address without its query), with that page's CSRF token.
   */
  post(action: string, form?: Form, from?: string): Promise<request.Response>;
}

export async function staffMember(app: Express, username: string, password = PASSWORD): Promise<StaffMember> {
  const agent = await signIn(app, username, password);
  return {
    agent,
    get: (path) => agent.get(path),
    async post(action, form = {}, from) {
      const page = await agent.get(from ?? action).expect(200);
      return agent.post(action).type('form').send({ _csrf: csrfOf(page.text), ...form });
    },
  };
}
