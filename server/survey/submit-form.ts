/**
 * Sending the citizen's form, the survey's one write, as one command for the three doors (issue 19:
 * routes/survey.ts saved drafts, hashed dossier codes and set the response's status between
 * prepareSubmission and recordSubmission). `submitForm` owns the rules: the door's rate limit, the
 * form token (signed, this desk, this door, a personal link's own), the version the citizen saw,
 * the dossier code, the stuffing signals and so the status, the form's life, and the one write
 * through the submission queue (group commit: an acknowledged form is never lost, counted once).
 * `switchLanguage` keeps the answers given so far as a draft to show in the other language. Both
 * answer with an outcome the route maps to HTTP; neither knows of a request or a page.
 *
 * The citizen's form has no audit entry (no one is signed in); its guarantees are the queue's.
 * Hot path: no database round trip is added to what the route did before (the same reads, in the
 * same order), and nothing is built per request beyond the outcome.
 */
import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import { localDay } from '../../analytics/time.ts';
import { isDatabaseUnavailable } from '../../db/errors.ts';
import type { DeskSurvey } from '../../db/queries/desks.ts';
import { dossierLinkFlags } from '../../db/queries/dossier-links.ts';
import { findResponseByNonce } from '../../db/queries/responses.ts';
import { saveDraft } from '../../db/queries/survey-drafts.ts';
import type { Channel, Database } from '../../db/schema.ts';
import type { Lang } from '../i18n/index.ts';
import type { DossierLink, FormToken } from '../tokens/tokens.ts';
import { renewFormToken, verifyFormToken } from '../tokens/tokens.ts';
import type { Client } from './client.ts';
import type { DeskCache } from './desk-cache.ts';
import { dossierHash, normalizeDossier } from './dossier.ts';
import { prepareSubmission, recordSubmission } from './record.ts';
import { statusOf } from './signals.ts';
import type { Admission, Opening, StuffingGuard } from './stuffing-guard.ts';
import type { SubmissionQueue } from './submission-queue.ts';
import { DOSSIER_FIELD, type FieldError, FORM_TOKEN_FIELD, HONEYPOT_FIELD, keptAnswers, type RawForm } from './validate.ts';

/** What a door's token opens: a desk, for a personal link the dossier it is for, and for a registered counter tablet which one. */
export interface Opened {
  survey: DeskSurvey;
  link: DossierLink | null;
  /** The registered tablet (db/queries/kiosks.ts) on /k/t.…; null on every other door and on a desk's legacy kiosk address. */
  kioskId: number | null;
}

/** The door a form is sent to: its channel, whether it is a counter tablet, and the name its form tokens carry. */
export interface DoorOf {
  channel: Extract<Channel, 'qr' | 'kiosk'>;
  kiosk: boolean;
  /** What a form token served at this door names (tokens.ts `door`): a form is refused at any other. */
  id: string;
}

/** What the commands need, made once per door (routes/survey.ts). */
export interface SurveyWrites {
  db: Kysely<Database>;
  secret: string;
  now: () => Date;
  submissions: SubmissionQueue;
  desks: DeskCache;
  guard: StuffingGuard;
  /** How long a form may be open before it is issued again (SURVEY_FORM_TTL_MINUTES), in seconds. */
  formTtlSeconds: number;
}

/** What the form shows again: the answers given, what to correct, whether it was issued anew. */
export interface FormAgain {
  kept: Map<string, string[]>;
  errors?: Map<string, FieldError>;
  expired?: boolean;
}

/** One form sent to a door. */
export interface SentForm {
  opened: Opened;
  door: DoorOf;
  form: RawForm;
  client: Client;
  /** The page's language (the response's `lang`, and the language of a draft's address). */
  lang: Lang;
  /** Date.now() when the request came: the citizen's wait for the database counts from here. */
  arrived: number;
}

export type SubmitOutcome =
  /** Stored (or a personal link's dossier already answered): the thank-you page. */
  | { kind: 'thanks' }
  /** The same form sent before: its own address, which says when. */
  | { kind: 'sentBefore'; formToken: string }
  /**
   * The form again, kept as the draft `draftId` in `lang` (post/redirect/get); draftId null when the
   * database could not keep it: the form is shown at once (422) from `again`.
   */
  | { kind: 'correct'; draftId: string | null; lang: Lang; survey: DeskSurvey; formToken: string; again: FormAgain }
  /** The database is busy or out of reach: nothing stored, the form again with every answer (503). */
  | { kind: 'busy'; survey: DeskSurvey; formToken: string; kept: Map<string, string[]> }
  /** Over the door's limit (429). */
  | { kind: 'tooMany'; retryAfter: number }
  /** Not a form of ours, or not for this door (400). */
  | { kind: 'invalid' };

/** A form token's clock: Unix seconds. */
const secondsOf = (at: Date) => Math.floor(at.getTime() / 1000);

/** A form past its life (`ttlSeconds` after it was issued, at `atSeconds`): sent or reloaded, it is issued again. */
export function pastItsLife(formToken: FormToken, atSeconds: number, ttlSeconds: number): boolean {
  return atSeconds - formToken.issuedAt > ttlSeconds;
}

/** The form's token checked against the door, and the version its questions were served in. */
async function formOf(w: SurveyWrites, sent: SentForm): Promise<{ formToken: FormToken; signed: string; opened: Opened } | null> {
  const { opened: current, door, form } = sent;
  const rawToken = form[FORM_TOKEN_FIELD];
  const formToken = typeof rawToken === 'string' ? verifyFormToken(w.secret, rawToken) : null;
  // A token sent back to another door than it was served at (a tablet's or a link's form sent as a phone's) is refused.
  const otherDoor = formToken !== null && formToken.door !== null && formToken.door !== door.id;
  if (!formToken || otherDoor || formToken.deskId !== current.survey.desk.id || (current.link && formToken.nonce !== current.link.nonce)) return null;
  // Answers are checked against the version the citizen saw, even if the desk has changed since.
  const versionSeen =
    formToken.questionnaireId === current.survey.questionnaire.id ? current.survey : await w.desks.get(current.survey.desk.id, formToken.questionnaireId);
  if (!versionSeen) return null;
  return { formToken, signed: rawToken as string, opened: { ...current, survey: versionSeen } };
}

/**
 * Keeps the form as a draft for the GET that shows it; the draft's id, or null when the database
 * cannot take it (the route then shows the form at once).
 */
async function keepAsDraft(w: SurveyWrites, survey: DeskSurvey, formToken: string, again: FormAgain, lang: Lang): Promise<SubmitOutcome> {
  const id = randomBytes(16).toString('base64url');
  const at = w.now();
  try {
    await saveDraft(
      w.db,
      id,
      { deskId: survey.desk.id, formToken, answers: Object.fromEntries(again.kept), errors: Object.fromEntries(again.errors ?? []), expired: again.expired ?? false },
      at.toISOString(),
      new Date(at.getTime() - w.formTtlSeconds * 1000).toISOString(),
    );
  } catch (error) {
    if (!isDatabaseUnavailable(error)) throw error;
    return { kind: 'correct', draftId: null, lang, survey, formToken, again };
  }
  return { kind: 'correct', draftId: id, lang, survey, formToken, again };
}

/** Issuing a form again (past its life): counted as opening one on a phone, never on a tablet. */
export function openOn(guard: StuffingGuard, door: DoorOf, client: Client, deskId: number): Opening {
  return door.kiosk ? { allowed: true, over: false } : guard.openForm(client, deskId);
}

/**
 * The header's language button: the form as it is, kept as a draft to show in `to`. Limited, never
 * counted as another form.
 */
export async function switchLanguage(w: SurveyWrites, sent: SentForm, to: unknown): Promise<SubmitOutcome> {
  if (!sent.opened.link) {
    const admitted: Admission = w.guard.keepDraft(sent.client, sent.opened.survey.desk.id);
    if (!admitted.allowed) return { kind: 'tooMany', retryAfter: admitted.retryAfter };
  }
  const checked = await formOf(w, sent);
  if (!checked || (to !== 'vi' && to !== 'en')) return { kind: 'invalid' };
  return keepAsDraft(w, checked.opened.survey, checked.signed, { kept: keptAnswers(sent.form, checked.opened.survey.questions) }, to);
}

/** Sends the citizen's answers: see the file's comment, and SubmitOutcome for what can come of it. */
export async function submitForm(w: SurveyWrites, sent: SentForm): Promise<SubmitOutcome> {
  const { door, form, client, lang } = sent;
  if (!sent.opened.link) {
    const admitted = w.guard.submit(client, sent.opened.survey.desk.id);
    if (!admitted.allowed) return { kind: 'tooMany', retryAfter: admitted.retryAfter };
  }
  const checked = await formOf(w, sent);
  if (!checked) return { kind: 'invalid' };
  const { formToken, signed, opened } = checked;
  const survey = opened.survey;

  const submitted = w.now();
  const submittedSeconds = secondsOf(submitted);
  const secondsTaken = Math.max(0, submittedSeconds - formToken.openedAt);
  const kept = () => keptAnswers(form, survey.questions);

  // The dossier: from the personal link, or typed in where the desk asks for it.
  let dossier = opened.link?.dossier ?? null;
  const dossierError = new Map<string, FieldError>();
  if (!opened.link && survey.desk.requires_dossier === 1) {
    const typed = typeof form[DOSSIER_FIELD] === 'string' ? normalizeDossier(form[DOSSIER_FIELD]) : null;
    if (typed === null) dossierError.set(DOSSIER_FIELD, { message: form[DOSSIER_FIELD] ? 'survey.dossier.invalid' : 'survey.dossier.required' });
    else dossier = dossierHash(w.secret, typed);
  }
  // A personal link counts as verified only when the one-stop software asked for it at a believable pace.
  const linkFlags = opened.link ? await dossierLinkFlags(w.db, opened.link.nonce) : [];

  const prepared = prepareSubmission(survey, form, {
    channel: door.channel,
    nonce: formToken.nonce,
    submittedAt: submitted,
    localDay: localDay(submitted),
    lang,
    status: 'ok',
    secondsTaken,
    verified: opened.link !== null && linkFlags.length === 0,
    dossierHash: dossier,
    kioskId: opened.kioskId,
  });
  if (prepared.kind === 'malformed') return { kind: 'invalid' };
  try {
    // The same form sent twice (double tap, Back and send, a flaky 3G retry): one response, and the page says so.
    if (await findResponseByNonce(w.db, formToken.nonce)) return { kind: 'sentBefore', formToken: signed };
    if (prepared.kind === 'invalid' || dossierError.size > 0) {
      const errors = new Map([...dossierError, ...(prepared.kind === 'invalid' ? prepared.errors : [])]);
      return await keepAsDraft(w, survey, signed, { kept: kept(), errors }, lang);
    }
    // At a counter tablet a form past its life is stored all the same (issue 21): the citizen who pressed Send
    // is at the tablet, and answers shown back to be sent again would stay on the screen for the next one.
    if (pastItsLife(formToken, submittedSeconds, w.formTtlSeconds) && !opened.link && !door.kiosk) {
      // Past its life: the same form (same nonce, so still one response at most) issued again, counted as a form opened.
      const renewed = openOn(w.guard, door, client, survey.desk.id);
      if (!renewed.allowed) return { kind: 'tooMany', retryAfter: renewed.retryAfter };
      return await keepAsDraft(w, survey, renewFormToken(w.secret, formToken, submittedSeconds, renewed.over), { kept: kept(), expired: true }, lang);
    }
    const input = prepared.input;
    if (!opened.link) {
      const signals = await w.guard.signals({
        sender: door.kiosk ? { kind: 'tablet', tablet: opened.kioskId === null ? `desk${survey.desk.id}` : `kiosk${opened.kioskId}`, client } : { kind: 'phone', client },
        deskId: survey.desk.id,
        formOver: formToken.over,
        secondsTaken,
        honeypot: typeof form[HONEYPOT_FIELD] === 'string' && form[HONEYPOT_FIELD] !== '',
        answers: JSON.stringify([input.fieldId, input.ratings, input.choices]),
      });
      // Kept with its reasons and left out of the indicators until someone looks (/admin/review).
      input.status = statusOf(signals);
      input.flags = signals.join(',');
    } else if (linkFlags.length > 0) {
      input.status = 'suspect';
      input.flags = linkFlags.join(',');
    }
    const result = await recordSubmission(w.submissions, input, sent.arrived);
    if (result.kind === 'dossier-answered') {
      if (opened.link) return { kind: 'thanks' };
      const errors = new Map<string, FieldError>([[DOSSIER_FIELD, { message: 'survey.dossier.answered' }]]);
      return await keepAsDraft(w, survey, signed, { kept: kept(), errors }, lang);
    }
  } catch (error) {
    if (!isDatabaseUnavailable(error)) throw error;
    // Busy or out of reach: nothing was stored, the citizen keeps every answer and sends again.
    return { kind: 'busy', survey, formToken: signed, kept: kept() };
  }
  return { kind: 'thanks' };
}
