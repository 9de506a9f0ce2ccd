/**
 * Why: the form /admin/questionnaires/:id reads, beside its route (issue 19). Its fields are named
 * after the version's own elements and questions (`element_<id>_vi`, `q_<id>_position`, …), so the
 * schema is made for the version being edited; it reads each field as the staff forms always did
 * (missing as empty, a box ticked by "1" or "on") and hands the command
 * (server/questionnaires/edit-questionnaire.ts) the form as typed, whose rules say what is refused.
 * Unknown fields are ignored; the new-version button sends no field.
 */
import { z } from 'zod';
import type { QuestionnaireDetail } from '../../../db/queries/questionnaires.ts';
import type { QuestionnaireForm } from '../../questionnaires/edit-questionnaire.ts';
import { formCheckbox, formText } from '../form-schema.ts';
import { idParam } from '../form-schema.ts';

export function questionnaireFormSchema(detail: QuestionnaireDetail): z.ZodType<QuestionnaireForm> {
  const shape: Record<string, typeof formText | typeof formCheckbox> = { title_vi: formText, title_en: formText, intro_vi: formText, intro_en: formText };
  for (const e of detail.elements) {
    shape[`element_${e.id}_vi`] = formText;
    shape[`element_${e.id}_en`] = formText;
  }
  for (const x of detail.questions) {
    for (const part of ['position', 'vi', 'en', 'short_vi', 'short_en', 'element']) shape[`q_${x.id}_${part}`] = formText;
    shape[`q_${x.id}_required`] = formCheckbox;
  }
  return z.object(shape).transform((f): QuestionnaireForm => {
    const s = (name: string): string => {
      const value = f[name];
      return typeof value === 'string' ? value : '';
    };
    return {
      titleVi: s('title_vi'),
      titleEn: s('title_en'),
      introVi: s('intro_vi'),
      introEn: s('intro_en'),
      elements: detail.elements.map((e) => ({ id: e.id, nameVi: s(`element_${e.id}_vi`), nameEn: s(`element_${e.id}_en`) })),
      questions: detail.questions.map((x) => {
        const p = `q_${x.id}_`;
        return {
          id: x.id,
          position: s(`${p}position`),
          textVi: s(`${p}vi`),
          textEn: s(`${p}en`),
          shortVi: s(`${p}short_vi`),
          shortEn: s(`${p}short_en`),
          element: s(`${p}element`),
          required: f[`${p}required`] === true,
        };
      }),
    };
  });
}

export const QuestionnaireParamsSchema = z.object({ id: idParam });
