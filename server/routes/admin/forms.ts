/** Reading staff forms: trimmed, NFC-normalised text without control characters, checkboxes, ids. */
import type { Request } from 'express';

export type FormBody = Record<string, unknown>;

export function bodyOf(req: Request): FormBody {
  return (req.body ?? {}) as FormBody;
}

export function text(body: FormBody, name: string): string {
  const value = body[name];
  return typeof value === 'string' ? value.normalize('NFC').replace(/[^\P{C}\n]/gu, '').trim() : '';
}

export function checked(body: FormBody, name: string): boolean {
  return body[name] === '1' || body[name] === 'on';
}

/** Every value of a field that may repeat (checkboxes, a multiple select). */
export function values(body: FormBody, name: string): string[] {
  const value = body[name];
  if (typeof value === 'string') return [value];
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

/** A positive whole number from a route parameter or a field; null for anything else. */
export function positiveId(value: unknown): number | null {
  if (typeof value !== 'string' || !/^[1-9][0-9]{0,9}$/.test(value)) return null;
  return Number(value);
}

/** Errors of a form, field name to a message already in the reader's language. */
export type FormErrors = Record<string, string>;
