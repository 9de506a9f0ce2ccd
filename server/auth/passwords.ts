/**
 * argon2id (the library default) for staff passwords: no 72-byte truncation as with bcrypt. What a
 * new password must be is checked in password-strength.ts.
 */
import { hash, verify } from '@node-rs/argon2';

/** Lower-case ascii, digits, dot, hyphen, underscore: safe in logs and URLs, easy to type on any keyboard. */
export const USERNAME_PATTERN = /^[a-z0-9._-]{3,40}$/;

export function hashPassword(password: string): Promise<string> {
  return hash(password.normalize('NFC'), { memoryCost: 19_456, timeCost: 2, parallelism: 1 });
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password.normalize('NFC'));
  } catch {
    return false;
  }
}

/** Verified against when the username is unknown, so both cases take the same time. */
let dummyHash: Promise<string> | undefined;
export function dummyPasswordHash(): Promise<string> {
  dummyHash ??= hashPassword('not-a-real-password-at-all');
  return dummyHash;
}
