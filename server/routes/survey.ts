/**
 * The citizen's survey, on three doors that differ only at the edges:
 *  - /q/:token, the QR code printed at a desk, opened on the citizen's own phone;
 *  - /k/:token, a tablet on the counter (channel kiosk). Its thank-you page returns to an empty form
 *    after a few seconds (a meta refresh, no JavaScript), so the next citizen never sees the
 *    previous answers, and its pages have no link that leaves the survey. A form left alone clears
 *    itself (issue 21): after KIOSK_IDLE_SECONDS without input a notice counts down and the empty form
 *    follows (public/js/kiosk-idle.js); without JavaScript the page reloads empty after KIOSK_NOSCRIPT_SECONDS,
 *    and the server shows a tablet's draft, or hands out its form's own address, only within the
 *    idle reset's time, so Back never brings the last citizen's answers (a sent form is always stored);
 *  - /d/:token, a personal link for one dossier, printed by the one-stop software on the citizen's
 *    receipt (POST /api/v1/dossier-links): answered once, verified, never counted as stuffing.
 * GET shows the form; POST parses the body (survey.schema.ts) and hands it to the survey's commands
 * (survey/submit-form.ts: submitForm, switchLanguage), whose outcome it maps to a redirect or a page.
 * No cookie and no JavaScript: a signed single-use
 * form token travels in a hidden field, so a replayed form maps back to the response it created.
 * A form that needs a correction, or whose language is switched, is kept as a short-lived draft and
 * shown by a GET (`?nhap=ID`, post/redirect/get): Back and reload never ask to send a form again, and
 * the answers already given survive the change of language.
 * Limits on forms opened and sent, and the stuffing signals of each submission: stuffing-guard.ts.
 */
import express, { type Request, type Response, Router } from 'express';
import { findDeskByShortCode } from '../../db/queries/desks.ts';
import { findActiveKiosk } from '../../db/queries/kiosks.ts';
import { findResponseByNonce, isDossierAnswered } from '../../db/queries/responses.ts';
import { findDraft } from '../../db/queries/survey-drafts.ts';
import type { Channel } from '../../db/schema.ts';
import { readShortCode } from '../../db/short-codes.ts';
import { localeOf } from '../middleware/locale.ts';
import { presentSentBefore, presentSurveyForm, presentThanks } from '../presenters/survey.ts';
import { renderError } from '../middleware/render.ts';
import { clientOf } from '../survey/client.ts';
import { DOSSIER_LINK_DAYS } from '../survey/dossier.ts';
import { createPageCache } from '../survey/page-cache.ts';
import { type DoorOf, type FormAgain, type Opened, openOn, pastItsLife, submitForm, type SubmitOutcome, type SurveyWrites, switchLanguage } from '../survey/submit-form.ts';
import { type FieldError, LANG_SWITCH_FIELD, type RawForm } from '../survey/validate.ts';
import { deskIdOfToken, type FormToken, renewFormToken, signFormToken, verifyDeskToken, verifyDossierLink, verifyFormToken, verifyKioskToken, verifyTabletToken } from '../tokens/tokens.ts';
import type { RouteDeps } from './deps.ts';
import { surveyPostSchema } from './survey.schema.ts';

/** 22 criteria and a 1000-character comment fit well inside this. */
const BODY_LIMIT = '16kb';
/** The kiosk's thank-you page stays this long before the next citizen's empty form. */
export const KIOSK_THANKS_SECONDS = 8;
/** The "Still there?" notice counts this long (or KIOSK_IDLE_SECONDS, when shorter) before the tablet clears its form. */
export const KIOSK_COUNTDOWN_SECONDS = 30;
/**
 * Without JavaScript the server cannot see a touch: the tablet's form page reloads empty this long
 * after it was shown, long enough for a slow citizen to finish the 22-criterion form.
 */
export const KIOSK_NOSCRIPT_SECONDS = 600;

/** A draft's id in the page's address. */
const DRAFT_PARAM = 'nhap';
const DRAFT_ID = /^[A-Za-z0-9_-]{22}$/;
/** The form's own address: `?f=<form token>` (public/js/survey-form.js), so Back and reload find the same form. */
export const FORM_PARAM = 'f';

interface Door {
  channel: Extract<Channel, 'qr' | 'kiosk'>;
  /** '/q', '/k' or '/d' */
  prefix: string;
  open(deps: RouteDeps, token: string): Promise<Opened | undefined>;
}

function deskDoor(verify: typeof verifyDeskToken) {
  return async ({ secret, desks }: RouteDeps, token: string): Promise<Opened | undefined> => {
    const deskId = deskIdOfToken(token);
    if (deskId === null) return undefined;
    const survey = await desks.get(deskId);
    if (!survey || !verify(secret, token, survey.desk.id, survey.desk.token_version)) return undefined;
    return { survey, link: null, kioskId: null };
  };
}

/**
 * A desk's QR code, or the short code printed under it for citizens to type (`/q/7k3m-9pxa`: any case,
 * spaces and dashes; db/short-codes.ts). A signed token has a dot, a short code none; the database says
 * which active desk has the code now, so a revoked poster's short code stops at once, as its QR code does.
 */
async function qrDoor(deps: RouteDeps, token: string): Promise<Opened | undefined> {
  const shortCode = /[./]/.test(token) ? null : readShortCode(token);
  if (shortCode === null) return deskDoor(verifyDeskToken)(deps, token);
  const desk = await findDeskByShortCode(deps.db, shortCode);
  const survey = desk ? await deps.desks.get(desk.id) : undefined;
  return survey ? { survey, link: null, kioskId: null } : undefined;
}

const DOORS: Door[] = [
  { channel: 'qr', prefix: '/q', open: qrDoor },
  {
    channel: 'kiosk',
    prefix: '/k',
    // A registered tablet's address names the tablet, read at every request so that revoking it counts
    // at once; the desk's legacy address (before tablets were registered) still opens the form, as a phone would.
    async open(deps, token) {
      const kioskId = verifyTabletToken(deps.secret, token);
      if (kioskId === null) return deskDoor(verifyKioskToken)(deps, token);
      const kiosk = await findActiveKiosk(deps.db, kioskId);
      const survey = kiosk ? await deps.desks.get(kiosk.deskId) : undefined;
      return survey ? { survey, link: null, kioskId } : undefined;
    },
  },
  {
    channel: 'qr',
    prefix: '/d',
    async open({ secret, desks, now }, token) {
      const link = verifyDossierLink(secret, token);
      if (!link || Math.floor(now().getTime() / 1000) - link.issuedAt > DOSSIER_LINK_DAYS * 86_400) return undefined;
      const survey = await desks.get(link.deskId);
      return survey ? { survey, link, kioskId: null } : undefined;
    },
  },
];

/** The names of the fields as sent, before the parser (which silently drops `__proto__`) made an object of them. */
const FIELD_NAMES = Symbol('field names');
type WithFieldNames = Request & { [FIELD_NAMES]?: string[] };

function keepFieldNames(req: Request, _res: unknown, body: Buffer): void {
  (req as WithFieldNames)[FIELD_NAMES] = [...new URLSearchParams(body.toString('utf8')).keys()];
}

function droppedFields(req: Request, form: RawForm): boolean {
  return ((req as WithFieldNames)[FIELD_NAMES] ?? []).some((name) => !Object.hasOwn(form, name));
}

function langQuery(res: Response): string {
  return localeOf(res).lang === 'en' ? '?lang=en' : '';
}

function doorRoutes(deps: RouteDeps, door: Door): Router {
  const { db, config, secret, now, submissions, desks, guard } = deps;
  const { channel, prefix } = door;
  const router = Router();
  const kiosk = prefix === '/k';
  const formTtlSeconds = config.surveyFormTtlMinutes * 60;
  // A tablet's idle reset: the notice after idleSeconds, the empty form countdownSeconds later. A page
  // with JavaScript never holds answers untouched longer than kioskWindowSeconds, so nothing older is
  // shown again at a tablet (a draft, a form's own address).
  const idleSeconds = config.kioskIdleSeconds;
  const countdownSeconds = Math.min(KIOSK_COUNTDOWN_SECONDS, idleSeconds);
  const kioskWindowSeconds = Math.min(idleSeconds + countdownSeconds, formTtlSeconds);
  const noscriptSeconds = Math.max(KIOSK_NOSCRIPT_SECONDS, kioskWindowSeconds);
  const pages = createPageCache();
  const writes: SurveyWrites = { db, secret, now, submissions, desks, guard, formTtlSeconds };

  function renderInvalidQr(res: Response): void {
    // A tablet's own address that no longer opens (revoked, or its desk closed): said to the citizen at the counter, with no way out of the kiosk.
    if (kiosk && /^\/k\/t\./.test(res.req.path)) return renderError(res, 404, 'kiosk.invalid.title', 'kiosk.invalid.body', undefined, true);
    renderError(res, 404, 'qr.invalid.title', 'qr.invalid.body');
  }

  type FormState = Partial<FormAgain> & { busy?: boolean };

  function formLocals(token: string, res: Response, opened: Opened, formToken: string, state: FormState) {
    const { lang, t } = localeOf(res);
    const view = presentSurveyForm({
      survey: opened.survey,
      lang,
      t,
      action: `${prefix}/${encodeURIComponent(token)}${langQuery(res)}`,
      formToken,
      kept: state.kept ?? new Map<string, string[]>(),
      errors: state.errors ?? new Map<string, FieldError>(),
      expired: state.expired ?? false,
      busy: state.busy ?? false,
      // A personal link already says which dossier it is for.
      askDossier: opened.survey.desk.requires_dossier === 1 && opened.link === null,
      // The tablet's empty form, in Vietnamese for the next citizen (as after the thank-you page).
      kioskIdle: kiosk ? { idleSeconds, countdownSeconds, resetUrl: `${prefix}/${encodeURIComponent(token)}` } : null,
    });
    return { view, kiosk, noscriptRefresh: kiosk ? { seconds: noscriptSeconds, url: `${prefix}/${encodeURIComponent(token)}` } : null };
  }

  function renderForm(token: string, res: Response, opened: Opened, status: number, formToken: string, state: FormState = {}): void {
    // A fresh token on every visit: a page cached by the browser would make two visits share one response.
    res.status(status).set('Cache-Control', 'no-store').render('pages/survey/form', formLocals(token, res, opened, formToken, state));
  }

  /** The empty form of a desk's door, as most citizens get it: rendered once per desk, language and door (page-cache.ts). */
  async function sendEmptyForm(token: string, res: Response, opened: Opened, formToken: string): Promise<void> {
    const render = (withToken: string) =>
      new Promise<string>((resolve, reject) => {
        res.render('pages/survey/form', formLocals(token, res, opened, withToken, {}), (error: Error | null, html: string) => (error ? reject(error) : resolve(html)));
      });
    const page = await pages.page(opened.survey, `${localeOf(res).lang}|${token}`, formToken, render);
    // Sent as it is: no ETag, which a page with a new token every time could never match.
    res.status(200).set({ 'Cache-Control': 'no-store', 'Content-Type': 'text/html; charset=utf-8', 'Content-Length': String(page.length) }).end(page);
  }

  function tooMany(res: Response, retryAfter: number): void {
    res.set('Retry-After', String(retryAfter));
    renderError(res, 429);
  }

  /** Unix seconds now: what form tokens count in. */
  const nowSeconds = () => Math.floor(now().getTime() / 1000);
  /** A form past its life: reloading it shows it again, issued anew. */
  const isExpired = (formToken: FormToken) => pastItsLife(formToken, nowSeconds(), formTtlSeconds);

  /** The door a form is served at and must come back to: a tablet's forms are the tablet's, a link's the link's. */
  const doorOf = (opened: Opened) => (prefix === '/q' ? 'q' : prefix === '/d' ? 'd' : `k${opened.kioskId?.toString(36) ?? ''}`);
  /** The door as the commands know it (submit-form.ts); a registered tablet's name is its own. */
  const doorFor = (opened: Opened): DoorOf => ({ channel, kiosk, id: doorOf(opened) });
  /** A new form; a personal link answers once: its nonce is the form's. */
  const formTokenFor = (opened: Opened, over = false) =>
    signFormToken(secret, {
      deskId: opened.survey.desk.id,
      questionnaireId: opened.survey.questionnaire.id,
      issuedAt: nowSeconds(),
      nonce: opened.link?.nonce,
      door: doorOf(opened),
      over,
    });
  /** Issuing a form again (expired, or new): counted as opening one on a phone, never on a tablet. */
  const openFor = (req: Request, opened: Opened) => openOn(guard, doorFor(opened), clientOfRequest(req), opened.survey.desk.id);
  /** The form's own address: a link's is the link itself. */
  const ownUrl = (token: string, res: Response, formToken: string) => {
    const query = new URLSearchParams(localeOf(res).lang === 'en' ? { lang: 'en' } : {});
    if (prefix !== '/d') query.set(FORM_PARAM, formToken);
    const search = query.toString();
    return `${prefix}/${encodeURIComponent(token)}${search ? `?${search}` : ''}`;
  };
  const thanksUrl = (token: string, res: Response) => `${prefix}/${encodeURIComponent(token)}/cam-on${langQuery(res)}`;
  const clientOfRequest = (req: Request) => clientOf(secret, req.ip ?? '', req.get('user-agent') ?? '');


  /** Where this form stands: sent already (and when), still open, or past its life. */
  async function formState(formToken: FormToken): Promise<{ sentAt: string } | 'open' | 'expired'> {
    const sent = await findResponseByNonce(db, formToken.nonce);
    if (sent) return { sentAt: sent.submittedAt };
    return isExpired(formToken) ? 'expired' : 'open';
  }

  /**
   * The thank-you page; for a form that was sent before (Back after sending, a reload of the form's
   * own address, the same form sent twice) it also says when, and that sending again changes nothing.
   * A tablet returns to an empty form after a few seconds, in Vietnamese for the next citizen, whatever
   * the last one chose; a personal link has been used, so it offers nothing to answer again.
   */
  function renderThanks(req: Request, res: Response, opened: Opened, sentAt: string | null = null): void {
    const { t, lang } = localeOf(res);
    const formUrl = `${prefix}/${encodeURIComponent(String(req.params.token))}`;
    const view = presentThanks(opened.survey, t, kiosk);
    res.set('Cache-Control', 'no-store').render('pages/survey/thanks', {
      view: sentAt === null ? view : { ...view, sentBefore: presentSentBefore(sentAt, now(), t, lang) },
      againUrl: opened.link ? null : kiosk ? formUrl : `${formUrl}${langQuery(res)}`,
      kiosk,
      refreshSeconds: kiosk ? KIOSK_THANKS_SECONDS : null,
    });
  }

  router.get(`${prefix}/:token`, async (req, res) => {
    const opened = await door.open(deps, req.params.token);
    if (!opened) return renderInvalidQr(res);
    // A personal link already answered (through any link for the dossier, or the code typed in): thanks again.
    if (opened.link) {
      const sent = await findResponseByNonce(db, opened.link.nonce);
      if (sent) return renderThanks(req, res, opened, sent.submittedAt);
      if (await isDossierAnswered(db, opened.link.dossier)) return res.redirect(303, thanksUrl(req.params.token, res));
    }
    const draftId = req.query[DRAFT_PARAM];
    if (typeof draftId === 'string' && DRAFT_ID.test(draftId)) {
      // At a tablet a draft lives only as long as the idle reset: Back after it never shows the last citizen's answers.
      const since = new Date(now().getTime() - (kiosk ? kioskWindowSeconds : formTtlSeconds) * 1000).toISOString();
      const draft = await findDraft(db, draftId, opened.survey.desk.id, since);
      const formToken = draft ? verifyFormToken(secret, draft.formToken) : null;
      if (draft && formToken) {
        // Sent meanwhile (Back after the thank-you page): said so, not the form again.
        const sent = await findResponseByNonce(db, formToken.nonce);
        if (sent) return renderThanks(req, res, opened, sent.submittedAt);
        const version = formToken.questionnaireId === opened.survey.questionnaire.id ? opened.survey : await desks.get(opened.survey.desk.id, formToken.questionnaireId);
        if (version) {
          return renderForm(req.params.token, res, { ...opened, survey: version }, 200, draft.formToken, {
            kept: new Map(Object.entries(draft.answers)),
            errors: new Map(Object.entries(draft.errors) as [string, FieldError][]),
            expired: draft.expired,
          });
        }
      }
      // A draft too old or unknown: an empty form, as from the QR code.
    }
    // A personal link's page names its own link: rendered each time (few are opened twice).
    if (opened.link) return renderForm(req.params.token, res, opened, 200, formTokenFor(opened));

    // The form's own address (survey-form.js puts it in the address bar): the same form, not a new one.
    const own = req.query[FORM_PARAM];
    const ownToken = typeof own === 'string' ? verifyFormToken(secret, own) : null;
    if (ownToken && ownToken.deskId === opened.survey.desk.id && ownToken.door === doorOf(opened)) {
      const state = await formState(ownToken);
      if (typeof state === 'object') return renderThanks(req, res, opened, state.sentAt);
      // A tablet's form older than its idle reset was another citizen's: the next one gets a form of their own.
      const leftAtTablet = kiosk && nowSeconds() - ownToken.issuedAt > kioskWindowSeconds;
      if (ownToken.questionnaireId === opened.survey.questionnaire.id && !leftAtTablet) {
        // Still open: the same empty form. Past its life and never sent: the same form issued again (same
        // nonce, so still one response at most), counted as opening one.
        if (state === 'open') return sendEmptyForm(req.params.token, res, opened, own as string);
        const renewed = openFor(req, opened);
        if (!renewed.allowed) return tooMany(res, renewed.retryAfter);
        return sendEmptyForm(req.params.token, res, opened, renewFormToken(secret, ownToken, nowSeconds(), renewed.over));
      }
      // The desk has moved to another questionnaire version: a new form, counted like any other.
    }
    // A tablet's forms are the tablet's, not a phone's or its address's (stuffing-guard.ts).
    const admitted = openFor(req, opened);
    if (!admitted.allowed) return tooMany(res, admitted.retryAfter);
    await sendEmptyForm(req.params.token, res, opened, formTokenFor(opened, admitted.over));
  });

  /** A command's outcome as HTTP (submit-form.ts): the thank-you page, the form's own address, a draft, or the form again. */
  function answer(res: Response, token: string, opened: Opened, outcome: SubmitOutcome): void {
    switch (outcome.kind) {
      case 'thanks':
        return res.redirect(303, thanksUrl(token, res));
      case 'sentBefore':
        return res.redirect(303, ownUrl(token, res, outcome.formToken));
      case 'correct':
        // The form again as the result of a GET (Back and reload never ask to resend); at once when the draft could not be kept.
        if (outcome.draftId === null) return renderForm(token, res, { ...opened, survey: outcome.survey }, 422, outcome.formToken, outcome.again);
        return res.redirect(303, `${prefix}/${encodeURIComponent(token)}?${outcome.lang === 'en' ? 'lang=en&' : ''}${DRAFT_PARAM}=${outcome.draftId}`);
      case 'busy':
        res.set('Retry-After', '5');
        return renderForm(token, res, { ...opened, survey: outcome.survey }, 503, outcome.formToken, { kept: outcome.kept, busy: true });
      case 'tooMany':
        return tooMany(res, outcome.retryAfter);
      case 'invalid':
        return renderError(res, 400);
    }
  }

  router.post(`${prefix}/:token`, express.urlencoded({ extended: false, limit: BODY_LIMIT, parameterLimit: 100, verify: keepFieldNames }), async (req, res) => {
    // The citizen's wait for the database is counted from here (DATABASE_BUSY_TIMEOUT_MS): real time, not the app's clock.
    const arrived = Date.now();
    const token = String(req.params.token);
    const opened = await door.open(deps, token);
    if (!opened) return renderInvalidQr(res);
    const parsed = surveyPostSchema.safeParse(req.body ?? {});
    // A field the parser dropped without a word (`__proto__`) is as unknown as any other: 400.
    if (!parsed.success || droppedFields(req, parsed.data)) return renderError(res, 400);
    const form = parsed.data;
    const sent = { opened, door: doorFor(opened), form, client: clientOfRequest(req), lang: localeOf(res).lang, arrived };
    // The language button in the page's header sends the form as it is: the answers come along.
    const switchTo = form[LANG_SWITCH_FIELD];
    answer(res, token, opened, switchTo === undefined ? await submitForm(writes, sent) : await switchLanguage(writes, sent, switchTo));
  });

  router.get(`${prefix}/:token/cam-on`, async (req, res) => {
    const opened = await door.open(deps, req.params.token);
    if (!opened) return renderInvalidQr(res);
    renderThanks(req, res, opened);
  });

  return router;
}

export function surveyRoutes(deps: RouteDeps): Router {
  const router = Router();
  for (const door of DOORS) router.use(doorRoutes(deps, door));
  return router;
}
