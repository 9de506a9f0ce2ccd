import { en } from './en.ts';
import { type MessageKey, vi } from './vi.ts';

export type Lang = 'vi' | 'en';
export type Translate = (key: MessageKey, params?: Record<string, string | number>) => string;
export type { MessageKey };

const catalogs: Record<Lang, Record<MessageKey, string>> = { vi, en };

/** Vietnamese unless the request asks for English with ?lang=en. */
export function langFrom(value: unknown): Lang {
  return value === 'en' ? 'en' : 'vi';
}

export function translator(lang: Lang): Translate {
  const catalog = catalogs[lang];
  return (key, params) => {
    const text = catalog[key];
    return params ? text.replace(/\{(\w+)\}/g, (whole, name: string) => String(params[name] ?? whole)) : text;
  };
}

/** Picks the text of a bilingual database row. */
export function pick(lang: Lang, vi: string, en: string): string {
  return lang === 'en' && en ? en : vi;
}
