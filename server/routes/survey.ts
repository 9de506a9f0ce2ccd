/**
 * The citizen's survey, on two channels that differ only at the edges:
 *  - qr (/q/:token): the citizen's own phone, from the QR code printed at a desk;
 *  - kiosk (/k/:token): a tablet on the counter. Its thank-you page returns to an empty form after
 *    a few seconds (a meta refresh, no JavaScript), so the next citizen never sees the previous
 *    answers, and its pages have no link that leaves the survey.
 * GET shows the form, POST stores the answers. No cookie and no JavaScript: a signed single-use
 * form token travels in a hidden field, so a replayed form maps back to the response it created.
 */
import express, { type Response, Router } from 'express';
import { ipKeyGenerator, rateLimit } from 'express-rate-limit';
import { localDay } from '../../analytics/time.ts';
import { type DeskSurvey, findDeskSurvey } from '../../db/queries/desks.ts';
import { findResponseByNonce } from '../../db/queries/responses.ts';
import type { Channel } from '../../db/schema.ts';
import { localeOf } from '../middleware/locale.ts';
import { presentSurveyForm, presentThanks } from '../presenters/survey.ts';
import { renderError } from '../render.ts';
import { prepareSubmission, recordSubmission } from '../survey/record.ts';
import { type FieldError, FORM_TOKEN_FIELD, keptAnswers, type RawForm } from '../survey/validate.ts';
import { deskIdOfToken, signFormToken, verifyDeskToken, verifyFormToken, verifyKioskToken } from '../tokens.ts';
import type { RouteDeps } from './deps.ts';

/** How long a served form stays valid: a citizen may leave the page open while queueing. */
export const FORM_TOKEN_TTL_SECONDS = 12 * 60 * 60;
/** 22 criteria and a 1000-character comment fit well inside this. */
const BODY_LIMIT = '16kb';
/** The kiosk's thank-you page stays this long before the next citizen's empty form. */
export const KIOSK_THANKS_SECONDS = 8;

interface SurveyChannel {
  channel: Extract<Channel, 'qr' | 'kiosk'>;
  /** '/q' or '/k' */
  prefix: string;
  verify: (secret: string, token: string, deskId: number, tokenVersion: number) => boolean;
}

const CHANNELS: SurveyChannel[] = [
  { channel: 'qr', prefix: '/q', verify: verifyDeskToken },
  { channel: 'kiosk', prefix: '/k', verify: verifyKioskToken },
];

function langQuery(res: Response): string {
  return localeOf(res).lang === 'en' ? '?lang=en' : '';
}

function channelRoutes({ db, config, secret, now }: RouteDeps, { channel, prefix, verify }: SurveyChannel): Router {
  const router = Router();
  const kiosk = channel === 'kiosk';

  async function resolveDesk(token: string): Promise<DeskSurvey | undefined> {
    const deskId = deskIdOfToken(token);
    if (deskId === null) return undefined;
    const survey = await findDeskSurvey(db, deskId);
    if (!survey || !verify(secret, token, survey.desk.id, survey.desk.token_version)) return undefined;
    return survey;
  }

  function renderInvalidQr(res: Response): void {
    renderError(res, 404, 'qr.invalid.title', 'qr.invalid.body');
  }

  function renderForm(
    token: string,
    res: Response,
    survey: DeskSurvey,
    status: number,
    formToken: string,
    state: { kept?: Map<string, string[]>; errors?: Map<string, FieldError>; expired?: boolean } = {},
  ): void {
    const { lang, t } = localeOf(res);
    const view = presentSurveyForm({
      survey,
      lang,
      t,
      action: `${prefix}/${encodeURIComponent(token)}${langQuery(res)}`,
      formToken,
      kept: state.kept ?? new Map<string, string[]>(),
      errors: state.errors ?? new Map<string, FieldError>(),
      expired: state.expired ?? false,
    });
    // A fresh token on every visit: a cached page would make two visits share one response.
    res.status(status).set('Cache-Control', 'no-store').render('pages/survey/form', { view, kiosk });
  }

  const freshFormToken = (survey: DeskSurvey) =>
    signFormToken(secret, survey.desk.id, survey.questionnaire.id, Math.floor(now().getTime() / 1000));
  const thanksUrl = (token: string, res: Response) => `${prefix}/${encodeURIComponent(token)}/cam-on${langQuery(res)}`;

  router.get(`${prefix}/:token`, async (req, res) => {
    const survey = await resolveDesk(req.params.token);
    if (!survey) return renderInvalidQr(res);
    renderForm(req.params.token, res, survey, 200, freshFormToken(survey));
  });

  const limiter = rateLimit({
    windowMs: 60_000,
    limit: config.surveyRateLimit,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    keyGenerator: (req) => `${ipKeyGenerator(req.ip ?? '')}|${String(req.params.token)}`,
    handler: (_req, res) => renderError(res, 429),
  });

  router.post(
    `${prefix}/:token`,
    limiter,
    express.urlencoded({ extended: false, limit: BODY_LIMIT, parameterLimit: 100 }),
    async (req, res) => {
      const token = String(req.params.token);
      const current = await resolveDesk(token);
      if (!current) return renderInvalidQr(res);

      const form = (req.body ?? {}) as RawForm;
      const rawToken = form[FORM_TOKEN_FIELD];
      const formToken = typeof rawToken === 'string' ? verifyFormToken(secret, rawToken) : null;
      if (!formToken || formToken.deskId !== current.desk.id) return renderError(res, 400);
      // Answers are checked against the version the citizen saw, even if the desk has changed since.
      const survey =
        formToken.questionnaireId === current.questionnaire.id ? current : await findDeskSurvey(db, current.desk.id, formToken.questionnaireId);
      if (!survey) return renderError(res, 400);

      // The same form sent twice (double tap, back button, flaky 3G retry): show the same thanks.
      if (await findResponseByNonce(db, formToken.nonce)) return res.redirect(303, thanksUrl(token, res));

      const submitted = now();
      const secondsTaken = Math.max(0, Math.floor(submitted.getTime() / 1000) - formToken.issuedAt);
      const prepared = prepareSubmission(survey, form, {
        channel,
        nonce: formToken.nonce,
        submittedAt: submitted,
        localDay: localDay(submitted),
        lang: localeOf(res).lang,
        // Faster than anyone can read the questions: kept, but out of the indicators by default.
        status: config.surveyMinSeconds > 0 && secondsTaken < config.surveyMinSeconds ? 'suspect' : 'ok',
        secondsTaken,
      });
      if (prepared.kind === 'malformed') return renderError(res, 400);
      if (prepared.kind === 'invalid') return renderForm(token, res, survey, 422, rawToken as string, { kept: prepared.kept, errors: prepared.errors });
      if (secondsTaken > FORM_TOKEN_TTL_SECONDS) {
        return renderForm(token, res, survey, 422, freshFormToken(survey), { kept: keptAnswers(form, survey.questions), expired: true });
      }

      await recordSubmission(db, prepared.input);
      res.redirect(303, thanksUrl(token, res));
    },
  );

  router.get(`${prefix}/:token/cam-on`, async (req, res) => {
    const survey = await resolveDesk(req.params.token);
    if (!survey) return renderInvalidQr(res);
    // The kiosk starts over in Vietnamese for the next citizen, whatever the last one chose.
    const formUrl = `${prefix}/${encodeURIComponent(req.params.token)}`;
    res.set('Cache-Control', 'no-store').render('pages/survey/thanks', {
      view: presentThanks(survey, localeOf(res).t, kiosk),
      againUrl: kiosk ? formUrl : `${formUrl}${langQuery(res)}`,
      kiosk,
      refreshSeconds: kiosk ? KIOSK_THANKS_SECONDS : null,
    });
  });

  return router;
}

export function surveyRoutes(deps: RouteDeps): Router {
  const router = Router();
  for (const channel of CHANNELS) router.use(channelRoutes(deps, channel));
  return router;
}
