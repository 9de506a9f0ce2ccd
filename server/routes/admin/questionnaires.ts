/**
 * /admin/questionnaires: the versions of each questionnaire; an editor for the words (vi and en),
 * order, required flags and elements of a version that nobody has answered yet; a preview exactly
 * as a citizen sees it; "new version" copied from the current one. Once answered, a version is
 * locked and the editor says so. Desks move to a new version on their own page.
 */
import { type Request, type Response, Router } from 'express';
import { audit } from '../../../db/queries/audit.ts';
import { copyAsNewVersion, findQuestionnaireDetail, listQuestionnaires, type QuestionnaireDetail, type QuestionnaireEdit, updateQuestionnaire } from '../../../db/queries/questionnaires.ts';
import type { Question, QuestionnaireKind, UnitKind } from '../../../db/schema.ts';
import { SHORT_LABEL_MAX } from '../../../db/seed/templates.ts';
import { staffOf } from '../../auth/middleware.ts';
import { setFlash } from '../../middleware/flash.ts';
import { pick } from '../../i18n/index.ts';
import { localeOf } from '../../middleware/locale.ts';
import { presentSurveyForm } from '../../presenters/survey.ts';
import { renderError } from '../../middleware/render.ts';
import type { RouteDeps } from '../deps.ts';
import { bodyOf, checked, type FormErrors, positiveId, text } from './forms.ts';
import { renderStaffPage } from './page.ts';

const TEXT_MAX = 500;
const PREVIEW_UNIT_KIND: Record<QuestionnaireKind, UnitKind> = { tthc: 'commune', health: 'hospital', education: 'school' };

export function adminQuestionnaireRoutes({ db, now }: RouteDeps): Router {
  const router = Router();

  router.get('/admin/questionnaires', async (req, res) => {
    const { lang, t, langQuery } = localeOf(res);
    const list = await listQuestionnaires(db);
    renderStaffPage(res, 'pages/admin/questionnaires', { title: t('admin.questionnaires.title'), section: 'questionnaires' }, {
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
    });
  });

  async function detailOr404(req: Request, res: Response): Promise<QuestionnaireDetail | null> {
    const id = positiveId(req.params.id);
    const detail = id === null ? undefined : await findQuestionnaireDetail(db, id);
    if (!detail) renderError(res, 404);
    return detail ?? null;
  }

  function renderEditor(req: Request, res: Response, detail: QuestionnaireDetail, edit: QuestionnaireEdit | null, errors: FormErrors, status = 200) {
    const { t, langQuery } = localeOf(res);
    const q = detail.questionnaire;
    const current = edit ?? editOf(detail);
    const elementOptions = (selected: string | null) => [
      { value: '', label: t('admin.questionnaire.no.element'), selected: selected === null },
      ...detail.elements.map((e) => ({ value: e.code, label: `${e.code}. ${e.name_vi}`, selected: e.code === selected })),
    ];
    const byId = new Map(detail.questions.map((x) => [x.id, x]));
    renderStaffPage(res, 'pages/admin/questionnaire', { title: `${q.title_vi} — ${q.code}, ${t('admin.version', { n: q.version })}`, section: 'questionnaires', status }, {
      id: q.id,
      locked: q.locked === 1,
      previewHref: `/admin/questionnaires/${q.id}/preview${langQuery}`,
      back: `/admin/questionnaires${langQuery}`,
      errorCount: Object.keys(errors).length,
      title: [
        { name: 'title_vi', label: t('admin.questionnaire.title.vi'), value: current.titleVi, error: errors.title_vi, required: true, maxlength: 200 },
        { name: 'title_en', label: t('admin.questionnaire.title.en'), value: current.titleEn, error: errors.title_en, required: true, maxlength: 200 },
        { name: 'intro_vi', type: 'textarea', label: t('admin.questionnaire.intro.vi'), value: current.introVi, error: errors.intro_vi, maxlength: 1000 },
        { name: 'intro_en', type: 'textarea', label: t('admin.questionnaire.intro.en'), value: current.introEn, error: errors.intro_en, maxlength: 1000 },
      ],
      elements: current.elements.map((e) => {
        const code = detail.elements.find((x) => x.id === e.id)?.code ?? '';
        return {
          code,
          fields: [
            { name: `element_${e.id}_vi`, label: t('admin.questionnaire.element.vi', { code }), value: e.nameVi, error: errors[`element_${e.id}_vi`], required: true, maxlength: 200 },
            { name: `element_${e.id}_en`, label: t('admin.questionnaire.element.en', { code }), value: e.nameEn, error: errors[`element_${e.id}_en`], required: true, maxlength: 200 },
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
            { name: `${p}vi`, type: 'textarea', label: t('admin.questionnaire.text.vi'), value: x.textVi, error: errors[`${p}vi`], required: true, maxlength: TEXT_MAX, rows: 2 },
            { name: `${p}en`, type: 'textarea', label: t('admin.questionnaire.text.en'), value: x.textEn, error: errors[`${p}en`], required: true, maxlength: TEXT_MAX, rows: 2 },
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
    });
  }

  function editOf(detail: QuestionnaireDetail): QuestionnaireEdit {
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

  router.get('/admin/questionnaires/:id', async (req, res) => {
    const detail = await detailOr404(req, res);
    if (detail) renderEditor(req, res, detail, null, {});
  });

  router.post('/admin/questionnaires/:id', async (req, res) => {
    const detail = await detailOr404(req, res);
    if (!detail) return;
    const { t, langQuery } = localeOf(res);
    if (detail.questionnaire.locked === 1) return renderError(res, 409, 'admin.questionnaire.locked.title', 'admin.questionnaire.locked');
    const body = bodyOf(req);
    const errors: FormErrors = {};
    const required = (name: string, max: number) => {
      const value = text(body, name);
      if (value === '' || value.length > max) errors[name] = t('admin.questionnaire.error.text', { n: max });
      return value;
    };
    const optional = (name: string, max: number) => {
      const value = text(body, name);
      if (value.length > max) errors[name] = t('admin.questionnaire.error.text', { n: max });
      return value === '' ? null : value;
    };
    const count = detail.questions.length;
    const edit: QuestionnaireEdit = {
      titleVi: required('title_vi', 200),
      titleEn: required('title_en', 200),
      introVi: optional('intro_vi', 1000) ?? '',
      introEn: optional('intro_en', 1000) ?? '',
      elements: detail.elements.map((e) => ({ id: e.id, nameVi: required(`element_${e.id}_vi`, 200), nameEn: required(`element_${e.id}_en`, 200) })),
      questions: detail.questions.map((x) => {
        const p = `q_${x.id}_`;
        const position = Number(text(body, `${p}position`));
        if (!Number.isInteger(position) || position < 1 || position > count) errors[`${p}position`] = t('admin.questionnaire.error.position', { n: count });
        let element = x.element_code;
        if (x.role === 'criterion') {
          element = text(body, `${p}element`);
          if (!detail.elements.some((e) => e.code === element)) errors[`${p}element`] = t('admin.questionnaire.error.element');
        }
        return {
          id: x.id,
          textVi: required(`${p}vi`, TEXT_MAX),
          textEn: required(`${p}en`, TEXT_MAX),
          shortVi: optional(`${p}short_vi`, SHORT_LABEL_MAX),
          shortEn: optional(`${p}short_en`, SHORT_LABEL_MAX),
          required: x.role === 'overall' ? true : checked(body, `${p}required`),
          element,
          position: position - 1,
        };
      }),
    };
    const positions = edit.questions.map((x) => x.position);
    if (new Set(positions).size !== positions.length) {
      for (const x of edit.questions) if (positions.filter((p) => p === x.position).length > 1) errors[`q_${x.id}_position`] = t('admin.questionnaire.error.duplicate.position');
    }
    if (Object.keys(errors).length > 0) return renderEditor(req, res, detail, edit, errors, 422);
    const saved = await updateQuestionnaire(db, detail.questionnaire.id, edit);
    if (!saved) return renderError(res, 409, 'admin.questionnaire.locked.title', 'admin.questionnaire.locked');
    await audit(db, {
      at: now().toISOString(),
      userId: staffOf(res).id,
      action: 'questionnaire.update',
      subject: `${detail.questionnaire.code} v${detail.questionnaire.version}`,
      before: editOf(detail),
      after: edit,
    });
    setFlash(req, 'admin.saved');
    res.redirect(303, `/admin/questionnaires/${detail.questionnaire.id}${langQuery}`);
  });

  router.post('/admin/questionnaires/:id/new-version', async (req, res) => {
    const detail = await detailOr404(req, res);
    if (!detail) return;
    const at = now().toISOString();
    const id = await copyAsNewVersion(db, detail.questionnaire.id, at);
    const created = await findQuestionnaireDetail(db, id);
    await audit(db, {
      at,
      userId: staffOf(res).id,
      action: 'questionnaire.version',
      subject: `${detail.questionnaire.code} v${created?.questionnaire.version ?? '?'}`,
      detail: `copied from v${detail.questionnaire.version}`,
    });
    setFlash(req, 'admin.questionnaire.version.created', { version: created?.questionnaire.version ?? 0 });
    res.redirect(303, `/admin/questionnaires/${id}${localeOf(res).langQuery}`);
  });

  router.get('/admin/questionnaires/:id/preview', async (req, res) => {
    const detail = await detailOr404(req, res);
    if (!detail) return;
    const { lang, t } = localeOf(res);
    // The citizen's form itself, for a made-up desk: what they will see, and nothing to send.
    const view = presentSurveyForm({
      survey: {
        desk: { id: 0, unit_id: 0, code: 'XEM-TRUOC', name: t('admin.preview.desk'), questionnaire_id: detail.questionnaire.id, token_version: 1, active: 1, created_at: '', requires_dossier: 0 },
        // A unit of the kind this questionnaire is for, so the preview speaks to the same people.
        unit: { id: 0, code: '', name: t('admin.preview.unit'), kind: PREVIEW_UNIT_KIND[detail.questionnaire.kind], parent_id: null, active: 1, created_at: '' },
        fields: [],
        ...detail,
      },
      lang,
      t,
      action: '#',
      formToken: '',
      kept: new Map(),
      errors: new Map(),
      expired: false,
    });
    res.render('pages/survey/form', { view, preview: { back: `/admin/questionnaires/${detail.questionnaire.id}${localeOf(res).langQuery}` } });
  });

  return router;
}
