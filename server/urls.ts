import { signDeskToken } from './tokens.ts';

/** The address printed in a desk's QR code. */
export function deskSurveyUrl(baseUrl: string, secret: string, deskId: number, tokenVersion: number): string {
  return `${baseUrl}/q/${signDeskToken(secret, deskId, tokenVersion)}`;
}
