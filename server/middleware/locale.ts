import type { RequestHandler, Response } from 'express';
import { type Lang, langFrom, type Translate, translator } from '../i18n/index.ts';
import { sitePath } from '../tokens/urls.ts';

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    /** Set for every request, before any route (app.ts); the staff frame's are in staff-frame.ts. */
    interface Locals {
      lang: Lang;
      t: Translate;
      /** The same page in the other language, keeping every other query parameter (dashboard filters). */
      langSwitchUrl: string;
      /** '' or '?lang=en', to append to links that carry no other parameter. */
      langQuery: string;
    }
  }
}

export type LocaleLocals = Pick<Express.Locals, 'lang' | 't' | 'langSwitchUrl' | 'langQuery'>;

/** Language from ?lang=en (no cookie needed); views get lang, t and a link to the other language. */
export const locale: RequestHandler = (req, res, next) => {
  const lang = langFrom(req.query.lang);
  const query = new URLSearchParams(req.originalUrl.includes('?') ? req.originalUrl.slice(req.originalUrl.indexOf('?') + 1) : '');
  if (lang === 'en') query.delete('lang');
  else query.set('lang', 'en');
  const rest = query.toString();
  const locals: LocaleLocals = {
    lang,
    t: translator(lang),
    langSwitchUrl: `${sitePath(req.path)}${rest ? `?${rest}` : ''}`,
    langQuery: lang === 'en' ? '?lang=en' : '',
  };
  Object.assign(res.locals, locals);
  next();
};

export function localeOf(res: Response): LocaleLocals {
  return res.locals;
}
