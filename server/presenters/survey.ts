/** Turns a desk's questionnaire and the citizen's answers so far into the survey page's view model, and the thank-you page's. */
import type { DeskSurvey } from '../../db/queries/desks.ts';
import type { Question } from '../../db/schema.ts';
import { type Lang, pick, type Translate } from '../i18n/index.ts';
import { COMMENT_MAX_CHARS, DOSSIER_FIELD, FIELD_CHOICE_FIELD, type FieldError, FORM_TOKEN_FIELD, HONEYPOT_FIELD, LANG_SWITCH_FIELD, optionsOf } from '../survey/validate.ts';
import { formatDateTime } from './format.ts';
import { placeLine, serviceOfUnit } from './place.ts';

export interface ChoiceView {
  id: string;
  value: string;
  label: string;
  checked: boolean;
  /** 'positive' | 'negative' | 'neutral' | 'none': a colour hint for rating buttons. */
  tone: string;
}

export interface QuestionView {
  key: string;
  number: number;
  /** rating5 | single_choice | multi_choice | text */
  type: string;
  legend: string;
  /** The question's few words ("Thủ tục hành chính"), to name it in the error summary; null without one. */
  shortName: string | null;
  /** The id of the legend (or the comment's label): the error summary links here, so the question text is in view. */
  legendId: string;
  required: boolean;
  hint: string | null;
  error: string | null;
  errorId: string;
  choices: ChoiceView[];
  noOpinion: ChoiceView | null;
  text: string;
  maxLength: number;
}

export interface SectionView {
  heading: string | null;
  questions: QuestionView[];
}

/** The dossier code box, on desks that ask for it. */
export interface DossierView {
  name: string;
  label: string;
  hint: string;
  value: string;
  /** "(bắt buộc)" beside the label: the box must be filled in (also `required` on the input). */
  requiredMark: string;
  error: string | null;
  errorId: string;
}

/**
 * A second response for a dossier already rated (issue 21, item 10): nothing to correct, so said as
 * what happened, not as "check 1 question"; the link goes to the code, in case it was mistyped.
 */
export interface DossierAnsweredView {
  title: string;
  body: string;
  fix: { href: string; text: string };
}

/**
 * A counter tablet's idle reset (issue 21, item 6; public/js/kiosk-idle.js): after `idleSeconds`
 * without input the notice counts `countdownSeconds` down, then the empty form at `resetUrl`. The
 * texts carry "{n}" for the script to fill in.
 */
export interface KioskIdleView {
  idleSeconds: number;
  countdownSeconds: number;
  resetUrl: string;
  title: string;
  body: string;
  /** The countdown as first shown, and its wording for the script ("{n}"; one second apart). */
  countdown: string;
  countdownTemplate: string;
  countdownOne: string;
  continueLabel: string;
  restartLabel: string;
}

export interface SurveyFormView {
  title: string;
  /** The document title: "Lỗi: …" while the form has errors, so a screen reader hears it first. */
  pageTitle: string;
  intro: string;
  /** "Phường Thành Vinh · Quầy: Tiếp nhận hồ sơ" */
  place: string;
  anonymous: string;
  action: string;
  tokenFieldName: string;
  formToken: string;
  /** The header's language switch as a button of this form (its id), so the answers come along. */
  langSwitch: { form: string; name: string; value: string };
  /** A field people never see or fill in; scripts that fill every field give themselves away. */
  honeypot: { name: string; label: string };
  dossier: DossierView | null;
  fieldQuestion: QuestionView | null;
  sections: SectionView[];
  errorSummary: string | null;
  errorLinks: { href: string; text: string }[];
  /** The dossier was rated before: said instead of the error summary. */
  dossierAnswered: DossierAnsweredView | null;
  expired: boolean;
  busy: boolean;
  /** On a counter tablet only: its idle reset. */
  kioskIdle: KioskIdleView | null;
}

export interface SurveyFormInput {
  survey: DeskSurvey;
  lang: Lang;
  t: Translate;
  action: string;
  formToken: string;
  kept: Map<string, string[]>;
  errors: Map<string, FieldError>;
  expired: boolean;
  /** The database could not take the submission just now: the answers are kept, send again. */
  busy?: boolean;
  /** The desk asks for the dossier code (and the page is not a personal link, which carries it). */
  askDossier?: boolean;
  /** On a counter tablet: when it resets itself, and to which address. */
  kioskIdle?: { idleSeconds: number; countdownSeconds: number; resetUrl: string } | null;
}

/** The message key of a second response for a dossier already rated (submit-form.ts). */
export const DOSSIER_ANSWERED = 'survey.dossier.answered';

const TONE: Record<string, string> = { '5': 'positive', '4': 'positive', '3': 'neutral', '2': 'negative', '1': 'negative' };

function questionView(q: Question, number: number, input: SurveyFormInput): QuestionView {
  const { lang, t, kept, errors } = input;
  const values = kept.get(q.key) ?? [];
  const error = errors.get(q.key);
  const choice = (value: string, label: string, tone = 'neutral'): ChoiceView => ({
    id: `${q.key}-${value}`,
    value,
    label,
    checked: values.includes(value),
    tone,
  });
  let choices: ChoiceView[] = [];
  let noOpinion: ChoiceView | null = null;
  let hint: string | null = null;
  if (q.type === 'rating5') {
    choices = ['5', '4', '3', '2', '1'].map((v) => choice(v, t(`scale.${v}` as 'scale.5'), TONE[v]));
    if (q.allow_no_opinion) noOpinion = choice('0', t('scale.none'), 'none');
  } else if (q.type === 'single_choice' || q.type === 'multi_choice') {
    choices = optionsOf(q).map((o) => choice(o.key, pick(lang, o.vi, o.en)));
    if (q.type === 'multi_choice' && q.max_choices) hint = t('survey.choose.up.to', { n: q.max_choices });
  } else {
    hint = t('survey.text.hint', { n: COMMENT_MAX_CHARS });
  }
  return {
    key: q.key,
    number,
    type: q.type,
    legend: pick(lang, q.text_vi, q.text_en),
    shortName: q.short_vi && q.short_en ? pick(lang, q.short_vi, q.short_en) : null,
    legendId: `${q.key}-legend`,
    required: q.required === 1,
    hint,
    error: error ? t(error.message, error.params) : null,
    errorId: `${q.key}-error`,
    choices,
    noOpinion,
    text: q.type === 'text' ? (values[0] ?? '') : '',
    maxLength: COMMENT_MAX_CHARS,
  };
}

/** "Câu 2 (Thủ tục hành chính): Vui lòng chọn một mức đánh giá.": which question, without scrolling to it. */
function summaryText(q: QuestionView, t: Translate): string {
  const error = q.error ?? '';
  if (q.number === 0) return error;
  const which = q.shortName ? t('survey.errors.question.named', { n: q.number, name: q.shortName }) : t('survey.errors.question', { n: q.number });
  return `${which}: ${error}`;
}

/**
 * The questionnaire's title as a citizen reads it: without a closing note on the method for staff,
 * "(theo phương pháp 2023, 16 tiêu chí)", "(22 tiêu chí)" (issue 21, item 8). Staff pages keep it.
 */
export function citizenTitle(title: string): string {
  return title.replace(/\s*\([^()]*(?:tiêu chí|criteria)\)\s*$/iu, '') || title;
}

export function presentSurveyForm(input: SurveyFormInput): SurveyFormView {
  const { survey, lang, t, errors } = input;
  const { questionnaire, elements, questions, fields } = survey;

  let fieldQuestion: QuestionView | null = null;
  if (fields.length > 1) {
    const chosen = input.kept.get(FIELD_CHOICE_FIELD) ?? [];
    const error = errors.get(FIELD_CHOICE_FIELD);
    fieldQuestion = {
      key: FIELD_CHOICE_FIELD,
      number: 0,
      type: 'single_choice',
      legend: t('survey.field.legend'),
      shortName: null,
      legendId: `${FIELD_CHOICE_FIELD}-legend`,
      required: true,
      hint: null,
      error: error ? t(error.message) : null,
      errorId: `${FIELD_CHOICE_FIELD}-error`,
      choices: fields.map((f) => ({
        id: `${FIELD_CHOICE_FIELD}-${f.code}`,
        value: f.code,
        label: pick(lang, f.name_vi, f.name_en),
        checked: chosen.includes(f.code),
        tone: 'neutral',
      })),
      noOpinion: null,
      text: '',
      maxLength: 0,
    };
  }

  // Questions keep their template order; a new section starts whenever the element changes.
  const sections: SectionView[] = [];
  let current: SectionView | null = null;
  let currentElement: string | null | undefined;
  questions.forEach((q, index) => {
    if (current === null || q.element_code !== currentElement) {
      const element = elements.find((e) => e.code === q.element_code);
      const elementQuestions = questions.filter((x) => x.element_code === q.element_code).length;
      // A heading only helps when it groups several questions; a lone criterion already says it all.
      const heading = element && elementQuestions > 1 ? `${element.code}. ${pick(lang, element.name_vi, element.name_en)}` : null;
      current = { heading, questions: [] };
      sections.push(current);
      currentElement = q.element_code;
    }
    current.questions.push(questionView(q, index + 1, input));
  });

  let dossier: DossierView | null = null;
  if (input.askDossier) {
    const error = errors.get(DOSSIER_FIELD);
    dossier = {
      name: DOSSIER_FIELD,
      label: t('survey.dossier.label'),
      hint: t('survey.dossier.hint'),
      value: input.kept.get(DOSSIER_FIELD)?.[0] ?? '',
      requiredMark: t('survey.required'),
      error: error ? t(error.message) : null,
      errorId: `${DOSSIER_FIELD}-error`,
    };
  }

  const all = [...(fieldQuestion ? [fieldQuestion] : []), ...sections.flatMap((s) => s.questions)];
  const withErrors = all.filter((q) => q.error !== null);
  // Rated before is not a mistake to correct: said on its own, without "check 1 question".
  const answeredBefore = errors.get(DOSSIER_FIELD)?.message === DOSSIER_ANSWERED && withErrors.length === 0;
  const dossierLinks = dossier?.error && !answeredBefore ? [{ href: `#${DOSSIER_FIELD}`, text: dossier.error }] : [];
  const title = citizenTitle(pick(lang, questionnaire.title_vi, questionnaire.title_en));
  const idle = input.kioskIdle ?? null;
  const service = serviceOfUnit(survey.unit.kind);
  return {
    title,
    pageTitle: withErrors.length + dossierLinks.length > 0 ? t('survey.title.error', { title }) : title,
    intro: pick(lang, questionnaire.intro_vi, questionnaire.intro_en),
    place: placeLine(survey.unit.name, survey.desk.name, service, t),
    anonymous: t(`survey.anonymous.${service}`),
    action: input.action,
    tokenFieldName: FORM_TOKEN_FIELD,
    formToken: input.formToken,
    langSwitch: { form: 'survey-form', name: LANG_SWITCH_FIELD, value: lang === 'en' ? 'vi' : 'en' },
    honeypot: { name: HONEYPOT_FIELD, label: t('survey.honeypot') },
    dossier,
    fieldQuestion,
    sections,
    errorSummary: withErrors.length + dossierLinks.length > 0 ? t('survey.errors.summary', { n: withErrors.length + dossierLinks.length }) : null,
    errorLinks: [...dossierLinks, ...withErrors.map((q) => ({ href: `#${q.legendId}`, text: summaryText(q, t) }))],
    dossierAnswered:
      answeredBefore && dossier
        ? { title: t('survey.dossier.answered.title'), body: t('survey.dossier.answered.body'), fix: { href: `#${DOSSIER_FIELD}`, text: t('survey.dossier.answered.fix') } }
        : null,
    expired: input.expired,
    busy: input.busy ?? false,
    kioskIdle: idle && {
      ...idle,
      title: t('kiosk.idle.title'),
      body: t('kiosk.idle.body', { n: idle.idleSeconds }),
      countdown: idle.countdownSeconds === 1 ? t('kiosk.idle.countdown.one') : t('kiosk.idle.countdown', { n: idle.countdownSeconds }),
      countdownTemplate: t('kiosk.idle.countdown'),
      countdownOne: t('kiosk.idle.countdown.one'),
      continueLabel: t('kiosk.idle.continue'),
      restartLabel: t('kiosk.idle.restart'),
    },
  };
}

export interface ThanksView {
  title: string;
  body: string;
  place: string;
  again: string;
  /** For a form sent before (Back, a reload, sent twice): when, and that it counts once. */
  sentBefore?: string;
}

/** "Phiếu này đã được gửi lúc 10:02…": the time alone on the same local day, "10:02 ngày 03/12/2026" otherwise. */
export function presentSentBefore(sentAt: string, now: Date, t: Translate, lang: Lang): string {
  const when = formatDateTime(sentAt, lang);
  const today = formatDateTime(now.toISOString(), lang).slice(0, 10);
  const time = when.startsWith(today) ? when.slice(11) : t('thanks.sent.on', { time: when.slice(11), day: when.slice(0, 10) });
  return t('thanks.sent.before', { time });
}

/** The thank-you page speaks to the same people, about the same place, as the form did. */
export function presentThanks(survey: Pick<DeskSurvey, 'unit' | 'desk'>, t: Translate, kiosk: boolean): ThanksView {
  const service = serviceOfUnit(survey.unit.kind);
  return {
    title: t(`thanks.title.${service}`),
    body: t(`thanks.body.${service}`),
    place: placeLine(survey.unit.name, survey.desk.name, service, t),
    again: kiosk ? t('kiosk.again') : t(`thanks.again.${service}`),
  };
}
