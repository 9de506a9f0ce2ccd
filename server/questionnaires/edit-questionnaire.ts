/**
 * Why: changing the words, order, required flags and elements of a questionnaire version is one
 * command (issue 19): administrators only; never a version that has answers (it is locked: a new
 * wording is a new version); every text required or optional within its length, positions 1..n
 * each used once, each criterion in an element of the questionnaire; then the change and its audit
 * entry ('questionnaire.update', with the version before and after) in one transaction.
 */
import type { Kysely } from 'kysely';
import { audit } from '../../db/queries/audit.ts';
import { type QuestionnaireDetail, type QuestionnaireEdit, updateQuestionnaire } from '../../db/queries/questionnaires.ts';
import type { Database } from '../../db/schema.ts';
import { SHORT_LABEL_MAX } from '../../db/seed/templates.ts';
import { authorize } from '../auth/permissions.ts';
import type { Staff } from '../auth/scope.ts';
import type { Translate } from '../i18n/index.ts';

/** The longest question text, in either language. */
export const QUESTION_TEXT_MAX = 500;
export const TITLE_MAX = 200;
export const INTRO_MAX = 1000;
export const ELEMENT_NAME_MAX = 200;

/** The editor's form as typed (routes/admin/questionnaires.schema.ts reads it), one entry per element and question of the version. */
export interface QuestionnaireForm {
  titleVi: string;
  titleEn: string;
  introVi: string;
  introEn: string;
  elements: { id: number; nameVi: string; nameEn: string }[];
  questions: { id: number; textVi: string; textEn: string; shortVi: string; shortEn: string; required: boolean; element: string; position: string }[];
}

/** A version as it is, in the editor's terms. */
export function questionnaireEditOf(detail: QuestionnaireDetail): QuestionnaireEdit {
  const q = detail.questionnaire;
  return {
    titleVi: q.title_vi,
    titleEn: q.title_en,
    introVi: q.intro_vi,
    introEn: q.intro_en,
    elements: detail.elements.map((e) => ({ id: e.id, nameVi: e.name_vi, nameEn: e.name_en })),
    questions: detail.questions.map((x) => ({
      id: x.id,
      textVi: x.text_vi,
      textEn: x.text_en,
      shortVi: x.short_vi,
      shortEn: x.short_en,
      required: x.required === 1,
      element: x.element_code,
      position: x.position,
    })),
  };
}

export type EditQuestionnaireResult =
  | { ok: true }
  | { ok: false; status: 403 }
  /** The version has answers (perhaps since the editor was opened): nothing changed. */
  | { ok: false; status: 409 }
  /** The form as read, to show again, and each refused field with its message. */
  | { ok: false; status: 422; edit: QuestionnaireEdit; errors: Record<string, string> };

/** The rules of the editor: the edit as it would be saved, and what breaks a rule. */
function check(detail: QuestionnaireDetail, form: QuestionnaireForm, t: Translate): { edit: QuestionnaireEdit; errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  const required = (name: string, value: string, max: number) => {
    if (value === '' || value.length > max) errors[name] = t('admin.questionnaire.error.text', { n: max });
    return value;
  };
  const optional = (name: string, value: string, max: number) => {
    if (value.length > max) errors[name] = t('admin.questionnaire.error.text', { n: max });
    return value === '' ? null : value;
  };
  const count = detail.questions.length;
  const edit: QuestionnaireEdit = {
    titleVi: required('title_vi', form.titleVi, TITLE_MAX),
    titleEn: required('title_en', form.titleEn, TITLE_MAX),
    introVi: optional('intro_vi', form.introVi, INTRO_MAX) ?? '',
    introEn: optional('intro_en', form.introEn, INTRO_MAX) ?? '',
    elements: detail.elements.map((e) => {
      const typed = form.elements.find((x) => x.id === e.id);
      return { id: e.id, nameVi: required(`element_${e.id}_vi`, typed?.nameVi ?? '', ELEMENT_NAME_MAX), nameEn: required(`element_${e.id}_en`, typed?.nameEn ?? '', ELEMENT_NAME_MAX) };
    }),
    questions: detail.questions.map((x) => {
      const p = `q_${x.id}_`;
      const typed = form.questions.find((y) => y.id === x.id);
      const position = Number(typed?.position ?? '');
      if (!Number.isInteger(position) || position < 1 || position > count) errors[`${p}position`] = t('admin.questionnaire.error.position', { n: count });
      let element = x.element_code;
      if (x.role === 'criterion') {
        element = typed?.element ?? '';
        if (!detail.elements.some((e) => e.code === element)) errors[`${p}element`] = t('admin.questionnaire.error.element');
      }
      return {
        id: x.id,
        textVi: required(`${p}vi`, typed?.textVi ?? '', QUESTION_TEXT_MAX),
        textEn: required(`${p}en`, typed?.textEn ?? '', QUESTION_TEXT_MAX),
        shortVi: optional(`${p}short_vi`, typed?.shortVi ?? '', SHORT_LABEL_MAX),
        shortEn: optional(`${p}short_en`, typed?.shortEn ?? '', SHORT_LABEL_MAX),
        // The overall question is what the main indicator counts: it is always asked.
        required: x.role === 'overall' ? true : (typed?.required ?? false),
        element,
        position: position - 1,
      };
    }),
  };
  const positions = edit.questions.map((x) => x.position);
  if (new Set(positions).size !== positions.length) {
    for (const x of edit.questions) if (positions.filter((p) => p === x.position).length > 1) errors[`q_${x.id}_position`] = t('admin.questionnaire.error.duplicate.position');
  }
  return { edit, errors };
}

export async function editQuestionnaire(
  db: Kysely<Database>,
  staff: Staff,
  detail: QuestionnaireDetail,
  form: QuestionnaireForm,
  at: string,
  t: Translate,
): Promise<EditQuestionnaireResult> {
  if (!authorize(staff, 'administerEverything')) return { ok: false, status: 403 };
  const q = detail.questionnaire;
  if (q.locked === 1) return { ok: false, status: 409 };
  const { edit, errors } = check(detail, form, t);
  if (Object.keys(errors).length > 0) return { ok: false, status: 422, edit, errors };
  return db.transaction().execute(async (trx) => {
    // Locked meanwhile by a first response: nothing is written.
    if (!(await updateQuestionnaire(trx, q.id, edit))) return { ok: false, status: 409 } as const;
    await audit(trx, { at, userId: staff.id, action: 'questionnaire.update', subject: `${q.code} v${q.version}`, before: questionnaireEditOf(detail), after: edit });
    return { ok: true } as const;
  });
}
