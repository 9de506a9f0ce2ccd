import { type Kysely, type MigrationResultSet, Migrator, NO_MIGRATIONS } from 'kysely';
import * as survey from './migrations/2026-11-25-0001-survey.ts';
import * as staff from './migrations/2026-11-25-0002-staff.ts';
import * as monthly from './migrations/2026-11-25-0003-monthly-rollups.ts';
import * as administration from './migrations/2026-11-26-0004-administration.ts';
import * as accountSecurity from './migrations/2026-11-27-0005-account-security.ts';
import * as integrity from './migrations/2026-11-28-0006-survey-integrity.ts';
import * as fields2025 from './migrations/2026-11-28-0007-fields-2025.ts';
import * as drafts from './migrations/2026-11-29-0008-survey-drafts.ts';
import * as commentFilters from './migrations/2026-11-30-0009-comment-filters.ts';
import * as countedOnce from './migrations/2026-12-04-0010-counted-once.ts';
import * as unlockLinks from './migrations/2026-12-04-0011-unlock-links.ts';
import * as publishedFigures from './migrations/2026-12-05-0012-published-figures.ts';
import * as indicatorCovers from './migrations/2026-12-05-0013-indicator-covers.ts';
import * as dossierCounts from './migrations/2026-12-05-0014-dossier-counts.ts';
import * as deskShortCodes from './migrations/2026-12-05-0016-desk-short-codes.ts';
import * as schoolQuestionWording from './migrations/2026-12-06-0017-school-question-wording.ts';
import * as alerts from './migrations/2026-12-06-0018-alerts.ts';
import * as responseAnswersText from './migrations/2026-12-06-0019-response-answers-text.ts';

/** Every migration, in order. Names are dated so that the order is also the history. */
const migrations = {
  '2026-11-25-0001-survey': survey,
  '2026-11-25-0002-staff': staff,
  '2026-11-25-0003-monthly-rollups': monthly,
  '2026-11-26-0004-administration': administration,
  '2026-11-27-0005-account-security': accountSecurity,
  '2026-11-28-0006-survey-integrity': integrity,
  '2026-11-28-0007-fields-2025': fields2025,
  '2026-11-29-0008-survey-drafts': drafts,
  '2026-11-30-0009-comment-filters': commentFilters,
  '2026-12-04-0010-counted-once': countedOnce,
  '2026-12-04-0011-unlock-links': unlockLinks,
  '2026-12-05-0012-published-figures': publishedFigures,
  '2026-12-05-0013-indicator-covers': indicatorCovers,
  '2026-12-05-0014-dossier-counts': dossierCounts,
  '2026-12-05-0016-desk-short-codes': deskShortCodes,
  '2026-12-06-0017-school-question-wording': schoolQuestionWording,
  '2026-12-06-0018-alerts': alerts,
  '2026-12-06-0019-response-answers-text': responseAnswersText,
};

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the Migrator works on any schema
function migrator(db: Kysely<any>): Migrator {
  return new Migrator({ db, provider: { getMigrations: () => Promise.resolve(migrations) } });
}

export class MigrationError extends Error {}

function check(result: MigrationResultSet): string[] {
  if (result.error) {
    const failed = result.results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    const cause = result.error instanceof Error ? result.error.message : JSON.stringify(result.error);
    throw new MigrationError(`Migration ${failed} failed: ${cause}`);
  }
  return (result.results ?? []).map((r) => r.migrationName);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see migrator()
export async function migrateToLatest(db: Kysely<any>): Promise<string[]> {
  return check(await migrator(db).migrateToLatest());
}

/** Undo every migration (tests and disaster recovery only). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see migrator()
export async function migrateDownAll(db: Kysely<any>): Promise<string[]> {
  return check(await migrator(db).migrateTo(NO_MIGRATIONS));
}

/** Move to a named migration, up or down (tests and recovery). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see migrator()
export async function migrateTo(db: Kysely<any>, name: keyof typeof migrations): Promise<string[]> {
  return check(await migrator(db).migrateTo(name));
}
