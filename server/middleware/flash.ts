/**
 * One message carried over a redirect to the next page a staff member sees ("Đã lưu"), so that
 * forms answer POST with 303 and Back never re-sends them. It lives in the session row, so it never
 * carries a secret: a one-time set-password link is shown in the answer to its POST instead
 * (server/routes/admin/users.ts).
 */
import type { Request } from 'express';
import type { MessageKey, Translate } from '../i18n/index.ts';

/** How the message is shown: done (green, the default) or failed (red, read out at once). */
export type FlashKind = 'success' | 'error';

export function setFlash(req: Request, message: MessageKey, params?: Record<string, string | number>, kind: FlashKind = 'success'): void {
  req.session.flash = { message, ...(params ? { params } : {}), ...(kind === 'error' ? { kind } : {}) };
}

/** The message as shown, and its key and parameters for a page that shows it its own way (the comments page). */
export interface FlashView {
  text: string;
  message: string;
  params?: Record<string, string | number>;
  kind: FlashKind;
}

/** Taken once per request by the staff frame (middleware/staff-frame.ts) into `res.locals.flash`. */
export function takeFlash(req: Request, t: Translate): FlashView | null {
  const flash = req.session?.flash;
  if (!flash) return null;
  delete req.session.flash;
  return {
    text: t(flash.message as MessageKey, flash.params),
    message: flash.message,
    ...(flash.params ? { params: flash.params } : {}),
    kind: flash.kind === 'error' ? 'error' : 'success',
  };
}
