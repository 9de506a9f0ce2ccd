import type { RequestHandler, Response } from 'express';
import { type Lang, langFrom, type Translate, translator } from '../i18n/index.ts';

export interface LocaleLocals {
  lang: Lang;
  t: Translate;
  langSwitchUrl: string;
}

/** Language from ?lang=en (no cookie needed); views get lang, t and a link to the other language. */
export const locale: RequestHandler = (req, res, next) => {
  const lang = langFrom(req.query.lang);
  const other = lang === 'en' ? '' : '?lang=en';
  const locals: LocaleLocals = { lang, t: translator(lang), langSwitchUrl: `${req.path}${other}` };
  Object.assign(res.locals, locals);
  next();
};

export function localeOf(res: Response): LocaleLocals {
  return res.locals as LocaleLocals;
}
