import type { Response } from 'express';
import type { MessageKey } from '../i18n/index.ts';
import { localeOf } from './locale.ts';
import { withoutForm } from './staff-frame.ts';
import type { ReportRefusal } from '../figures/request.ts';

export type ErrorStatus = 400 | 403 | 404 | 409 | 413 | 422 | 429 | 500 | 503;

/** A plain page (or, for the API, JSON) in the visitor's language that says what went wrong and what to do. */
export function renderError(
  res: Response,
  status: ErrorStatus,
  title?: MessageKey,
  body?: MessageKey,
  params?: Record<string, string | number>,
  /** On a counter tablet: no link that leaves the survey. */
  kiosk = false,
): void {
  const { t } = localeOf(res);
  const heading = t(title ?? (`error.${status}.title` as MessageKey));
  const text = t(body ?? (`error.${status}.body` as MessageKey), params);
  // API clients read JSON, whatever went wrong.
  if (res.req.path.startsWith('/api/')) {
    res.status(status).json({ error: `${heading}: ${text}` });
    return;
  }
  // An error page has no form: a visitor who is not signed in gets no form cookie with it.
  withoutForm(res);
  res.status(status).render('pages/errors/error', { heading, body: text, kiosk });
}

/** A report request that was refused: bad filters (400, saying which) or a unit outside the user's scope (403). */
export function renderRefusal(res: Response, refusal: ReportRefusal): void {
  if (refusal.status === 403) renderError(res, 403);
  else renderError(res, 400, 'error.400.title', refusal.message, refusal.params);
}
