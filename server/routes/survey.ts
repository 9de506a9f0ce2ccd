/**
 * The citizen's survey: GET shows the form for the desk of a QR code, POST stores the answers.
 * No cookie and no JavaScript: a signed single-use form token travels in a hidden field, so a
 * replayed form maps back to the response it already created.
 */
import express, { type Response, Router } from 'express';
import { ipKeyGenerator, rateLimit } from 'express-rate-limit';
import { localDay } from '../../analytics/time.ts';
import { type DeskSurvey, findDeskSurvey } from '../../db/queries/desks.ts';
import { findResponseByNonce, recordResponse } from '../../db/queries/responses.ts';
import type { RouteDeps } from './deps.ts';
import { localeOf } from '../middleware/locale.ts';
import { presentSurveyForm } from '../presenters/survey.ts';
import { renderError } from '../render.ts';
import { deskIdOfToken, signFormToken, verifyDeskToken, verifyFormToken } from '../tokens.ts';
import { summarizeRatings } from '../survey/summary.ts';
import { type FieldError, FORM_TOKEN_FIELD, keptAnswers, type RawForm, validateSubmission } from '../survey/validate.ts';

/** How long a served form stays valid: a citizen may leave the page open while queueing. */
export const FORM_TOKEN_TTL_SECONDS = 12 * 60 * 60;
/** 22 criteria and a 1000-character comment fit well inside this. */
const BODY_LIMIT = '16kb';

function langQuery(res: Response): string {
  return localeOf(res).lang === 'en' ? '?lang=en' : '';
}

export function surveyRoutes({ db, config, secret, now }: RouteDeps): Router {
  const router = Router();

  async function resolveDesk(token: string): Promise<DeskSurvey | undefined> {
    const deskId = deskIdOfToken(token);
    if (deskId === null) return undefined;
    const survey = await findDeskSurvey(db, deskId);
    if (!survey || !verifyDeskToken(secret, token, survey.desk.id, survey.desk.token_version)) return undefined;
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
      action: `/q/${encodeURIComponent(token)}${langQuery(res)}`,
      formToken,
      kept: state.kept ?? new Map<string, string[]>(),
      errors: state.errors ?? new Map<string, FieldError>(),
      expired: state.expired ?? false,
    });
    // A fresh token on every visit: a cached page would make two visits share one response.
    res.status(status).set('Cache-Control', 'no-store').render('pages/survey/form', { view });
  }

  const freshFormToken = (survey: DeskSurvey) =>
    signFormToken(secret, survey.desk.id, survey.questionnaire.id, Math.floor(now().getTime() / 1000));
  const thanksUrl = (token: string, res: Response) => `/q/${encodeURIComponent(token)}/cam-on${langQuery(res)}`;

  router.get('/q/:token', async (req, res) => {
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
    '/q/:token',
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

      const result = validateSubmission(form, survey.questions, survey.fields);
      if (result.kind === 'malformed') return renderError(res, 400);
      const kept = keptAnswers(form, survey.questions);
      if (result.kind === 'invalid') return renderForm(token, res, survey, 422, rawToken as string, { kept, errors: result.errors });

      const submitted = now();
      const secondsTaken = Math.max(0, Math.floor(submitted.getTime() / 1000) - formToken.issuedAt);
      if (secondsTaken > FORM_TOKEN_TTL_SECONDS) {
        return renderForm(token, res, survey, 422, freshFormToken(survey), { kept, expired: true });
      }

      await recordResponse(db, {
        nonce: formToken.nonce,
        questionnaireId: survey.questionnaire.id,
        unitId: survey.unit.id,
        deskId: survey.desk.id,
        fieldId: result.answers.fieldId,
        channel: 'qr',
        submittedAt: submitted.toISOString(),
        localDay: localDay(submitted),
        lang: localeOf(res).lang,
        // Faster than anyone can read the questions: kept, but out of the indicators by default.
        status: config.surveyMinSeconds > 0 && secondsTaken < config.surveyMinSeconds ? 'suspect' : 'ok',
        secondsTaken,
        ratings: result.answers.ratings,
        choices: result.answers.choices,
        comments: result.answers.comments,
        summary: summarizeRatings(survey.questions, result.answers.ratings),
      });
      res.redirect(303, thanksUrl(token, res));
    },
  );

  router.get('/q/:token/cam-on', async (req, res) => {
    const survey = await resolveDesk(req.params.token);
    if (!survey) return renderInvalidQr(res);
    res.render('pages/survey/thanks', {
      unitName: survey.unit.name,
      deskName: survey.desk.name,
      againUrl: `/q/${encodeURIComponent(req.params.token)}${langQuery(res)}`,
    });
  });

  return router;
}
