/** Addresses the application builds: survey links for desks, counter tablets' links, and links from a request's own path. */
import { groupShortCode } from '../../db/short-codes.ts';
import { signDeskToken, signTabletToken } from './tokens.ts';

/**
 * A request's path as a link on this site. Browsers read a link that starts with `//` (or `/\`) as
 * an address on another host, and a path such as `//evil.example/x` reaches a 404 page: a leading
 * run of slashes and backslashes becomes one slash.
 */
export function sitePath(path: string): string {
  return `/${path.replace(/^[/\\]+/, '')}`;
}

/** The address printed in a desk's QR code. */
export function deskSurveyUrl(baseUrl: string, secret: string, deskId: number, tokenVersion: number): string {
  return `${baseUrl}/q/${signDeskToken(secret, deskId, tokenVersion)}`;
}

/**
 * The address printed under the QR code for citizens to type (`BASE_URL/q/7K3M-9PXA`): the desk's short
 * code in groups, read at /q/ without regard to case, spaces or dashes (db/short-codes.ts).
 */
export function deskShortUrl(baseUrl: string, shortCode: string): string {
  return `${baseUrl}/q/${groupShortCode(shortCode)}`;
}

/** The address of one registered counter tablet (shown on its desk's admin page, never printed for phones). */
export function tabletUrl(baseUrl: string, secret: string, kioskId: number): string {
  return `${baseUrl}/k/${signTabletToken(secret, kioskId)}`;
}
