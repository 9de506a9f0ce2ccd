/**
 * Why: the view models of a desk's pages (issue 19: administration view models built by
 * presenters, not by hand in the route): the desk's page with its form, QR code and counter
 * tablets, the rotation's confirmation, a tablet's revocation, and a unit's printable posters.
 */
import type { DeskDetail } from '../../../db/queries/desks.ts';
import type { KioskListing } from '../../../db/queries/kiosks.ts';
import type { QuestionnaireListing } from '../../../db/queries/questionnaires.ts';
import type { Field, Unit } from '../../../db/schema.ts';
import type { DeskFormValues } from '../../desks/save-desk.ts';
import { type Lang, pick, type Translate, translator } from '../../i18n/index.ts';
import type { FormErrors } from '../../routes/form-schema.ts';
import { serviceOfUnit } from '../place.ts';
import { tabletNameField, tabletRows } from './kiosks.ts';
import { deskForm } from './units.ts';

/** The desk form as the desk is. */
export const deskFormOf = (desk: DeskDetail): DeskFormValues => ({
  code: desk.code,
  name: desk.name,
  fieldIds: desk.fieldIds.map(String),
  questionnaireId: String(desk.questionnaireId),
  requiresDossier: desk.requiresDossier,
});

export interface DeskPageInput {
  desk: DeskDetail;
  unit: Unit;
  fields: Field[];
  questionnaires: QuestionnaireListing[];
  kiosks: KioskListing[];
  /** The survey address in the desk's QR code, the short one printed under it for typing, and a tablet's address. */
  surveyUrl: string;
  shortUrl: string;
  tabletUrl: (kioskId: number) => string;
  /** BASE_URL is one a phone cannot reach. */
  localWarning: boolean;
}

/** `form`: the desk form as typed when it was refused (else the desk as it is); `tablet`: the tablet name as typed, and why it was refused. */
export function presentDeskPage(
  input: DeskPageInput,
  form: DeskFormValues | null,
  errors: FormErrors,
  tablet: { name: string; error?: string },
  lang: Lang,
  t: Translate,
  langQuery: string,
) {
  const { desk, unit } = input;
  return {
    id: desk.id,
    code: desk.code,
    active: desk.active,
    responses: desk.responses,
    unit: { name: unit.name, href: `/admin/units/${unit.id}${langQuery}` },
    surveyUrl: input.surveyUrl,
    shortUrl: input.shortUrl,
    tablets: tabletRows(input.kiosks, desk.id, input.tabletUrl, t, langQuery),
    tabletName: tabletNameField(tablet.name, tablet.error, t),
    qrSvg: `/admin/desks/${desk.id}/qr.svg`,
    qrPng: `/admin/desks/${desk.id}/qr.png`,
    posterHref: `/admin/units/${unit.id}/posters${langQuery}`,
    rotateHref: `/admin/desks/${desk.id}/rotate${langQuery}`,
    localWarning: input.localWarning,
    form: deskForm(form ?? deskFormOf(desk), errors, input.fields, input.questionnaires, lang, t),
    questionnaireNote: t('admin.desk.questionnaire.note'),
    langQuery,
  };
}

export function presentRotateConfirmation(desk: DeskDetail, unit: Unit, langQuery: string) {
  return { id: desk.id, name: desk.name, unitName: unit.name, cancel: `/admin/desks/${desk.id}${langQuery}` };
}

export function presentKioskRevocation(desk: DeskDetail, unit: Unit, kiosk: KioskListing, langQuery: string) {
  return {
    action: `/admin/desks/${desk.id}/kiosks/${kiosk.id}/revoke${langQuery}`,
    name: kiosk.name,
    deskName: desk.name,
    unitName: unit.name,
    cancel: `/admin/desks/${desk.id}${langQuery}#kiosks`,
  };
}

/** `BASE_URL/q/` and the code, so the poster can wrap between them and print the code larger. */
function splitShortUrl(url: string): { shortBase: string; shortCode: string } {
  const at = url.lastIndexOf('/') + 1;
  return { shortBase: url.slice(0, at), shortCode: url.slice(at) };
}

/** One A4 poster per active desk. Posters speak to citizens in Vietnamese, with one line in English beneath. */
export function presentPosters(
  input: { unit: Unit; desks: DeskDetail[]; fields: Field[]; surveyUrl: (desk: DeskDetail) => string; shortUrl: (desk: DeskDetail) => string; localBaseUrl: string | null },
  lang: Lang,
  t: Translate,
  langQuery: string,
) {
  const { unit } = input;
  const fieldById = new Map(input.fields.map((f) => [f.id, f]));
  const vi = translator('vi');
  const service = serviceOfUnit(unit.kind);
  return {
    title: t('admin.posters.title', { name: unit.name }),
    back: `/admin/units/${unit.id}${langQuery}`,
    localWarning: input.localBaseUrl === null ? null : t('admin.posters.local', { url: input.localBaseUrl }),
    posters: input.desks
      .filter((d) => d.active)
      .map((d) => ({
        unitName: unit.name,
        deskName: d.name,
        fields: d.fieldIds.map((f) => fieldById.get(f)).map((f) => (f ? pick('vi', f.name_vi, f.name_en) : '')).join(' · '),
        ask: vi(`poster.ask.${service}`),
        how: vi('poster.how'),
        howEn: translator('en')('poster.how'),
        qr: `/admin/desks/${d.id}/qr.svg`,
        qrAlt: vi('poster.qr.alt', { url: input.surveyUrl(d) }),
        // The short address, split where it may wrap: BASE_URL/q/ and the code in groups (7K3M-9PXA), printed large.
        type: vi('poster.type'),
        typeEn: translator('en')('poster.type'),
        ...splitShortUrl(input.shortUrl(d)),
      })),
    empty: t('admin.posters.empty'),
    lang,
  };
}
