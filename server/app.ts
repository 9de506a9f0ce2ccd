/** createApp(deps) builds the Express application without listening, so tests drive it directly. */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { constants as zlibConstants } from 'node:zlib';
import compression from 'compression';
import express, { type Express } from 'express';
import helmet from 'helmet';
import type { Kysely } from 'kysely';
import { localDay } from '../analytics/time.ts';
import { PROJECT_ROOT } from '../db/paths.ts';
import type { Database } from '../db/schema.ts';
import type { Config } from './start/config.ts';
import type { Logger } from './log.ts';
import { errorHandler, notFound } from './middleware/errors.ts';
import { locale } from './middleware/locale.ts';
import { requestLog } from './middleware/request-log.ts';
import { loadStaff, requireStaffPage, sessionMiddleware } from './auth/middleware.ts';
import { createCsrf } from './middleware/csrf.ts';
import { csrfUnlessUpload, staffBody } from './middleware/staff-body.ts';
import { staffFrame } from './middleware/staff-frame.ts';
import type { RouteDeps } from './routes/deps.ts';
import { createDeskCache } from './survey/desk-cache.ts';
import { createStuffingGuard } from './survey/stuffing-guard.ts';
import { createSubmissionQueue } from './survey/submission-queue.ts';
import { createRateCounter } from './survey/rate-counter.ts';
import { allow } from './routes/admin/guards.ts';
import { apiRoutes } from './routes/api.ts';
import { authRoutes } from './routes/auth.ts';
import { disclosureRoutes } from './routes/disclosure.ts';
import { dossierCountRoutes } from './routes/dossier-counts.ts';
import { dossierLinkRoutes } from './routes/dossier-links.ts';
import { exportRoutes } from './routes/export.ts';
import { healthRoutes } from './routes/health.ts';
import { homeRoutes } from './routes/home.ts';
import { reportRoutes } from './routes/report.ts';
import { STAFF_SECTIONS, type StaffSectionLine } from './routes/sections.ts';
import { setPasswordRoutes } from './routes/set-password.ts';
import { surveyRoutes } from './routes/survey.ts';
import { unlockRoutes } from './routes/unlock.ts';
import { unsubscribeRoutes } from './routes/unsubscribe.ts';

export interface AppDeps {
  db: Kysely<Database>;
  config: Config;
  secret: string;
  logger: Logger;
  /** The clock; tests move it. */
  now?: () => Date;
  /** The staff sections (routes/sections.ts); a test adds one. */
  sections?: readonly StaffSectionLine[];
}

const root = PROJECT_ROOT;
// chart.js served from our own origin (CSP 'self'), straight from the installed package.
// The package does not export its UMD build, so find it beside the entry point it does export.
const chartJsFile = join(dirname(createRequire(import.meta.url).resolve('chart.js')), 'chart.umd.min.js');

export function createApp(deps: AppDeps): Express {
  const { db, config, secret, logger } = deps;
  const https = config.baseUrl.startsWith('https:');
  const now = deps.now ?? (() => new Date());
  const routeDeps: RouteDeps = {
    db,
    config,
    secret,
    logger,
    now,
    csrf: createCsrf(secret, https),
    submissions: createSubmissionQueue(db, { today: () => localDay(now()), waitMs: config.database.busyTimeoutMs }),
    desks: createDeskCache(db),
    guard: createStuffingGuard(
      db,
      createRateCounter(db, () => now().getTime()),
      { formsPerMinute: config.surveyFormLimit, submissionsPerMinute: config.surveyRateLimit, minSeconds: config.surveyMinSeconds },
      now,
    ),
  };

  const app = express();
  app.set('trust proxy', config.trustProxy);
  app.set('views', join(root, 'views'));
  app.set('view engine', 'ejs');
  // Compiled templates are kept (Express only does so when NODE_ENV=production); restart to see edits.
  app.set('view cache', process.env.NODE_ENV !== 'development');
  app.set('query parser', 'simple');

  app.use(
    helmet({
      contentSecurityPolicy: {
        useDefaults: true,
        directives: {
          'default-src': ["'self'"],
          'script-src': ["'self'"],
          'style-src': ["'self'"],
          'img-src': ["'self'", 'data:'],
          'form-action': ["'self'"],
          'frame-ancestors': ["'none'"],
          // A center's intranet often serves plain http: upgrading would break every form post.
          'upgrade-insecure-requests': https ? [] : null,
        },
      },
      strictTransportSecurity: https,
    }),
  );
  app.use(requestLog(logger));
  // Citizens are often on 3G: the survey page is a fifth of its size gzipped. Downloads of a whole
  // period (/export/) are compressed at the fastest level: a million responses are 230 MB of CSV,
  // which the default level compressed slower than the export reads them; the file is about a
  // quarter larger (docs/performance.md).
  const pageCompression = compression();
  // A megabyte may wait for the compressor (zlib works off the main thread): the export reads and
  // encodes the next rows meanwhile instead of waiting for each 64 KB to be compressed.
  const pipelined = { highWaterMark: 1 << 20 };
  const fileCompression = compression({ level: 1, ...pipelined, brotli: { ...pipelined, params: { [zlibConstants.BROTLI_PARAM_QUALITY]: 1 } } });
  app.use((req, res, next) => (req.path.startsWith('/export/') ? fileCompression : pageCompression)(req, res, next));
  app.use(locale);

  // Citizens' routes come before the session middleware (the survey never sets a cookie) and before
  // the static files, so that a survey page costs no look-up on disk.
  app.use(surveyRoutes(routeDeps));
  app.use(express.static(join(root, 'public'), { maxAge: '1d', index: false }));
  app.use(healthRoutes(routeDeps));
  app.use(homeRoutes(routeDeps));
  app.use(disclosureRoutes(routeDeps));
  app.use(unsubscribeRoutes(routeDeps));
  // Bearer tokens only, no session: the one-stop software's requests for per-dossier links.
  app.use(dossierLinkRoutes(routeDeps));
  app.use(dossierCountRoutes(routeDeps));
  app.get('/vendor/chart.umd.min.js', (_req, res) => {
    res.sendFile(chartJsFile, { maxAge: '7d' });
  });

  // Every staff route: the session, who is asking, the form body, one CSRF check for every write
  // (an upload's body and token are read by its route, after its permission check: see staff-body.ts),
  // and the staff frame: res.locals.staff, csrfToken, nav and flash, and no-store (staff-frame.ts).
  const sections = deps.sections ?? STAFF_SECTIONS;
  const staff = express.Router();
  staff.use(sessionMiddleware(db, secret, https), loadStaff(db, routeDeps.now), staffBody, csrfUnlessUpload(routeDeps.csrf.guard), staffFrame(routeDeps.csrf, sections));
  for (const routes of [authRoutes, setPasswordRoutes, unlockRoutes, reportRoutes, apiRoutes, exportRoutes]) {
    staff.use(routes(routeDeps));
  }
  // The staff sections (routes/sections.ts): every path under a section's own is for whom its `may`
  // admits (a visitor not signed in goes to the login page, anyone else gets 403). Every guard comes
  // before every section's routes, so /admin's holds for /admin/desks and the table's order is free.
  for (const section of sections) staff.use(section.path, requireStaffPage, allow(section.may));
  for (const section of sections) for (const routes of section.routes) staff.use(routes(routeDeps));
  app.use(staff);

  app.use(notFound);
  app.use(errorHandler(logger));
  return app;
}
