/**
 * What every way of signing in ends with (the login form, the first-administrator link, a
 * set-password link): a new session id (no fixation), the user in it, saved before the redirect,
 * and this browser remembered as one where the account signs in (known-browser.ts).
 */
import type { Request, Response } from 'express';
import { type KnownBrowsers, knownBrowsers } from './known-browser.ts';

export interface SignIn {
  browsers: KnownBrowsers;
  start(req: Request, res: Response, user: { id: number; username: string }): Promise<void>;
}

function regenerate(req: Request): Promise<void> {
  return new Promise((resolve, reject) => req.session.regenerate((error) => (error ? reject(error as Error) : resolve())));
}

function save(req: Request): Promise<void> {
  return new Promise((resolve, reject) => req.session.save((error) => (error ? reject(error as Error) : resolve())));
}

export function signInFlow(secret: string, baseUrl: string): SignIn {
  const browsers = knownBrowsers(secret, baseUrl.startsWith('https:'));
  return {
    browsers,
    async start(req, res, user) {
      await regenerate(req);
      req.session.userId = user.id;
      await save(req);
      browsers.remember(req, res, user.username);
    },
  };
}
