import { Router } from 'express';
import type { RouteDeps } from './deps.ts';

/** Pages anyone may see without a QR code or an account. */
export function publicRoutes(_deps: RouteDeps): Router {
  const router = Router();
  router.get('/', (_req, res) => {
    res.render('pages/public/home');
  });
  return router;
}
