/**
 * Failed sign-ins per key (the caller's keyed hash of an account, an address or a browser), in the
 * database so that every app server sees the same counts and a restart forgets nothing.
 */
import type { Kysely } from 'kysely';
import type { Database, SignInThrottleTable } from '../schema.ts';

export type ThrottleRow = SignInThrottleTable;

export async function readThrottle(db: Kysely<Database>, keys: string[]): Promise<ThrottleRow[]> {
  if (keys.length === 0) return [];
  return db.selectFrom('sign_in_throttle').selectAll().where('key', 'in', keys).execute();
}

/**
 * One more failure, atomically (parallel failures all count): a key whose window began at or
 * before `windowStartedBefore` starts a new window at this failure.
 */
export async function recordThrottleFailure(db: Kysely<Database>, key: string, now: string, windowStartedBefore: string): Promise<void> {
  await db
    .insertInto('sign_in_throttle')
    .values({ key, failures: 1, window_start: now, last_failure_at: now })
    .onConflict((oc) =>
      oc.column('key').doUpdateSet((eb) => {
        const expired = eb('sign_in_throttle.window_start', '<=', windowStartedBefore);
        return {
          failures: eb.case().when(expired).then(1).else(eb('sign_in_throttle.failures', '+', 1)).end(),
          window_start: eb.case().when(expired).then(now).else(eb.ref('sign_in_throttle.window_start')).end(),
          last_failure_at: now,
        };
      }),
    )
    .execute();
}

export async function clearThrottle(db: Kysely<Database>, keys: string[]): Promise<void> {
  if (keys.length === 0) return;
  await db.deleteFrom('sign_in_throttle').where('key', 'in', keys).execute();
}

/** Keys with no failure since `before` count nothing any more. */
export async function pruneThrottle(db: Kysely<Database>, before: string): Promise<number> {
  const result = await db.deleteFrom('sign_in_throttle').where('last_failure_at', '<', before).executeTakeFirst();
  return Number(result.numDeletedRows);
}
