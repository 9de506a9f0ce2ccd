import { createHash, randomBytes } from 'node:crypto';

/** A new API token: shown once, stored only as its SHA-256 (high entropy, so no slow hash is needed). */
export function newApiToken(): { token: string; hash: string } {
  const token = `sipas_${randomBytes(32).toString('base64url')}`;
  return { token, hash: hashApiToken(token) };
}

export function hashApiToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
