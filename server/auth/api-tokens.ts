/**
 * API tokens: shown once, stored only as their SHA-256 (high entropy, so no slow hash is needed),
 * and valid for a limited time (a year unless `token create --expires-days N` says otherwise), so
 * a token forgotten in an old script stops working by itself.
 */
import { createHash, randomBytes } from 'node:crypto';

export const API_TOKEN_DAYS = 365;
export const API_TOKEN_DAYS_MAX = 3650;

export function newApiToken(): { token: string; hash: string } {
  const token = `sipas_${randomBytes(32).toString('base64url')}`;
  return { token, hash: hashApiToken(token) };
}

export function hashApiToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export function apiTokenExpiry(createdAt: Date, days = API_TOKEN_DAYS): string {
  return new Date(createdAt.getTime() + days * 86_400_000).toISOString();
}
