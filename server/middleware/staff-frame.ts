/**
 * The staff frame: what every staff page shares, set once in front of every staff route (app.ts) so
 * that no route builds it and no view reaches into the request. After it, `res.locals` holds:
 *  - `staff`: who is signed in (set by auth/middleware.ts, loadStaff); routes behind a sign-in
 *    check read it with `staffOf(res)`, which throws if the check is missing;
 *  - `csrfToken`: the token for this page's forms (middleware/csrf.ts), written by one partial,
 *    views/partials/csrf.ejs. It is made only when a page is drawn (a getter read by `res.render`):
 *    a visitor who is not signed in gets the form cookie with a form (the login page, the set-password
 *    and unlock links), never with a redirect, an error page or an API answer;
 *  - `nav`: the staff navigation (presenters/nav.ts) drawn from the section table app.ts gives
 *    (routes/sections.ts), the page marking its own section;
 *  - `flash`: the message left by the last redirect (flash.ts), taken once.
 * Every answer to a signed-in staff member, and every page carrying a form token, is sent with
 * `Cache-Control: no-store`: a shared or back-button cache never keeps a staff page or a token.
 */
import type { RequestHandler, Response } from 'express';
import type { Staff } from '../auth/scope.ts';
import { type FlashView, takeFlash } from './flash.ts';
import { type NavSection, type StaffNav, staffNav } from '../presenters/nav.ts';
import type { Csrf } from './csrf.ts';
import { localeOf } from './locale.ts';

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Locals {
      /** The signed-in staff member, if any (a session or an API token). */
      staff?: Staff;
      authVia?: 'session' | 'token';
      /** The CSRF token for this page's forms; only on staff routes, made when first read. */
      csrfToken: string;
      /** Only when someone is signed in. */
      nav?: StaffNav;
      flash: FlashView | null;
    }
  }
}

export function staffFrame(csrf: Csrf, sections: readonly NavSection[]): RequestHandler {
  return (req, res, next) => {
    let token: string | undefined;
    Object.defineProperty(res.locals, 'csrfToken', {
      enumerable: true,
      configurable: true,
      get: () => {
        if (token === undefined) {
          token = csrf.token(req, res);
          res.set('Cache-Control', 'no-store');
        }
        return token;
      },
    });
    const staff = res.locals.staff;
    res.locals.flash = null;
    if (staff) {
      res.set('Cache-Control', 'no-store');
      const { t, langQuery } = localeOf(res);
      res.locals.nav = staffNav(staff, t, langQuery, sections);
      // Only a browser has a session to carry a message; an API client's request leaves it alone.
      if (res.locals.authVia === 'session') res.locals.flash = takeFlash(req, t);
    }
    next();
  };
}

/** A page with no form (an error page, a link's last word): drawing it makes no CSRF token and sets no cookie. */
export function withoutForm(res: Response): void {
  Reflect.deleteProperty(res.locals, 'csrfToken');
}
