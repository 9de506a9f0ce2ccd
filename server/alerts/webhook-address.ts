/**
 * Why: a webhook is a URL typed by any manager, and the server posts to it and shows back the status
 * or the error: without a rule, a manager could make the server reach its own services (a database
 * admin on 127.0.0.1, the cloud metadata address 169.254.169.254) and read the answers as a port and
 * host oracle (review of issue 22). The province's intranet (10/8, 172.16/12, 192.168/16) is where
 * units' systems live, so private ranges stay allowed; the server's own addresses are refused:
 * loopback, link-local, 0.0.0.0/8 and unspecified, multicast and broadcast. Checked twice: on save
 * for an address written as such (webhook-settings.ts), and before every try on every address the
 * host name resolves to (webhooks.ts). WEBHOOK_ALLOW_LOOPBACK=1 lifts the rule (tests; a receiver on
 * the same machine). What is left open is written in docs/security.md.
 */
import { lookup } from 'node:dns/promises';
import ipaddr from 'ipaddr.js';

/** The stored error of a try not made because the host is one of the server's own addresses, followed by that address (shown by presenters/webhooks.ts tryResult). */
export const INTERNAL_ADDRESS_ERROR = 'internal-address';

const REFUSED = new Set(['loopback', 'linkLocal', 'unspecified', 'multicast', 'broadcast']);

/** Whether this IP address (v4 or v6, an IPv4-mapped IPv6 read as its IPv4) is one of the server's own that a webhook may not reach. */
export function isRefusedAddress(address: string): boolean {
  const bare = address.replace(/^\[|\]$/g, '').replace(/%.*$/, '');
  if (!ipaddr.isValid(bare)) return false;
  return REFUSED.has(ipaddr.process(bare).range());
}

/** The URL's host when it is written as an IP address (brackets of IPv6 taken off), else null. */
function literalAddress(url: URL): string | null {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  return ipaddr.isValid(host) && (ipaddr.IPv4.isValidFourPartDecimal(host) || host.includes(':')) ? host : null;
}

/** Whether the URL names a refused address outright (an IP address, or `localhost`): refused on save. */
export function isRefusedLiteral(url: string): boolean {
  if (!URL.canParse(url)) return false;
  const parsed = new URL(url);
  const host = parsed.hostname.toLowerCase().replace(/\.$/, '');
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  const literal = literalAddress(parsed);
  return literal !== null && isRefusedAddress(literal);
}

/** Why a try is not made: the host resolves to a refused address, or it does not resolve. */
export type DestinationProblem = { kind: 'internal'; address: string } | { kind: 'lookup'; error: unknown };

/**
 * Resolves the URL's host (every address it has) just before a try; a problem when any is refused
 * or the name does not resolve. null: the try may go ahead.
 */
export async function destinationProblem(url: string, resolve: typeof lookup = lookup): Promise<DestinationProblem | null> {
  const parsed = new URL(url);
  const literal = literalAddress(parsed);
  if (literal !== null) return isRefusedAddress(literal) ? { kind: 'internal', address: literal } : null;
  let addresses: { address: string }[];
  try {
    addresses = await resolve(parsed.hostname, { all: true, verbatim: true });
  } catch (error) {
    return { kind: 'lookup', error };
  }
  const refused = addresses.find((a) => isRefusedAddress(a.address));
  return refused ? { kind: 'internal', address: refused.address } : null;
}
