/** What every route factory receives: one shape, so a new route needs no new wiring in app.ts. */
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { Config } from '../start/config.ts';
import type { Logger } from '../log.ts';
import type { Csrf } from '../middleware/csrf.ts';
import type { DeskCache } from '../survey/desk-cache.ts';
import type { StuffingGuard } from '../survey/stuffing-guard.ts';
import type { SubmissionQueue } from '../survey/submission-queue.ts';

export interface RouteDeps {
  db: Kysely<Database>;
  config: Config;
  /** Signs QR, kiosk and form tokens. */
  secret: string;
  logger: Logger;
  /** The clock; tests move it. */
  now: () => Date;
  /**
   * Staff forms' CSRF tokens: the check runs once for every staff write and the staff frame puts the
   * page's token in res.locals.csrfToken (app.ts); a route needs it only to check an upload's token.
   */
  csrf: Csrf;
  /** Where every channel's submissions are written, in batches (group commit). */
  submissions: SubmissionQueue;
  /** Desks as the survey shows them, kept in memory. */
  desks: DeskCache;
  /** The survey's rate limits and stuffing signals, counted in the database. */
  guard: StuffingGuard;
}
