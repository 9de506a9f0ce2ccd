/** argon2id (the library default) for staff passwords: no 72-byte truncation as with bcrypt. */
import { hash, verify } from '@node-rs/argon2';

/** Lower-case ascii, digits, dot, hyphen, underscore: safe in logs and URLs, easy to type on any keyboard. */
export const USERNAME_PATTERN = /^[a-z0-9._-]{3,40}$/;

export const PASSWORD_MIN = 10;
export const PASSWORD_MAX = 256;

export function passwordProblem(password: string): string | null {
  if (password.length < PASSWORD_MIN) return `Mật khẩu cần ít nhất ${PASSWORD_MIN} ký tự / the password needs at least ${PASSWORD_MIN} characters.`;
  if (password.length > PASSWORD_MAX) return `Mật khẩu dài quá ${PASSWORD_MAX} ký tự / the password is longer than ${PASSWORD_MAX} characters.`;
  return null;
}

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
