/**
 * Signed tokens. Desk tokens go into printed QR codes, so they are short: the desk id in base 36
 * and 16 bytes of HMAC-SHA256 over the id and the desk's token_version (bumping the version
 * revokes every printed code). Form tokens travel in a hidden field, so the survey needs no cookie.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

function mac(secret: string, message: string): string {
  return createHmac('sha256', secret).update(message).digest().subarray(0, 16).toString('base64url');
}

function sameMac(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export function signDeskToken(secret: string, deskId: number, tokenVersion: number): string {
  return `${deskId.toString(36)}.${mac(secret, `desk|${deskId}|${tokenVersion}`)}`;
}

/** The desk id a token claims, before its signature is checked; null when malformed. */
export function deskIdOfToken(token: string): number | null {
  const match = /^([0-9a-z]{1,10})\.([A-Za-z0-9_-]{22})$/.exec(token);
  if (!match?.[1]) return null;
  const id = parseInt(match[1], 36);
  return Number.isSafeInteger(id) && id > 0 ? id : null;
}

export function verifyDeskToken(secret: string, token: string, deskId: number, tokenVersion: number): boolean {
  return sameMac(token, signDeskToken(secret, deskId, tokenVersion));
}

/**
 * The desk's legacy counter-tablet address, from before tablets were registered one by one: the same
 * shape as a desk token under another purpose, so a kiosk address cannot be printed as a phone QR
 * code or the other way round (responses say which channel they came from). Rotating the desk's QR
 * codes rotates it too. It still opens the form, so tablets set up before the upgrade keep working,
 * but it names no tablet: its responses are counted like a phone's.
 */
export function signKioskToken(secret: string, deskId: number, tokenVersion: number): string {
  return `${deskId.toString(36)}.${mac(secret, `kiosk|${deskId}|${tokenVersion}`)}`;
}

export function verifyKioskToken(secret: string, token: string, deskId: number, tokenVersion: number): boolean {
  return sameMac(token, signKioskToken(secret, deskId, tokenVersion));
}

/**
 * A registered counter tablet's address (db/queries/kiosks.ts): `t.` then the tablet's id in base 36
 * and 16 bytes of HMAC over the id. It has two dots, so it never matches a desk token and both live
 * under `/k/`. It names the tablet, not a token version: revoking the tablet (its row) ends it, and
 * rotating the desk's QR codes leaves it working.
 */
export function signTabletToken(secret: string, kioskId: number): string {
  return `t.${kioskId.toString(36)}.${mac(secret, `tablet|${kioskId}`)}`;
}

/** The tablet id of a well-signed tablet token; null otherwise (whether the tablet is still registered is the database's to say). */
export function verifyTabletToken(secret: string, token: string): number | null {
  const match = /^t\.([0-9a-z]{1,10})\.([A-Za-z0-9_-]{22})$/.exec(token);
  if (!match?.[1] || !match[2]) return null;
  const id = parseInt(match[1], 36);
  if (!Number.isSafeInteger(id) || id <= 0) return null;
  return sameMac(match[2], mac(secret, `tablet|${id}`)) ? id : null;
}

export interface FormToken {
  nonce: string;
  deskId: number;
  /** The questionnaire version the form was served with: answers are checked against it. */
  questionnaireId: number;
  /** Unix seconds when this token was issued: the form can be sent for SURVEY_FORM_TTL_MINUTES after it. */
  issuedAt: number;
  /** Unix seconds when the citizen first opened the form; differs from issuedAt only for an expired form renewed. */
  openedAt: number;
  /**
   * The door it was served at and is sent back to: 'q' (a desk's QR code), 'd' (a personal link),
   * 'k' (a desk's older tablet address) or 'k<tablet id>' (a registered tablet); null for a token
   * issued before doors were named (sent anywhere, until it expires).
   */
  door: string | null;
  /** When it was issued, the phone or its address had already opened more new forms than one person or one hall does. */
  over: boolean;
}

export type NewFormToken = Pick<FormToken, 'deskId' | 'questionnaireId' | 'issuedAt' | 'door' | 'over'> & { nonce?: string; openedAt?: number };

/**
 * A form token: its nonce makes the form single-use (one form, one response, however often it is
 * sent), the desk and questionnaire version say what it answers, issuedAt bounds its life, the door
 * binds it to where it was served (a tablet's forms cannot be sent as a phone's, nor a link's as a
 * QR code's), and `over` carries what the stuffing guard saw when it was issued, so that forms
 * hoarded and sent later are judged as they were opened. An expired form is renewed with the same
 * nonce (`renewFormToken`), so renewing can never make a second response; the time it was first
 * opened is carried along for the too-fast signal.
 */
export function signFormToken(secret: string, form: NewFormToken): string {
  const nonce = form.nonce ?? randomBytes(16).toString('base64url');
  const b36 = (n: number) => n.toString(36);
  const body = [nonce, b36(form.issuedAt), b36(form.deskId), b36(form.questionnaireId), b36(form.openedAt ?? form.issuedAt), form.door, form.over ? '1' : '0'].join('.');
  return `${body}.${mac(secret, `form|${body}`)}`;
}

/** The same form, issued again now: same nonce, desk, version and door, first opened when it was; `over` as the guard sees it now. */
export function renewFormToken(secret: string, token: FormToken, issuedAt: number, over: boolean): string {
  return signFormToken(secret, { ...token, door: token.door ?? 'q', issuedAt, over });
}

const FORM_TOKEN = /^([A-Za-z0-9_-]{22})\.([0-9a-z]{1,10})\.([0-9a-z]{1,10})\.([0-9a-z]{1,10})\.([0-9a-z]{1,10})\.([qdk][0-9a-z]{0,10})\.([01])\.([A-Za-z0-9_-]{22})$/;
/** Tokens issued before doors were named (live at most SURVEY_FORM_TTL_MINUTES after an upgrade). */
const OLDER_FORM_TOKEN = /^([A-Za-z0-9_-]{22})\.([0-9a-z]{1,10})\.([0-9a-z]{1,10})\.([0-9a-z]{1,10})(\.[0-9a-z]{1,10})?\.([A-Za-z0-9_-]{22})$/;

/** The token's content when its signature is valid; null otherwise. */
export function verifyFormToken(secret: string, token: string): FormToken | null {
  const at = token.lastIndexOf('.');
  if (at < 0 || !sameMac(token.slice(at + 1), mac(secret, `form|${token.slice(0, at)}`))) return null;
  const current = FORM_TOKEN.exec(token);
  if (current) {
    const [, nonce = '', issued = '', desk = '', questionnaire = '', opened = '', door = '', over = ''] = current;
    return { nonce, issuedAt: parseInt(issued, 36), openedAt: parseInt(opened, 36), deskId: parseInt(desk, 36), questionnaireId: parseInt(questionnaire, 36), door, over: over === '1' };
  }
  const older = OLDER_FORM_TOKEN.exec(token);
  if (!older) return null;
  const [, nonce = '', issued = '', desk = '', questionnaire = '', opened = ''] = older;
  const issuedAt = parseInt(issued, 36);
  return { nonce, issuedAt, openedAt: opened ? parseInt(opened.slice(1), 36) : issuedAt, deskId: parseInt(desk, 36), questionnaireId: parseInt(questionnaire, 36), door: null, over: false };
}

export interface DossierLink {
  deskId: number;
  /** Keyed hash of the dossier code (survey/dossier.ts), as stored on the response. */
  dossier: string;
  /** Unix seconds when the link was made. */
  issuedAt: number;
  /** Single use: the form's nonce, so the link can be answered once. */
  nonce: string;
}

/**
 * A personal survey link for one dossier at one desk, made by the one-stop software through the API
 * and printed as a QR code on the citizen's receipt. ~95 characters: a small QR code still.
 */
export function signDossierLink(secret: string, link: DossierLink): string {
  const body = `${link.deskId.toString(36)}.${link.issuedAt.toString(36)}.${link.nonce}.${link.dossier}`;
  return `${body}.${mac(secret, `dossier-link|${body}`)}`;
}

export function verifyDossierLink(secret: string, token: string): DossierLink | null {
  const match = /^([0-9a-z]{1,10})\.([0-9a-z]{1,10})\.([A-Za-z0-9_-]{22})\.([A-Za-z0-9_-]{22})\.([A-Za-z0-9_-]{22})$/.exec(token);
  if (!match) return null;
  const [, desk = '', issued = '', nonce = '', dossier = '', signature = ''] = match;
  if (!sameMac(signature, mac(secret, `dossier-link|${desk}.${issued}.${nonce}.${dossier}`))) return null;
  return { deskId: parseInt(desk, 36), issuedAt: parseInt(issued, 36), nonce, dossier };
}
