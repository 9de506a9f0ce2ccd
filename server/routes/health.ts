import { Router } from 'express';
import { isDatabaseUnavailable } from '../../db/errors.ts';
import { pingDatabase, probeWrite } from '../../db/queries/health.ts';
import type { RouteDeps } from './deps.ts';

/**
 * For load balancers and monitoring: 200 when the database answers and could take a write now, 503
 * when it cannot be reached or stays locked by another process (a long command-line job, a shell).
 */
export function healthRoutes({ db }: RouteDeps): Router {
  const router = Router();
  router.get('/healthz', async (_req, res) => {
    res.set('Cache-Control', 'no-store');
    try {
      await pingDatabase(db);
    } catch {
      res.status(503).json({ status: 'database unavailable' });
      return;
    }
    try {
      await probeWrite(db);
      res.json({ status: 'ok' });
    } catch (error) {
      if (!isDatabaseUnavailable(error)) throw error;
      res.status(503).json({ status: 'database cannot be written' });
    }
  });
  return router;
}
