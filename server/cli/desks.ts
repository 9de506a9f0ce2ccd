/**
 * `sipas desk add`: a desk from the command line, for whoever runs the server (the operator). The
 * options name things by code (unit, fields, questionnaire), so this file turns codes into rows and
 * says which code is unknown; the desk's rules, its write and its audit entry are the same command
 * as the administration pages' (server/desks/save-desk.ts), so a desk is never made two ways.
 */
import type { Kysely } from 'kysely';
import { latestQuestionnaire } from '../../db/queries/questionnaires.ts';
import { findUnitByCode, listFields, listUnits } from '../../db/queries/units.ts';
import type { Database } from '../../db/schema.ts';
import { OPERATOR } from '../accounts/actor.ts';
import { DESK_CODE_PATTERN, saveDesk } from '../desks/save-desk.ts';
import { translator } from '../i18n/index.ts';
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
  const form = { code, name, fieldIds: fields.map((f) => String(f.id)), questionnaireId: String(questionnaire.id) };
  const saved = await saveDesk(db, OPERATOR, { unit, units: await listUnits(db), desk: null }, form, new Date().toISOString(), translator('en'));
  if (!saved.ok) {
    // The operator may every unit: only a rule of the desk refuses it.
    const errors = saved.status === 422 ? saved.errors : {};
    if (errors.code !== undefined) {
      throw new DeskError(DESK_CODE_PATTERN.test(code) ? `--code ${code}: ${unit.name} already has a desk with that code` : `--code ${code}: ${errors.code}`);
    }
    throw new DeskError(Object.entries(errors).map(([option, message]) => `--${option}: ${message}`).join('; ') || `desk ${code} refused`);
  }
  return { id: saved.id, code, name, unit: unit.name, fields: fields.map((f) => f.code), questionnaire: `${questionnaire.code} v${questionnaire.version}` };
}
