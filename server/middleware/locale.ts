import type { RequestHandler, Response } from 'express';
import { type Lang, langFrom, type Translate, translator } from '../i18n/index.ts';
import { sitePath } from '../urls.ts';

export interface LocaleLocals {
  lang: Lang;
  t: Translate;
  /** The same page in the other language, keeping every other query parameter (dashboard filters). */
  langSwitchUrl: string;
  /** '' or '?lang=en', to append to links that carry no other parameter. */
  langQuery: string;
}

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
  return res.locals as LocaleLocals;
}
