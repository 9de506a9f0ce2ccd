/**
 * The paper-entry page's view model: one small box per rating question for a typed digit, the
 * choice and comment questions as on the citizen's form, errors next to their question and every
 * typed value kept; after a save, the form's number and, when a paper signal held it for review, a
 * calm word that it will count once someone else has looked at it. A rating box takes a digit or
 * "-" for a question the citizen left blank (survey/enter-paper-form.ts PAPER_BLANK).
 */
import type { DeskSurvey } from '../../db/queries/desks.ts';
import { type Lang, pick, type Translate } from '../i18n/index.ts';
import { FIELD_CHOICE_FIELD, type FieldError, optionsOf } from '../survey/validate.ts';
import { formatDay } from './format.ts';

export interface PaperFormInput {
  survey: DeskSurvey;
  day: string;
  count: number;
  lang: Lang;
  t: Translate;
  kept: Map<string, string[]>;
  errors: Map<string, FieldError>;
  paperNumber: string;
  numberError: string | null;
  saved: string | null;
  /** The form just saved tripped a paper signal: it counts once someone else has reviewed it. */
  held: boolean;
}

export function presentPaperForm(input: PaperFormInput) {
  const { survey, lang, t, kept, errors } = input;
  const errorOf = (key: string) => {
    const e = errors.get(key);
    return e ? t(e.message, e.params) : undefined;
  };
  const first = (key: string) => kept.get(key)?.[0] ?? '';
  let number = 0;
  const questions = survey.questions.map((q) => {
    number++;
    const label = `${number}. ${pick(lang, q.short_vi ?? q.text_vi, q.short_en ?? q.text_en)}`;
    if (q.type === 'rating5') {
      return {
        kind: 'digit',
        field: {
          name: q.key,
          id: `p-${q.key}`,
          label,
          value: first(q.key),
          error: errorOf(q.key),
          hint: q.allow_no_opinion ? t('paper.digit.hint.none') : t('paper.digit.hint'),
          inputmode: 'numeric',
          maxlength: 1,
          pattern: q.allow_no_opinion ? '[0-5]|-' : '[1-5]|-',
          autocomplete: 'off',
          required: q.required === 1,
        },
      };
    }
    if (q.type === 'text') {
      return { kind: 'text', field: { name: q.key, id: `p-${q.key}`, type: 'textarea', label, value: first(q.key), error: errorOf(q.key), rows: 2, maxlength: 1000 } };
    }
    const chosen = kept.get(q.key) ?? [];
    return {
      kind: 'choice',
      legend: label,
      error: errorOf(q.key) ?? null,
      multiple: q.type === 'multi_choice',
      options: optionsOf(q).map((o) => ({ id: `p-${q.key}-${o.key}`, name: q.key, value: o.key, label: pick(lang, o.vi, o.en), checked: chosen.includes(o.key) })),
    };
  });
  const fieldChoice =
    survey.fields.length > 1
      ? {
          name: FIELD_CHOICE_FIELD,
          id: 'p-field',
          type: 'select',
          label: t('paper.field'),
          error: errorOf(FIELD_CHOICE_FIELD),
          required: true,
          options: [
            { value: '', label: t('paper.field.choose'), selected: first(FIELD_CHOICE_FIELD) === '' },
            ...survey.fields.map((f) => ({ value: f.code, label: pick(lang, f.name_vi, f.name_en), selected: first(FIELD_CHOICE_FIELD) === f.code })),
          ],
        }
      : null;
  return {
    place: `${survey.unit.name} · ${survey.desk.name}`,
    day: formatDay(input.day),
    batch: t('paper.batch', { n: input.count, day: formatDay(input.day) }),
    saved: input.saved ? t('paper.saved', { number: input.saved }) : null,
    held: input.saved && input.held ? t('paper.saved.review') : null,
    hidden: { desk: String(survey.desk.id), day: formatDay(input.day), count: String(input.count) },
    paperNumber: { name: 'paper_number', id: 'p-number', label: t('paper.number'), hint: t('paper.number.hint'), value: input.paperNumber, error: input.numberError ?? undefined, required: true, maxlength: 30, autocomplete: 'off' },
    fieldChoice,
    digits: questions.filter((q) => q.kind === 'digit').map((q) => q.field),
    others: questions.filter((q) => q.kind !== 'digit'),
    errorCount: errors.size + (input.numberError ? 1 : 0),
    changeHref: `/paper?desk=${survey.desk.id}&day=${encodeURIComponent(formatDay(input.day))}${lang === 'en' ? '&lang=en' : ''}`,
  };
}
