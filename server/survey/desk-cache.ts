/**
 * Desks in memory, so the survey page of a known desk costs no database work: its unit, fields and
 * questionnaire version are read once and kept. A change made in this process (an administrator
 * rotating a QR code, editing a questionnaire) is seen by the next request; a change made by another
 * app server or by the command line within SYNC_MS, through the version in the database
 * (db/queries/survey-config.ts); anything else within TTL_MS.
 */
import type { Kysely } from 'kysely';
import { type DeskSurvey, findDeskSurvey } from '../../db/queries/desks.ts';
import { surveyConfigChangesHere, surveyConfigVersion } from '../../db/queries/survey-config.ts';
import type { Database } from '../../db/schema.ts';

/** How often the shared version is read: the longest another server's change takes to show here. */
export const SYNC_MS = 2_000;
/** A cached desk is read again after this long whatever happens (a safety net, not the mechanism). */
const TTL_MS = 10 * 60_000;
const MAX_ENTRIES = 5_000;

export interface DeskCache {
  /** The desk as the survey shows it, or as it was with an earlier questionnaire version; undefined when unknown or inactive. */
  get(deskId: number, questionnaireId?: number): Promise<DeskSurvey | undefined>;
}

interface Entry {
  at: number;
  survey: Promise<DeskSurvey | undefined>;
}

export function createDeskCache(db: Kysely<Database>, clock: () => number = Date.now): DeskCache {
  const entries = new Map<string, Entry>();
  let seenHere = surveyConfigChangesHere();
  let sharedVersion: string | null = null;
  let checkedAt = 0;
  let checking: Promise<void> | null = null;

  async function checkShared(): Promise<void> {
    const version = await surveyConfigVersion(db);
    if (sharedVersion !== null && version !== sharedVersion) entries.clear();
    sharedVersion = version;
  }

  async function fresh(): Promise<void> {
    if (surveyConfigChangesHere() !== seenHere) {
      seenHere = surveyConfigChangesHere();
      entries.clear();
    }
    const now = clock();
    if (now - checkedAt >= SYNC_MS) {
      checkedAt = now;
      // One read for every request arriving meanwhile; a failed read is tried again next time.
      checking ??= checkShared().finally(() => (checking = null));
      await checking.catch(() => undefined);
    }
  }

  return {
    async get(deskId, questionnaireId) {
      await fresh();
      const key = `${deskId}|${questionnaireId ?? ''}`;
      const cached = entries.get(key);
      if (cached && clock() - cached.at < TTL_MS) return cached.survey;
      const survey = findDeskSurvey(db, deskId, questionnaireId);
      if (entries.size >= MAX_ENTRIES) entries.clear();
      entries.set(key, { at: clock(), survey });
      // A failed read is not remembered.
      survey.catch(() => entries.delete(key));
      return survey;
    },
  };
}
