/**
 * Why: starting a new version of a questionnaire (a copy of the one shown, unlocked, used by no desk
 * until a desk is moved to it) is one command (issue 19): administrators only, and the copy with its
 * audit entry ('questionnaire.version', naming the version copied) in one transaction.
 */
import type { Kysely } from 'kysely';
import { audit } from '../../db/queries/audit.ts';
import { copyAsNewVersion, findQuestionnaireDetail, type QuestionnaireDetail } from '../../db/queries/questionnaires.ts';
import type { Database } from '../../db/schema.ts';
import { authorize } from '../auth/permissions.ts';
import type { Staff } from '../auth/scope.ts';

export type NewVersionResult = { ok: true; id: number; version: number } | { ok: false; status: 403 };

export async function startNewVersion(db: Kysely<Database>, staff: Staff, source: QuestionnaireDetail, at: string): Promise<NewVersionResult> {
  if (!authorize(staff, 'administerEverything')) return { ok: false, status: 403 };
  const q = source.questionnaire;
  return db.transaction().execute(async (trx) => {
    const id = await copyAsNewVersion(trx, q.id, at);
    const version = (await findQuestionnaireDetail(trx, id))?.questionnaire.version ?? 0;
    await audit(trx, { at, userId: staff.id, action: 'questionnaire.version', subject: `${q.code} v${version}`, detail: `copied from v${q.version}` });
    return { ok: true, id, version } as const;
  });
}
