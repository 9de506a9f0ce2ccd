import { Router } from 'express';
import { pingDatabase } from '../../db/queries/health.ts';
import type { RouteDeps } from './deps.ts';

/** For load balancers and monitoring: 200 when the database answers, 503 when it does not. */
export function healthRoutes({ db }: RouteDeps): Router {
  const router = Router();
  router.get('/healthz', async (_req, res) => {
    try {
      await pingDatabase(db);
      res.set('Cache-Control', 'no-store').json({ status: 'ok' });
    } catch {
      res.status(503).set('Cache-Control', 'no-store').json({ status: 'database unavailable' });
    }
  });
  return router;
}
