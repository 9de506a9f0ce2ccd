/**
 * Tests speak the app's language (issue 19, item 4): a citizen at a desk opens the form and sends
 * answers, a staff member posts a form from the page it is on. The form token (`ft`) and the CSRF
 * token (`_csrf`) are taken from the page each time, as a browser does, so no test writes them by
 * hand; a test about the tokens themselves still can.
 */
import type { Express } from 'express';
import request from 'supertest';
import { citizen as newCitizen } from './builders.ts';
import { csrfOf, PASSWORD } from './staff.ts';

type Form = Record<string, string | string[]>;

/** Where a request goes: an app in this process, or the base URL of a running server (another process). */
export type Target = Express | string;

/** The survey form on a page: where it is sent, and its hidden token's name and value (read, never written). */
function surveyFormOf(html: string): { action: string; name: string; value: string } {
  const match = /<form [^>]*class="survey__form"[^>]*action="([^"]*)"[^>]*>\s*<input type="hidden" name="([^"]+)" value="([^"]+)">/.exec(html);
  if (!match?.[1] || !match[2] || !match[3]) throw new Error('no survey form on the page');
  return { action: match[1].replaceAll('&amp;', '&'), name: match[2], value: match[3] };
}

/**
 * A survey form in a citizen's hand, as a browser tab holds it: sent as often as the citizen presses
 * Send, to the address the page gives (or another, for tests that the door is checked), always with
 * its own token.
 */
export interface HeldForm {
  /** The page the form is on. */
  page: request.Response;
  /**
   * The form's token as the page gave it, for assertions about it (its nonce, the `?f=` address);
   * sending never needs it.
   */
  token: string;
  /** Where the page sends the form (changes with the language chosen). */
  action: string;
  /** Sends these answers with the form's token; `at` another address, `to` another server. */
  send(answers?: Form, opts?: { at?: string; to?: Target }): request.Test;
  /**
   * Sends a body the test shapes itself around the form's token, for tests of what the app refuses:
   * `raw` (urlencoded text after the token), or `json` (the answers as JSON rather than a form).
   */
  sendMalformed(body: { raw: string } | { json: Form }): request.Test;
  /** The form's own address (`?f=`, what survey-form.js puts in the address bar): a reload or Back. */
  reload(query?: string): request.Test;
  /** Presses the language switch with these answers so far; follows it to the same form in the other language. */
  switchLanguage(to: 'vi' | 'en', answers?: Form): Promise<request.Response>;
}

export interface Citizen {
  /** The headers that make this citizen one phone at one address. */
  who: Record<string, string>;
  /** Opens the form at the desk's address (or a tablet's, or a dossier link's). */
  open(path?: string): request.Test;
  /** Opens the form, then sends these answers with the form's own token; the POST's response. */
  submit(answers: Form, path?: string): Promise<request.Response>;
  /** Opens the form (expecting 200) and keeps it in hand: see HeldForm. */
  take(path?: string): Promise<HeldForm>;
  /** The form on a page this citizen already has (a draft, a reload), in hand. */
  hold(page: request.Response): HeldForm;
}

/**
 * A citizen with a phone of their own (`who`, see builders.citizen) at a desk, a tablet or a dossier
 * link (`desk.url`), of an app in this process or a running server (`target`).
 */
export function citizenAt(target: Target, desk: { url: string }, who = newCitizen()): Citizen {
  const open = (path = desk.url, to: Target = target) => request(to).get(path).set(who);
  const hold = (page: request.Response): HeldForm => {
    const form = surveyFormOf(page.text);
    const held: HeldForm = {
      page,
      token: form.value,
      action: form.action,
      send: (answers = {}, opts = {}) =>
        request(opts.to ?? target)
          .post(opts.at ?? held.action)
          .set(who)
          .type('form')
          .send({ [form.name]: form.value, ...answers }),
      sendMalformed: (body) =>
        'raw' in body
          ? request(target).post(held.action).set(who).type('form').send(`${form.name}=${encodeURIComponent(form.value)}&${body.raw}`)
          : request(target).post(held.action).set(who).send({ [form.name]: form.value, ...body.json }),
      reload: (query = '') => open(`${held.action.split('?')[0] ?? ''}?${query}${query ? '&' : ''}f=${encodeURIComponent(form.value)}`),
      async switchLanguage(to, answers = {}) {
        const sent = await held.send({ doi_ngon_ngu: to, ...answers });
        if (sent.status !== 303) throw new Error(`the language switch answered ${sent.status}`);
        const draft = await open(String(sent.headers.location)).expect(200);
        held.action = surveyFormOf(draft.text).action;
        held.page = draft;
        return draft;
      },
    };
    return held;
  };
  return {
    who,
    open: (path) => open(path),
    submit: async (answers, path = desk.url) => hold(await open(path).expect(200)).send(answers),
    take: async (path = desk.url) => hold(await open(path).expect(200)),
    hold,
  };
}

/** A page of the staff side in a person's browser, with its forms' CSRF token. */
export interface StaffPage {
  res: request.Response;
  text: string;
  /** Posts one of the page's forms (several at once, if the test sends them together). */
  post(action: string, form?: Form): request.Test;
  /** Posts one of the page's forms as multipart, with files (an import). */
  upload(action: string, fields: Record<string, string>, files?: Record<string, { content: string | Buffer; filename: string; contentType: string }>): request.Test;
}

/**
 * Someone at the staff side's door in a browser, signed in or not yet (`visitor`, for the sign-in
 * tests themselves): opens pages and posts their forms as a person does. `who` sets headers on every
 * request (an address, a browser).
 */
export interface Visitor {
  /** Headers sent with every request; change them and the same browser is elsewhere (another address). */
  who: Record<string, string>;
  /** The browser's session, for anything else (downloads, following links). */
  agent: ReturnType<typeof request.agent>;
  get(path: string): request.Test;
  /** Opens a page (expecting 200) and keeps it, to post its forms. */
  page(path: string): Promise<StaffPage>;
  /** The page a response already shows (a refused form shown again), to post its forms. */
  pageFrom(res: request.Response): StaffPage;
  /**
   * Posts a form the way a browser does: from the page it is on (`from`, by default the action's
   * own address), with that page's CSRF token; the POST's response, for its status and headers.
   */
  post(action: string, form?: Form, from?: string): Promise<request.Response>;
  /** The same with files, as multipart. */
  upload(action: string, fields: Record<string, string>, files?: Record<string, { content: string | Buffer; filename: string; contentType: string }>, from?: string): Promise<request.Response>;
  /** Signs in through the login page (`extra`: e.g. its `next`); the sign-in POST's response (303 when it worked). */
  signIn(username: string, password?: string, extra?: Form): Promise<request.Response>;
  /** Signs out from the dashboard's button. */
  signOut(): Promise<request.Response>;
}

export type StaffMember = Visitor;

export function visitorAt(target: Target, who: Record<string, string> = {}): Visitor {
  const agent = request.agent(target);
  const get = (path: string) => agent.get(path).set(who);
  const pageOf = (res: request.Response): StaffPage => {
    const token = csrfOf(res.text);
    return {
      res,
      text: res.text,
      post: (action, form = {}) => agent.post(action).set(who).type('form').send({ _csrf: token, ...form }),
      upload(action, fields, files = {}) {
        let req = agent.post(action).set(who).field('_csrf', token);
        for (const [name, value] of Object.entries(fields)) req = req.field(name, value);
        for (const [name, file] of Object.entries(files)) req = req.attach(name, Buffer.from(file.content), { filename: file.filename, contentType: file.contentType });
        return req;
      },
    };
  };
  const page = async (path: string) => pageOf(await get(path).expect(200));
  const visitor: Visitor = {
    who,
    agent,
    get,
    page,
    pageFrom: pageOf,
    post: async (action, form = {}, from) => (await page(from ?? action)).post(action, form),
    upload: async (action, fields, files, from) => (await page(from ?? action)).upload(action, fields, files),
    signIn: (username, password = PASSWORD, extra = {}) => visitor.post('/login', { username, password, ...extra }),
    signOut: () => visitor.post('/logout', {}, '/dashboard'),
  };
  return visitor;
}

/** A staff member signed in under this user name (built first with buildUser). */
export async function staffMember(target: Target, username: string, password = PASSWORD, who: Record<string, string> = {}): Promise<StaffMember> {
  const member = visitorAt(target, who);
  const res = await member.signIn(username, password, { next: '/dashboard' });
  if (res.status !== 303) throw new Error(`${username} could not sign in: ${res.status}`);
  return member;
}
