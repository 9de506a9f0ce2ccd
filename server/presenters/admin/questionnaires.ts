/**
 * Why: the view models of /admin/questionnaires (issue 19: administration view models built by
 * presenters, not by hand in the route): the list of versions, and the editor of one version with
 * every field's label, value as typed, limit and message.
 */
import type { QuestionnaireDetail, QuestionnaireEdit, QuestionnaireListing } from '../../../db/queries/questionnaires.ts';
import type { Question } from '../../../db/schema.ts';
import { SHORT_LABEL_MAX } from '../../../db/seed/templates.ts';
import { type Lang, pick, type Translate } from '../../i18n/index.ts';
import { ELEMENT_NAME_MAX, INTRO_MAX, QUESTION_TEXT_MAX, questionnaireEditOf, TITLE_MAX } from '../../questionnaires/edit-questionnaire.ts';
import type { FormErrors } from '../../routes/form-schema.ts';

export function presentQuestionnaireList(list: QuestionnaireListing[], lang: Lang, t: Translate, langQuery: string) {
  return {
    rows: list.map((q) => ({
      href: `/admin/questionnaires/${q.id}${langQuery}`,
      title: pick(lang, q.titleVi, q.titleEn),
      code: q.code,
      version: t('admin.version', { n: q.version }),
      state: q.locked ? t('admin.questionnaire.locked.short') : t('admin.questionnaire.editable.short'),
      locked: q.locked,
      desks: q.desks,
      responses: q.responses,
    })),
  };
}

/** The editor's title: the questionnaire's title and version (its code, "tthc-short", is in the list's column, not in a heading). */
export const questionnaireTitle = (detail: QuestionnaireDetail, lang: Lang, t: Translate) =>
  `${pick(lang, detail.questionnaire.title_vi, detail.questionnaire.title_en)}, ${t('admin.version', { n: detail.questionnaire.version })}`;

/** `edit`: the form as typed when it was refused, else the version as it is. */
export function presentQuestionnaireEditor(detail: QuestionnaireDetail, edit: QuestionnaireEdit | null, errors: FormErrors, t: Translate, langQuery: string) {
  const q = detail.questionnaire;
  const current = edit ?? questionnaireEditOf(detail);
  const elementOptions = (selected: string | null) => [
    { value: '', label: t('admin.questionnaire.no.element'), selected: selected === null },
    ...detail.elements.map((e) => ({ value: e.code, label: `${e.code}. ${e.name_vi}`, selected: e.code === selected })),
  ];
  const byId = new Map(detail.questions.map((x) => [x.id, x]));
  return {
    id: q.id,
    locked: q.locked === 1,
    previewHref: `/admin/questionnaires/${q.id}/preview${langQuery}`,
    back: `/admin/questionnaires${langQuery}`,
    errorCount: Object.keys(errors).length,
    title: [
      { name: 'title_vi', label: t('admin.questionnaire.title.vi'), value: current.titleVi, error: errors.title_vi, required: true, maxlength: TITLE_MAX },
      { name: 'title_en', label: t('admin.questionnaire.title.en'), value: current.titleEn, error: errors.title_en, required: true, maxlength: TITLE_MAX },
      { name: 'intro_vi', type: 'textarea', label: t('admin.questionnaire.intro.vi'), value: current.introVi, error: errors.intro_vi, maxlength: INTRO_MAX },
      { name: 'intro_en', type: 'textarea', label: t('admin.questionnaire.intro.en'), value: current.introEn, error: errors.intro_en, maxlength: INTRO_MAX },
    ],
    elements: current.elements.map((e) => {
      const code = detail.elements.find((x) => x.id === e.id)?.code ?? '';
      return {
        code,
        fields: [
          { name: `element_${e.id}_vi`, label: t('admin.questionnaire.element.vi', { code }), value: e.nameVi, error: errors[`element_${e.id}_vi`], required: true, maxlength: ELEMENT_NAME_MAX },
          { name: `element_${e.id}_en`, label: t('admin.questionnaire.element.en', { code }), value: e.nameEn, error: errors[`element_${e.id}_en`], required: true, maxlength: ELEMENT_NAME_MAX },
        ],
      };
    }),
    questions: current.questions.map((x) => {
      const question = byId.get(x.id) as Question;
      const p = `q_${x.id}_`;
      return {
        key: question.key,
        kind: t(`admin.questionnaire.type.${question.type}`),
        role: t(`admin.questionnaire.role.${question.role}`),
        fields: [
          { name: `${p}position`, type: 'number', label: t('admin.questionnaire.position'), value: String(x.position + 1), error: errors[`${p}position`], min: 1, max: detail.questions.length, step: 1 },
          { name: `${p}vi`, type: 'textarea', label: t('admin.questionnaire.text.vi'), value: x.textVi, error: errors[`${p}vi`], required: true, maxlength: QUESTION_TEXT_MAX, rows: 2 },
          { name: `${p}en`, type: 'textarea', label: t('admin.questionnaire.text.en'), value: x.textEn, error: errors[`${p}en`], required: true, maxlength: QUESTION_TEXT_MAX, rows: 2 },
          { name: `${p}short_vi`, label: t('admin.questionnaire.short.vi'), value: x.shortVi ?? '', error: errors[`${p}short_vi`], maxlength: SHORT_LABEL_MAX, hint: t('admin.questionnaire.short.hint') },
          { name: `${p}short_en`, label: t('admin.questionnaire.short.en'), value: x.shortEn ?? '', error: errors[`${p}short_en`], maxlength: SHORT_LABEL_MAX },
          ...(question.role === 'criterion'
            ? [{ name: `${p}element`, type: 'select', label: t('admin.questionnaire.element'), options: elementOptions(x.element), error: errors[`${p}element`] }]
            : []),
          // The overall question is what the main indicator counts: it is always asked.
          ...(question.role === 'overall' ? [] : [{ name: `${p}required`, type: 'checkbox', label: t('admin.questionnaire.required'), checked: x.required }]),
        ],
      };
    }),
  };
}
