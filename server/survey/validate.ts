/**
 * Checks a submitted survey form against the questionnaire version it was served with.
 * Two kinds of failure, because they need different answers:
 *  - malformed (400): fields no form of ours sends (unknown, repeated, not text) — a tampered or
 *    stale request, nothing to show the citizen but a plain message;
 *  - invalid (422): a citizen's mistake (missing or out-of-range answer) — the form again, with a
 *    message next to the question and every other answer kept.
 */
import { z } from 'zod';
import type { Field, Question } from '../../db/schema.ts';
import type { MessageKey } from '../i18n/index.ts';

export const COMMENT_MAX_CHARS = 1000;
/** Hidden fields the form itself sends besides the questions. */
export const FORM_TOKEN_FIELD = 'ft';
export const FIELD_CHOICE_FIELD = 'field';
/** A field people never see (survey/signals.ts): a script that fills every field fills it too. */
export const HONEYPOT_FIELD = 'website';
/** The dossier code, on desks that ask for it (survey/dossier.ts). */
export const DOSSIER_FIELD = 'dossier';
/** The header's language button, which sends the form to come back in the other language (routes/survey.ts). */
export const LANG_SWITCH_FIELD = 'doi_ngon_ngu';

export type RawForm = Record<string, string | string[] | undefined>;

export interface Option {
  key: string;
  vi: string;
  en: string;
}

export function optionsOf(question: Question): Option[] {
  return question.options_json ? (JSON.parse(question.options_json) as Option[]) : [];
}

export interface ValidAnswers {
  fieldId: number;
  ratings: { questionId: number; value: number | null }[];
  choices: { questionId: number; optionKeys: string[] }[];
  comments: { questionId: number; text: string }[];
}

export interface FieldError {
  message: MessageKey;
  params?: Record<string, number>;
}

export type Validation =
  | { kind: 'valid'; answers: ValidAnswers }
  | { kind: 'malformed'; reason: string }
  | { kind: 'invalid'; errors: Map<string, FieldError> };

/** The citizen's raw answers, to refill the form after a 422. Only known keys, only strings. */
export function keptAnswers(form: RawForm, questions: Question[]): Map<string, string[]> {
  const kept = new Map<string, string[]>();
  for (const key of [FIELD_CHOICE_FIELD, DOSSIER_FIELD, ...questions.map((q) => q.key)]) {
    const value = form[key];
    if (value === undefined) continue;
    kept.set(key, (Array.isArray(value) ? value : [value]).map((v) => v.slice(0, COMMENT_MAX_CHARS * 2)));
  }
  return kept;
}

function requiredMessage(question: Question): MessageKey {
  if (question.type === 'rating5') return 'error.required.rating';
  if (question.type === 'text') return 'error.required.text';
  return 'error.required.choice';
}

/** Letters, marks, digits, punctuation and line breaks; control characters are dropped. */
function cleanText(text: string): string {
  return text.normalize('NFC').replace(/\r\n?/g, '\n').replace(/[^\P{C}\n]/gu, '').trim();
}

function questionSchema(question: Question): z.ZodType {
  const missing = requiredMessage(question);
  const invalid: MessageKey = 'error.invalid.choice';
  const whenMissing = (iss: { input: unknown }) => (iss.input === undefined ? missing : invalid);
  let schema: z.ZodType;
  switch (question.type) {
    case 'rating5': {
      const allowed = question.allow_no_opinion ? ['1', '2', '3', '4', '5', '0'] : ['1', '2', '3', '4', '5'];
      schema = z.enum(allowed as [string, ...string[]], { error: whenMissing }).transform((v) => (v === '0' ? null : Number(v)));
      break;
    }
    case 'single_choice': {
      const keys = optionsOf(question).map((o) => o.key);
      schema = z.enum(keys as [string, ...string[]], { error: whenMissing }).transform((v) => [v]);
      break;
    }
    case 'multi_choice': {
      const keys = optionsOf(question).map((o) => o.key);
      const max = question.max_choices ?? keys.length;
      schema = z.preprocess(
        (v) => (typeof v === 'string' ? [v] : v),
        z
          .array(z.enum(keys as [string, ...string[]], { error: invalid }), { error: whenMissing })
          .max(max, { error: 'error.too.many' })
          .refine((list) => new Set(list).size === list.length, { error: invalid })
          .refine((list) => !question.required || list.length > 0, { error: missing }),
      );
      break;
    }
    case 'text':
      schema = z
        .string({ error: whenMissing })
        .transform(cleanText)
        .pipe(
          z
            .string()
            .max(COMMENT_MAX_CHARS, { error: 'error.too.long' })
            .refine((s) => !question.required || s !== '', { error: missing }),
        );
      break;
  }
  return question.required ? schema : schema.optional();
}

/**
 * Schemas already built, by the question and field lists they were built from: a cached desk
 * (desk-cache.ts) hands the same lists to every request, so its schema is built once.
 */
const schemas = new WeakMap<Question[], WeakMap<Field[], ReturnType<typeof buildSchema>>>();

/** The schema of one questionnaire version and desk. */
export function surveySchema(questions: Question[], fields: Field[]) {
  let byFields = schemas.get(questions);
  if (!byFields) schemas.set(questions, (byFields = new WeakMap()));
  let schema = byFields.get(fields);
  if (!schema) byFields.set(fields, (schema = buildSchema(questions, fields)));
  return schema;
}

function buildSchema(questions: Question[], fields: Field[]) {
  const shape: Record<string, z.ZodType> = {};
  for (const q of questions) shape[q.key] = questionSchema(q);
  const codes = fields.map((f) => f.code) as [string, ...string[]];
  // A desk with one field needs no choice; a desk with several makes the citizen pick one.
  shape[FIELD_CHOICE_FIELD] =
    fields.length > 1
      ? z.enum(codes, { error: (iss) => (iss.input === undefined ? 'error.required.field' : 'error.invalid.choice') })
      : z.enum(codes, { error: 'error.invalid.choice' }).optional();
  return z.object(shape);
}

function structuralProblem(form: RawForm, questions: Question[]): string | null {
  const multi = new Set(questions.filter((q) => q.type === 'multi_choice').map((q) => q.key));
  const known = new Set([FORM_TOKEN_FIELD, FIELD_CHOICE_FIELD, HONEYPOT_FIELD, DOSSIER_FIELD, LANG_SWITCH_FIELD, ...questions.map((q) => q.key)]);
  for (const [key, value] of Object.entries(form)) {
    if (!known.has(key)) return `unknown field "${key.slice(0, 40)}"`;
    if (Array.isArray(value) && !multi.has(key)) return `field "${key}" sent more than once`;
    if (typeof value !== 'string' && !Array.isArray(value)) return `field "${key}" is not text`;
  }
  return null;
}

export function validateSubmission(form: RawForm, questions: Question[], fields: Field[]): Validation {
  const problem = structuralProblem(form, questions);
  if (problem) return { kind: 'malformed', reason: problem };

  const parsed = surveySchema(questions, fields).safeParse(form);
  if (!parsed.success) {
    const errors = new Map<string, FieldError>();
    for (const issue of parsed.error.issues) {
      const key = String(issue.path[0] ?? '');
      if (errors.has(key)) continue;
      const question = questions.find((q) => q.key === key);
      const message = issue.message as MessageKey;
      const params =
        message === 'error.too.many' ? { n: question?.max_choices ?? 0 } : message === 'error.too.long' ? { n: COMMENT_MAX_CHARS } : undefined;
      errors.set(key, params ? { message, params } : { message });
    }
    return { kind: 'invalid', errors };
  }

  const data = parsed.data as Record<string, unknown>;
  const fieldCode = data[FIELD_CHOICE_FIELD] as string | undefined;
  const field = fieldCode === undefined ? fields[0] : fields.find((f) => f.code === fieldCode);
  if (!field) return { kind: 'malformed', reason: 'the desk serves no field' };

  const answers: ValidAnswers = { fieldId: field.id, ratings: [], choices: [], comments: [] };
  for (const q of questions) {
    const value = data[q.key];
    if (value === undefined) continue;
    if (q.type === 'rating5') answers.ratings.push({ questionId: q.id, value: value as number | null });
    else if (q.type === 'text') {
      if (value !== '') answers.comments.push({ questionId: q.id, text: value as string });
    } else if ((value as string[]).length > 0) answers.choices.push({ questionId: q.id, optionKeys: value as string[] });
  }
  return { kind: 'valid', answers };
}
