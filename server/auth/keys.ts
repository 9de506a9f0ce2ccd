/**
 * One key per purpose, derived from SECRET, so that a value made for one job (a login form's
 * token, a known-browser cookie, a throttle counter's name) can never pass for another's.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export type KeyPurpose = 'anonymous-form' | 'known-browser' | 'sign-in-throttle';

export interface Keyed {
  /** HMAC-SHA256 of the message under the purpose's key, base64url. */
  mac(message: string): string;
  /** Compares a presented MAC with the one the message should have, in constant time. */
  verify(message: string, presented: string): boolean;
}

export function keyFor(secret: string, purpose: KeyPurpose): Keyed {
  const key = createHmac('sha256', secret).update(`sipas|${purpose}`).digest();
  const mac = (message: string) => createHmac('sha256', key).update(message).digest('base64url');
  return {
    mac,
    verify(message, presented) {
      const expected = Buffer.from(mac(message));
      const given = Buffer.from(presented);
      return expected.length === given.length && timingSafeEqual(expected, given);
    },
  };
}
