/** View models of /admin/units: the tree, a unit's page with its desks, the unit form. */
import type { DeskDetail } from '../../../db/queries/desks.ts';
import type { QuestionnaireListing } from '../../../db/queries/questionnaires.ts';
import type { Field, Unit, UnitKind } from '../../../db/schema.ts';
import { UNIT_KINDS, type UnitsCsvProblem } from '../../../db/seed/units.ts';
import { type Lang, type MessageKey, pick, type Translate } from '../../i18n/index.ts';
import type { FormErrors } from '../../routes/form-schema.ts';
import { formatCount } from '../format.ts';
import { type DeskFormValues, isOffered } from '../../desks/save-desk.ts';
import type { UnitFormValues } from '../../units/save-unit.ts';
import type { UnitUsage } from '../../../db/queries/units.ts';
import { isUnused } from '../../units/delete-unit.ts';

export const kindLabel = (t: Translate, kind: string) => t(`unit.kind.${kind as UnitKind}`);

export interface UnitTreeRow {
  id: number;
  href: string;
  name: string;
  code: string;
  kind: string;
  depth: number;
  desks: number;
  active: boolean;
}

/**
 * Units in tree order: each under its parent, siblings by kind then by name in Vietnamese order.
 * The walk keeps its own stack (however deep a tree is, it never runs out of call stack) and
 * visits each unit once, so a unit on a cycle of parents, which no parent starts from, is shown at
 * the top level rather than lost.
 */
export function unitTree(units: Unit[], visible: number[] | null, deskCount: Map<number, number>, t: Translate, langQuery: string): UnitTreeRow[] {
  const seen = visible === null ? null : new Set(visible);
  const shown = units.filter((u) => seen === null || seen.has(u.id));
  const ids = new Set(shown.map((u) => u.id));
  const children = new Map<number | null, Unit[]>();
  for (const u of shown) {
    // A unit whose parent is not shown starts a tree of its own (a manager's own unit).
    const parent = u.parent_id !== null && ids.has(u.parent_id) ? u.parent_id : null;
    const siblings = children.get(parent);
    if (siblings) siblings.push(u);
    else children.set(parent, [u]);
  }
  const order = (a: Unit, b: Unit) => UNIT_KINDS.indexOf(a.kind) - UNIT_KINDS.indexOf(b.kind) || a.name.localeCompare(b.name, 'vi');
  for (const siblings of children.values()) siblings.sort(order);
  const rows: UnitTreeRow[] = [];
  const placed = new Set<number>();
  const walk = (roots: Unit[]) => {
    // Last sibling pushed first, so the first is taken first.
    const stack = roots.map((u) => ({ u, depth: 0 })).reverse();
    for (let next = stack.pop(); next; next = stack.pop()) {
      const { u, depth } = next;
      if (placed.has(u.id)) continue;
      placed.add(u.id);
      rows.push({
        id: u.id,
        href: `/admin/units/${u.id}${langQuery}`,
        name: u.name,
        code: u.code,
        kind: kindLabel(t, u.kind),
        depth: Math.min(depth, 4),
        desks: deskCount.get(u.id) ?? 0,
        active: u.active === 1,
      });
      const below = children.get(u.id) ?? [];
      for (let i = below.length - 1; i >= 0; i--) stack.push({ u: below[i] as Unit, depth: depth + 1 });
    }
  };
  walk(children.get(null) ?? []);
  if (placed.size < shown.length) walk(shown.filter((u) => !placed.has(u.id)).sort(order));
  return rows;
}

// The unit form's rules live with the command that applies them (units/save-unit.ts).
export type { UnitFormValues } from '../../units/save-unit.ts';

export function unitForm(values: UnitFormValues, errors: FormErrors, units: Unit[], t: Translate, opts: { editing: Unit | null }) {
  const parents = units
    .filter((u) => u.id !== opts.editing?.id)
    .sort((a, b) => a.name.localeCompare(b.name, 'vi'))
    .map((u) => ({ value: String(u.id), label: `${u.name} (${u.code})`, selected: String(u.id) === values.parentId }));
  return {
    code: { name: 'code', label: t('admin.unit.code'), value: values.code, error: errors.code, hint: t(opts.editing ? 'admin.unit.code.hint' : 'admin.unit.code.proposed.hint'), required: false, maxlength: 60 },
    name: { name: 'name', label: t('admin.unit.name'), value: values.name, error: errors.name, required: true, maxlength: 200 },
    kind: {
      name: 'kind',
      type: 'select',
      label: t('admin.unit.kind'),
      error: errors.kind,
      required: true,
      options: UNIT_KINDS.map((k) => ({ value: k, label: kindLabel(t, k), selected: k === values.kind })),
    },
    parent: {
      name: 'parent',
      type: 'select',
      label: t('admin.unit.parent'),
      error: errors.parent,
      options: [{ value: '', label: t('admin.unit.parent.none'), selected: values.parentId === '' }, ...parents],
    },
  };
}

export function importProblems(problems: UnitsCsvProblem[], t: Translate): string[] {
  return problems.map((p) => {
    const { line, problem, ...params } = p;
    const words = t(`admin.import.${problem}` as MessageKey, Object.fromEntries(Object.entries(params).map(([k, v]) => [k, String(v)])));
    return t('admin.import.line', { line, problem: words });
  });
}

export function deskRows(desks: DeskDetail[], fieldById: Map<number, Field>, lang: Lang, t: Translate, langQuery: string) {
  return desks.map((d) => ({
    id: d.id,
    href: `/admin/desks/${d.id}${langQuery}`,
    code: d.code,
    name: d.name,
    fields: d.fieldIds.map((id) => fieldById.get(id)).map((f) => (f ? pick(lang, f.name_vi, f.name_en) : '')).join(', '),
    questionnaire: `${d.questionnaireCode} · ${t('admin.version', { n: d.questionnaireVersion })}`,
    responses: formatCount(d.responses, lang),
    active: d.active,
  }));
}

// The desk's rules live with the command that applies them (desks/save-desk.ts); the form offers the same fields.
export { type DeskFormValues, isOffered } from '../../desks/save-desk.ts';

export function deskForm(values: DeskFormValues, errors: FormErrors, fields: Field[], questionnaires: QuestionnaireListing[], lang: Lang, t: Translate) {
  return {
    code: { name: 'code', label: t('admin.desk.code'), value: values.code, error: errors.code, hint: t('admin.desk.code.hint'), required: true, maxlength: 30 },
    name: { name: 'name', label: t('admin.desk.name'), value: values.name, error: errors.name, hint: t('admin.desk.name.hint'), required: true, maxlength: 120 },
    fields: {
      legend: t('admin.desk.fields'),
      error: errors.fields ?? null,
      options: fields
        .filter((f) => isOffered(f, values.fieldIds))
        .map((f) => ({ id: `field-${f.code}`, value: String(f.id), label: pick(lang, f.name_vi, f.name_en), checked: values.fieldIds.includes(String(f.id)) })),
    },
    questionnaire: {
      name: 'questionnaire',
      type: 'select',
      label: t('admin.desk.questionnaire'),
      error: errors.questionnaire,
      required: true,
      options: questionnaires.map((q) => ({
        value: String(q.id),
        label: `${pick(lang, q.titleVi, q.titleEn)}, ${t('admin.version', { n: q.version })}`,
        selected: String(q.id) === values.questionnaireId,
      })),
    },
    dossier:
      values.requiresDossier === undefined
        ? null
        : { name: 'requires_dossier', type: 'checkbox', label: t('admin.desk.requires.dossier'), hint: t('admin.desk.requires.dossier.hint'), checked: values.requiresDossier },
  };
}

/** The list page: the tree of the units the person may see, each with its active desks counted. */
export function presentUnitList(units: Unit[], desks: DeskDetail[], visible: number[] | null, canEdit: boolean, importReport: string[], t: Translate, langQuery: string) {
  const deskCount = new Map<number, number>();
  for (const d of desks) if (d.active) deskCount.set(d.unitId, (deskCount.get(d.unitId) ?? 0) + 1);
  return { rows: unitTree(units, visible, deskCount, t, langQuery), canEdit, importReport, langQuery };
}

/** The unit form's page: new (`editing` null) or changing a unit. */
export function presentUnitFormPage(units: Unit[], editing: Unit | null, form: UnitFormValues, errors: FormErrors, t: Translate) {
  return {
    fields: unitForm(form, errors, units, t, { editing }),
    editing: editing !== null,
    // For public/js/unit-form.js, which proposes a free code as the name is typed (issue 21).
    takenCodes: editing ? '' : units.map((u) => u.code).join(' '),
    action: editing ? `/admin/units/${editing.id}` : '/admin/units',
    cancel: editing ? `/admin/units/${editing.id}` : '/admin/units',
  };
}

/** The form of a unit as it is, to change it. */
export const unitFormOf = (unit: Unit): UnitFormValues => ({ code: unit.code, name: unit.name, kind: unit.kind, parentId: unit.parent_id === null ? '' : String(unit.parent_id) });

/** The questionnaire a new desk of a unit most likely uses. */
function defaultQuestionnaireCode(kind: UnitKind): string {
  return kind === 'hospital' ? 'health' : kind === 'school' ? 'education' : 'tthc-short';
}

/**
 * The fields a questionnaire's kind serves (issue 21): a health questionnaire the field "Y tế", an
 * education one "Giáo dục" (fields of the kind's own group); the procedures' questionnaires none
 * (a one-stop desk's fields differ desk by desk). By questionnaire id, for the new desk form's script.
 */
export function fieldsByQuestionnaire(questionnaires: QuestionnaireListing[], fields: Field[]): Record<string, string[]> {
  const ofKind = (kind: string) => (kind === 'tthc' ? [] : fields.filter((f) => f.active === 1 && f.field_group === kind).map((f) => String(f.id)));
  return Object.fromEntries(questionnaires.map((q) => [String(q.id), ofKind(q.kind)]));
}

/** A unit's page: what it is, its desks, and the form adding one (as typed when it was refused, else empty with the likely questionnaire). */
export function presentUnitPage(
  page: { unit: Unit; units: Unit[]; desks: DeskDetail[]; fields: Field[]; questionnaires: QuestionnaireListing[]; usage: UnitUsage; canEdit: boolean },
  deskValues: DeskFormValues | null,
  deskErrors: FormErrors,
  lang: Lang,
  t: Translate,
  langQuery: string,
) {
  const { unit, units, desks, fields, questionnaires, usage } = page;
  const latest = questionnaires.filter((q) => !questionnaires.some((o) => o.code === q.code && o.version > q.version));
  const suggested = latest.find((q) => q.code === defaultQuestionnaireCode(unit.kind));
  const tickedFields = fieldsByQuestionnaire(questionnaires, fields);
  const parent = units.find((u) => u.id === unit.parent_id);
  return {
    id: unit.id,
    code: unit.code,
    kind: kindLabel(t, unit.kind),
    parent: parent ? { name: parent.name, href: `/admin/units/${parent.id}${langQuery}` } : null,
    active: unit.active === 1,
    canEdit: page.canEdit,
    canDelete: isUnused(usage),
    usage,
    desks: deskRows(desks, new Map(fields.map((f) => [f.id, f])), lang, t, langQuery),
    postersHref: `/admin/units/${unit.id}/posters${langQuery}`,
    // A new desk of a hospital or school comes with its field ticked, as its questionnaire does (issue 21).
    deskForm: deskForm(
      deskValues ?? { code: '', name: '', fieldIds: suggested ? (tickedFields[String(suggested.id)] ?? []) : [], questionnaireId: suggested ? String(suggested.id) : '' },
      deskErrors,
      fields,
      questionnaires,
      lang,
      t,
    ),
    fieldsByQuestionnaire: JSON.stringify(tickedFields),
    langQuery,
  };
}
