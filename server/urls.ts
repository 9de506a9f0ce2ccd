import { signDeskToken, signKioskToken } from './tokens.ts';

/** The address printed in a desk's QR code. */
export function deskSurveyUrl(baseUrl: string, secret: string, deskId: number, tokenVersion: number): string {
  return `${baseUrl}/q/${signDeskToken(secret, deskId, tokenVersion)}`;
}

/** The address a counter tablet opens (shown on the desk's admin page, never printed for phones). */
export function deskKioskUrl(baseUrl: string, secret: string, deskId: number, tokenVersion: number): string {
  return `${baseUrl}/k/${signKioskToken(secret, deskId, tokenVersion)}`;
}
