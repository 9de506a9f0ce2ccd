/**
 * Dossier codes (mã hồ sơ, printed on the receipt "Phiếu hẹn trả kết quả"). A desk that asks for
 * them gets one response per dossier. The code itself is never stored: only a keyed hash, which
 * cannot be turned back into the code without the server's secret.
 */
import { createHmac } from 'node:crypto';

/** Letters and digits with the separators one-stop software prints; spaces dropped, case ignored. */
const DOSSIER_PATTERN = /^[A-Z0-9][A-Z0-9./_-]{3,39}$/;

export function normalizeDossier(value: string): string | null {
  const code = value.normalize('NFC').replace(/\s+/g, '').toUpperCase();
  return DOSSIER_PATTERN.test(code) ? code : null;
}

export function dossierHash(secret: string, code: string): string {
  return createHmac('sha256', secret).update(`dossier|${code}`).digest().subarray(0, 16).toString('base64url');
}

/**
 * The form nonce of a dossier's personal link: the same for every link issued for one dossier, so
 * however many times the one-stop software prints a receipt, the dossier maps to one response.
 */
export function dossierNonce(secret: string, hash: string): string {
  return createHmac('sha256', secret).update(`dossier-nonce|${hash}`).digest().subarray(0, 16).toString('base64url');
}

/** How long a per-dossier link can be used: citizens often rate at home, days after the counter. */
export const DOSSIER_LINK_DAYS = 30;
