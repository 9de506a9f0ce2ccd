/** Desks from the command line, until the administration pages exist. */
import type { Kysely } from 'kysely';
import { createDesk, findDeskByCode } from '../../db/queries/desks.ts';
import { latestQuestionnaire } from '../../db/queries/questionnaires.ts';
import { findUnitByCode, listFields } from '../../db/queries/units.ts';
import type { Database } from '../../db/schema.ts';
import type { OptionValues } from './commands.ts';

export const DESK_USAGE =
  'usage: desk add --unit CODE --code C --name "Tên quầy" --fields dat-dai,xay-dung [--questionnaire tthc-short] (codes: db/seed/units.csv, db/seed/fields.json)';

export class DeskError extends Error {}

function required(values: OptionValues, name: string): string {
  const value = values[name];
  if (typeof value !== 'string' || value.trim() === '') throw new DeskError(`--${name} is missing; ${DESK_USAGE}`);
  return value.trim();
}

export async function addDesk(db: Kysely<Database>, values: OptionValues) {
  const unitCode = required(values, 'unit');
  const unit = await findUnitByCode(db, unitCode);
  if (!unit) throw new DeskError(`--unit ${unitCode}: no unit has that code (see db/seed/units.csv)`);
  const code = required(values, 'code');
  const name = required(values, 'name').normalize('NFC');
  const known = await listFields(db);
  const codes = required(values, 'fields').split(',').map((f) => f.trim()).filter(Boolean);
  const fields = codes.map((c) => {
    const field = known.find((f) => f.code === c);
    const offered = known.filter((f) => f.active === 1).map((f) => f.code).join(', ');
    if (!field) throw new DeskError(`--fields: "${c}" is not a field; use ${offered}`);
    if (field.active !== 1) throw new DeskError(`--fields: "${c}" was retired in the 2025 reorganisation (its past answers keep it); use ${offered} (see docs/survey.md, "Fields")`);
    return field;
  });
  const questionnaireCode = typeof values.questionnaire === 'string' ? values.questionnaire : 'tthc-short';
  const questionnaire = await latestQuestionnaire(db, questionnaireCode);
  if (!questionnaire) throw new DeskError(`--questionnaire ${questionnaireCode}: no such questionnaire (tthc-short, tthc-full, tthc-2023, health, education)`);
  if (await findDeskByCode(db, unit.id, code)) throw new DeskError(`--code ${code}: ${unit.name} already has a desk with that code`);
  const id = await createDesk(db, { unitId: unit.id, code, name, questionnaireId: questionnaire.id, fieldIds: fields.map((f) => f.id) }, new Date().toISOString());
  return { id, code, name, unit: unit.name, fields: fields.map((f) => f.code), questionnaire: `${questionnaire.code} v${questionnaire.version}` };
}
