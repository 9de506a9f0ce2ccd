/**
 * Why: a desk's short code, the part a citizen types when the QR code will not scan (issue 21, item 7):
 * `BASE_URL/q/7K3M-9PXA`. It is random per desk (not derived from the id, so desks cannot be counted
 * through it), unique, stored on the desk (`desks.short_code`) and drawn again when the desk's posters
 * are revoked. Its alphabet has no look-alikes (no 0/O/Q, 1/I/L, 2/Z, 5/S, 6/G, 8/B, U/V), so what is
 * printed can only be read one way; what is typed is read without regard to case, spaces or dashes.
 * It lives in db/ because the desk's row gets its code where the row is written (createDesk,
 * revokeDeskTokens), and db/ may not import server/.
 */
import { randomInt } from 'node:crypto';

/** 21 symbols: 8 of them make about 3.8 × 10¹⁰ codes, 35 bits. */
export const SHORT_CODE_ALPHABET = '34679ACDEFHJKMNPRTWXY';
export const SHORT_CODE_LENGTH = 8;
/** Printed in two groups of four: `7K3M-9PXA`. */
const GROUP = 4;

/** A new random code, in capitals, without separators (as stored). */
export function drawShortCode(): string {
  let code = '';
  for (let i = 0; i < SHORT_CODE_LENGTH; i++) code += SHORT_CODE_ALPHABET[randomInt(SHORT_CODE_ALPHABET.length)];
  return code;
}

const SEPARATORS = /[\s\-‐‑‒–—―−_.]+/g;
const STORED = new RegExp(`^[${SHORT_CODE_ALPHABET}]{${SHORT_CODE_LENGTH}}$`);

/**
 * The code as stored, from what a citizen typed: any case, spaces and dashes anywhere, even the whole
 * address (`sipas.nghean.gov.vn/q/7k3m-9pxa`: the part after the last slash); null when it cannot be one.
 */
export function readShortCode(typed: string): string | null {
  const lastPart = typed.trim().replace(/\/+$/, '').split('/').pop() ?? '';
  const code = lastPart.replace(SEPARATORS, '').toUpperCase();
  return STORED.test(code) ? code : null;
}

/** The code as printed, in groups: `7K3M-9PXA`. */
export function groupShortCode(code: string): string {
  return `${code.slice(0, GROUP)}-${code.slice(GROUP)}`;
}
