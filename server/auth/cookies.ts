/**
 * The small cookies beside the session's: the login form's anonymous token and the known-browser
 * mark. Over https they carry the __Host- prefix, which browsers accept only from this exact host
 * (Secure, Path=/, no Domain), so a neighbouring site under the same domain cannot plant one.
 */
import type { CookieOptions, Request, Response } from 'express';

export interface CookieJar {
  read(req: Request): string | undefined;
  write(res: Response, value: string): void;
}

export function cookieJar(baseName: string, https: boolean, options: { maxAgeMs: number; sameSite: 'strict' | 'lax' }): CookieJar {
  const name = https ? `__Host-${baseName}` : baseName;
  const settings: CookieOptions = { httpOnly: true, secure: https, sameSite: options.sameSite, path: '/', maxAge: options.maxAgeMs };
  return {
    read(req) {
      for (const part of (req.headers.cookie ?? '').split(';')) {
        const eq = part.indexOf('=');
        if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
      }
      return undefined;
    },
    write(res, value) {
      // The values are base64url and dots: nothing to encode.
      res.cookie(name, value, { ...settings, encode: (v) => v });
    },
  };
}
