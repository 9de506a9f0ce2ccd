/**
 * Questionnaire templates and fields are data (JSON beside this file), checked here on load so
 * that a mistake in an edited template names the file and the question instead of failing later.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { projectPath } from '../paths.ts';
import { z } from 'zod';

const here = projectPath('db', 'seed');

const text = z.object({ vi: z.string().min(1), en: z.string().min(1) });
/** As long as the administration pages allow (a chart or table label, not a sentence). */
export const SHORT_LABEL_MAX = 40;
const short = z.string().min(1).max(SHORT_LABEL_MAX);
const option = z.object({ key: z.string().regex(/^[a-z0-9-]+$/), vi: z.string().min(1), en: z.string().min(1) });

const question = z
  .object({
    key: z.string().regex(/^[a-z][a-z0-9_]*$/, 'keys are lower-case ascii, digits and _'),
    element: z.string().optional(),
    type: z.enum(['rating5', 'single_choice', 'multi_choice', 'text']),
    role: z.enum(['criterion', 'overall', 'expectation', 'comment', 'extra']),
    vi: z.string().min(1),
    en: z.string().min(1),
    /** A few words for charts and tables ("Thái độ công chức"); the full text when absent. */
    short_vi: short.optional(),
    short_en: short.optional(),
    required: z.boolean(),
    no_opinion: z.boolean().optional(),
    max_choices: z.number().int().positive().optional(),
    options: z.array(option).min(2).optional(),
  })
  .refine((q) => (q.type === 'single_choice' || q.type === 'multi_choice') === (q.options !== undefined), {
    message: 'choice questions need options, other types must not have them',
  })
  .refine((q) => q.role !== 'criterion' || (q.element !== undefined && q.type === 'rating5'), {
    message: 'a criterion is a rating5 question with an element',
  })
  .refine((q) => (q.short_vi === undefined) === (q.short_en === undefined), {
    message: 'give short_vi and short_en together, or neither',
  });

const template = z
  .object({
    code: z.string().regex(/^[a-z0-9-]+$/),
    version: z.number().int().positive(),
    kind: z.enum(['tthc', 'health', 'education']),
    title: text,
    intro: text,
    elements: z.array(z.object({ code: z.string().min(1), vi: z.string().min(1), en: z.string().min(1) })),
    questions: z.array(question).min(1),
  })
  .refine((t) => new Set(t.questions.map((q) => q.key)).size === t.questions.length, { message: 'question keys must be unique' })
  .refine((t) => t.questions.filter((q) => q.role === 'overall').length === 1, { message: 'exactly one overall question' })
  .refine((t) => t.questions.every((q) => q.element === undefined || t.elements.some((e) => e.code === q.element)), {
    message: 'every question element must be listed in elements',
  });

export type QuestionnaireTemplate = z.infer<typeof template>;

const field = z.object({
  code: z.string().regex(/^[a-z0-9-]+$/),
  vi: z.string().min(1),
  en: z.string().min(1),
  group: z.enum(['tthc', 'health', 'education']),
});
export type FieldTemplate = z.infer<typeof field>;

export class TemplateError extends Error {}

function parseJson<T>(file: string, schema: z.ZodType<T>): T {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new TemplateError(`${file}: not valid JSON (${(error as Error).message}). Fix the file and start again.`);
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue ? issue.path.join('.') : '';
    throw new TemplateError(`${file}: ${where ? `at ${where}: ` : ''}${issue?.message ?? 'invalid'}. Fix the template and start again.`);
  }
  return parsed.data;
}

export function loadFieldTemplates(): FieldTemplate[] {
  return parseJson(join(here, 'fields.json'), z.array(field));
}

/**
 * Every version of every template, one file each, named CODE.vVERSION.json: a version that has
 * answers never changes, so a new wording is a new file beside the old one.
 */
export function loadQuestionnaireTemplates(dir = join(here, 'questionnaires')): QuestionnaireTemplate[] {
  return readdirSync(dir)
    .filter((name) => name.endsWith('.json'))
    .sort()
    .map((name) => {
      const t = parseJson(join(dir, name), template);
      const expected = `${t.code}.v${t.version}.json`;
      if (name !== expected) throw new TemplateError(`${join(dir, name)}: holds ${t.code} version ${t.version}, so it must be named ${expected}. Rename the file and start again.`);
      return t;
    });
}

const indicatorFile = z.object({
  source: z.string().min(1),
  years: z.array(z.number().int().min(2000).max(2100)).min(1),
  indicators: z.array(
    z.object({
      code: z.string().regex(/^[a-z0-9_]+$/),
      vi: z.string().min(1),
      en: z.string().min(1),
      measure: z.enum(['overall_rate', 'sipas_index', 'item_rate', 'on_time_rate', 'apology_rate', 'backlog', 'online_share', 'service_766']),
      covers: z.union([
        z.object({ field_groups: z.array(z.enum(['tthc', 'health', 'education'])).min(1) }).strict(),
        z.object({ fields: z.array(z.string().min(1)).min(1) }).strict(),
        z.object({ questionnaire_kinds: z.array(z.enum(['tthc', 'health', 'education'])).min(1) }).strict(),
      ]),
      threshold: z.number().min(0).max(100),
      /** The document the target comes from when it is not the file's `source` (QĐ 766's score). */
      source: z.string().min(1).optional(),
    }),
  ),
});
export type IndicatorTemplates = z.infer<typeof indicatorFile>;

export function loadIndicatorTemplates(): IndicatorTemplates {
  return parseJson(join(here, 'indicators.json'), indicatorFile);
}
