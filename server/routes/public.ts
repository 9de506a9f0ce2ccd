import { Router } from 'express';

/** Pages anyone may see without a QR code or an account. */
export function publicRoutes(): Router {
  const router = Router();
  router.get('/', (_req, res) => {
    res.render('pages/public/home');
  });
  return router;
}
