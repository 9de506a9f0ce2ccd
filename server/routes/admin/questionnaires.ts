/**
 * /admin/questionnaires: the versions of each questionnaire; an editor for the words (vi and en),
 * order, required flags and elements of a version that nobody has answered yet; a preview exactly
 * as a citizen sees it; "new version" copied from the current one. Once answered, a version is
 * locked and the editor says so. Desks move to a new version on their own page.
 */
import { type Request, type Response, Router } from 'express';
import { findQuestionnaireDetail, listQuestionnaires, type QuestionnaireDetail, type QuestionnaireEdit } from '../../../db/queries/questionnaires.ts';
import type { QuestionnaireKind, UnitKind } from '../../../db/schema.ts';
import { staffOf } from '../../auth/middleware.ts';
import { setFlash } from '../../middleware/flash.ts';
import { localeOf } from '../../middleware/locale.ts';
import { renderError } from '../../middleware/render.ts';
import { presentQuestionnaireEditor, presentQuestionnaireList, questionnaireTitle } from '../../presenters/admin/questionnaires.ts';
import { presentSurveyForm } from '../../presenters/survey.ts';
import { editQuestionnaire } from '../../questionnaires/edit-questionnaire.ts';
import { startNewVersion } from '../../questionnaires/new-version.ts';
import type { RouteDeps } from '../deps.ts';
import type { FormErrors } from '../form-schema.ts';
import { renderStaffPage } from './page.ts';
import { QuestionnaireParamsSchema, questionnaireFormSchema } from './questionnaires.schema.ts';

const PREVIEW_UNIT_KIND: Record<QuestionnaireKind, UnitKind> = { tthc: 'commune', health: 'hospital', education: 'school' };

export function adminQuestionnaireRoutes({ db, now }: RouteDeps): Router {
  const router = Router();

  router.get('/admin/questionnaires', async (_req, res) => {
    const { lang, t, langQuery } = localeOf(res);
    const list = await listQuestionnaires(db);
    renderStaffPage(res, 'pages/admin/questionnaires', { title: t('admin.questionnaires.title'), section: 'questionnaires' }, presentQuestionnaireList(list, lang, t, langQuery));
  });

  async function detailOr404(req: Request, res: Response): Promise<QuestionnaireDetail | null> {
    const params = QuestionnaireParamsSchema.safeParse({ id: req.params.id });
    const detail = params.success ? await findQuestionnaireDetail(db, params.data.id) : undefined;
    if (!detail) renderError(res, 404);
    return detail ?? null;
  }

  function renderEditor(_req: Request, res: Response, detail: QuestionnaireDetail, edit: QuestionnaireEdit | null, errors: FormErrors, status = 200) {
    const { lang, t, langQuery } = localeOf(res);
    renderStaffPage(res, 'pages/admin/questionnaire', { title: questionnaireTitle(detail, lang, t), section: 'questionnaires', status }, presentQuestionnaireEditor(detail, edit, errors, t, langQuery));
  }

  router.get('/admin/questionnaires/:id', async (req, res) => {
    const detail = await detailOr404(req, res);
    if (detail) renderEditor(req, res, detail, null, {});
  });

  router.post('/admin/questionnaires/:id', async (req, res) => {
    const detail = await detailOr404(req, res);
    if (!detail) return;
    const { t, langQuery } = localeOf(res);
    const parsed = questionnaireFormSchema(detail).safeParse(req.body ?? {});
    if (!parsed.success) return renderError(res, 400);
    const saved = await editQuestionnaire(db, staffOf(res), detail, parsed.data, now().toISOString(), t);
    if (!saved.ok) {
      if (saved.status === 403) return renderError(res, 403);
      if (saved.status === 409) return renderError(res, 409, 'admin.questionnaire.locked.title', 'admin.questionnaire.locked');
      return renderEditor(req, res, detail, saved.edit, saved.errors, 422);
    }
    setFlash(req, 'admin.saved');
    res.redirect(303, `/admin/questionnaires/${detail.questionnaire.id}${langQuery}`);
  });

  router.post('/admin/questionnaires/:id/new-version', async (req, res) => {
    const detail = await detailOr404(req, res);
    if (!detail) return;
    const created = await startNewVersion(db, staffOf(res), detail, now().toISOString());
    if (!created.ok) return renderError(res, 403);
    setFlash(req, 'admin.questionnaire.version.created', { version: created.version });
    res.redirect(303, `/admin/questionnaires/${created.id}${localeOf(res).langQuery}`);
  });

  router.get('/admin/questionnaires/:id/preview', async (req, res) => {
    const detail = await detailOr404(req, res);
    if (!detail) return;
    const { lang, t } = localeOf(res);
    // The citizen's form itself, for a made-up desk: what they will see, and nothing to send.
    const view = presentSurveyForm({
      survey: {
        desk: { id: 0, unit_id: 0, code: 'XEM-TRUOC', name: t('admin.preview.desk'), questionnaire_id: detail.questionnaire.id, token_version: 1, active: 1, created_at: '', requires_dossier: 0, short_code: '' },
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
