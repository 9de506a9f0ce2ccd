/**
 * One message carried over a redirect to the next page a staff member sees ("Đã lưu", a one-time
 * link to hand over), so that every form answers POST with 303 and Back never re-sends it.
 */
import type { Request } from 'express';
import type { MessageKey, Translate } from './i18n/index.ts';

export function setFlash(req: Request, message: MessageKey, params?: Record<string, string | number>, link?: string): void {
  req.session.flash = { message, ...(params ? { params } : {}), ...(link ? { link } : {}) };
}

export interface FlashView {
  text: string;
  /** A one-time link shown once (an invitation): never stored anywhere else. */
  link: string | null;
}

export function takeFlash(req: Request, t: Translate): FlashView | null {
  const flash = req.session?.flash;
  if (!flash) return null;
  delete req.session.flash;
  return { text: t(flash.message as MessageKey, flash.params), link: flash.link ?? null };
}
