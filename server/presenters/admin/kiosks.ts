/**
 * The "Counter tablets" part of a desk's page: each registered tablet with its own address (to copy
 * onto the tablet) and a way to revoke it, revoked ones kept for the record, and the form that
 * registers one. Dates are local days, dd/mm/yyyy, as people in Nghệ An read them.
 */
import { formatDay, localDay } from '../../../analytics/time.ts';
import type { KioskListing } from '../../../db/queries/kiosks.ts';
import type { Translate } from '../../i18n/index.ts';

import { KIOSK_NAME_MAX } from '../../desks/register-kiosk.ts';

export interface TabletRow {
  id: number;
  name: string;
  registered: string;
  /** The address to open on the tablet; null once revoked (it opens nothing). */
  url: string | null;
  /** 'Đã thu hồi ngày dd/mm/yyyy'; null while in use. */
  revoked: string | null;
  /** The confirmation page of revoking it; null once revoked. */
  revokeHref: string | null;
  /** Its address as a QR code, for the tablet's camera; with words for a screen reader. */
  qr: string;
  qrAlt: string;
}

const dayOf = (iso: string) => formatDay(localDay(new Date(iso)));

export function tabletRows(kiosks: KioskListing[], deskId: number, urlOf: (kioskId: number) => string, t: Translate, langQuery: string): TabletRow[] {
  return kiosks.map((k) => ({
    id: k.id,
    name: k.name,
    registered: k.createdBy === null ? t('admin.desk.kiosk.registered.on', { day: dayOf(k.createdAt) }) : t('admin.desk.kiosk.registered.by', { day: dayOf(k.createdAt), name: k.createdBy }),
    url: k.revokedAt === null ? urlOf(k.id) : null,
    revoked: k.revokedAt === null ? null : t('admin.desk.kiosk.revoked', { day: dayOf(k.revokedAt) }),
    revokeHref: k.revokedAt === null ? `/admin/desks/${deskId}/kiosks/${k.id}/revoke${langQuery}` : null,
    qr: `/admin/desks/${deskId}/kiosks/${k.id}/qr.svg`,
    qrAlt: t('admin.desk.kiosk.qr.alt', { name: k.name }),
  }));
}

/** The name field of the registration form, with what was typed and why it was refused. */
export function tabletNameField(value: string, error: string | undefined, t: Translate) {
  return {
    name: 'kiosk_name',
    id: 'f-kiosk-name',
    label: t('admin.desk.kiosk.register.name'),
    hint: t('admin.desk.kiosk.register.hint'),
    value,
    error,
    required: true,
    maxlength: KIOSK_NAME_MAX,
  };
}
