/**
 * Creating a desk (on its unit's page) and changing one (on its own page) are one command, so the
 * rules of a desk are written once (issue 19: the two routes parsed the same form with the same
 * three rules): who may (a unit the person manages), what a desk must have (a code of its own in its
 * unit, kept once printed; a name; at least one field still offered, or one it already served; a
 * questionnaire version that exists), and the audit entry, written in the same transaction as the
 * change so that no change is left without its entry, nor an entry without its change. The
 * administration pages and `sipas desk add` (server/cli/desks.ts, as the operator) call it alike.
 */
import type { Kysely } from 'kysely';
import { audit } from '../../db/queries/audit.ts';
import { createDesk, type DeskDetail, findDeskByCode, updateDesk } from '../../db/queries/desks.ts';
import { listQuestionnaires } from '../../db/queries/questionnaires.ts';
import { listFields } from '../../db/queries/units.ts';
import type { Database, Field, Unit } from '../../db/schema.ts';
import { type Actor, actorUserId } from '../accounts/actor.ts';
import { authorize } from '../auth/permissions.ts';
import type { Translate } from '../i18n/index.ts';

/** Letters, digits, dot, dash, underscore: printed on posters and typed in commands. */
export const DESK_CODE_PATTERN = /^[A-Za-z0-9._-]{1,30}$/;

/** A field a desk may serve: one still offered, or one it served before the 2025 reorganisation retired it. */
export function isOffered(field: Field, servedIds: string[]): boolean {
  return field.active === 1 || servedIds.includes(String(field.id));
}

/** The desk form as typed (strings), for showing it again with its messages. */
export interface DeskFormValues {
  code: string;
  name: string;
  fieldIds: string[];
  questionnaireId: string;
  requiresDossier?: boolean;
}

export type SaveDeskResult =
  | { ok: true; id: number }
  | { ok: false; status: 403 }
  /** Each refused field with its message, in the person's language. */
  | { ok: false; status: 422; errors: Record<string, string> };

/**
 * Creates a desk in `unit` (desk null) or changes `desk` (its code stays). Refuses with 403 a unit
 * a member of staff does not manage (the operator at the command line may every unit), with 422 and a message per field what breaks a rule; otherwise writes
 * the desk and its audit entry ('desk.create' / 'desk.update') in one transaction.
 */
export async function saveDesk(
  db: Kysely<Database>,
  actor: Actor,
  target: { unit: Unit; units: Unit[]; desk: DeskDetail | null },
  form: DeskFormValues,
  at: string,
  t: Translate,
): Promise<SaveDeskResult> {
  const { unit, units, desk } = target;
  if (actor.kind === 'staff' && !authorize(actor.staff, 'manageUnit', { unitId: unit.id, units })) return { ok: false, status: 403 };
  const userId = actorUserId(actor);
  const by = actor.kind === 'operator' ? { detail: 'cli' } : {};
  const [fields, questionnaires] = await Promise.all([listFields(db), listQuestionnaires(db)]);
  const errors: Record<string, string> = {};
  if (desk === null) {
    if (!DESK_CODE_PATTERN.test(form.code)) errors.code = t('admin.desk.error.code');
    else if (await findDeskByCode(db, unit.id, form.code)) errors.code = t('admin.desk.error.code.taken', { code: form.code });
  }
  if (form.name === '' || form.name.length > 120) errors.name = t('admin.desk.error.name');
  const served = desk ? desk.fieldIds.map(String) : [];
  const fieldIds = form.fieldIds.map(Number).filter((id) => fields.some((f) => f.id === id && isOffered(f, served)));
  if (fieldIds.length === 0 || fieldIds.length !== form.fieldIds.length) errors.fields = t('admin.desk.error.fields');
  if (!questionnaires.some((q) => String(q.id) === form.questionnaireId)) errors.questionnaire = t('admin.desk.error.questionnaire');
  if (Object.keys(errors).length > 0) return { ok: false, status: 422, errors };

  return db.transaction().execute(async (trx) => {
    if (desk === null) {
      const created = { unitId: unit.id, code: form.code, name: form.name, questionnaireId: Number(form.questionnaireId), fieldIds };
      const id = await createDesk(trx, created, at);
      await audit(trx, { at, userId, action: 'desk.create', subject: `${unit.code}/${form.code}`, ...by, after: created });
      return { ok: true, id };
    }
    const after = { name: form.name, fieldIds, questionnaireId: Number(form.questionnaireId), requiresDossier: form.requiresDossier === true };
    await updateDesk(trx, desk.id, after);
    await audit(trx, {
      at,
      userId,
      action: 'desk.update',
      subject: `${unit.code}/${desk.code}`,
      ...by,
      before: { name: desk.name, fieldIds: desk.fieldIds, questionnaireId: desk.questionnaireId, requiresDossier: desk.requiresDossier },
      after,
    });
    return { ok: true, id: desk.id };
  });
}
