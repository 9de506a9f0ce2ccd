/**
 * Sign-in throttling, kept in the database (shared by every app server, kept across restarts).
 *
 * Failed passwords are counted three ways, each under an HMAC so that neither names nor addresses
 * are stored in clear:
 *  - per account, from anywhere: guessing one account's password from many addresses is slowed;
 *  - per client address (an IPv6 address by its /64, which one household or phone gets whole):
 *    trying one common password on many accounts from one place is slowed;
 *  - per known browser: a browser where the account signed in before (known-browser.ts) skips the
 *    account and address counts, with a count of its own, so a script guessing from a center's
 *    shared address, or guessing one official's password, does not lock that official out.
 * An account's owner kept out of a new browser by someone else's failures gets in with the browser
 * they used before, or with a one-time unlock link from an administrator (routes/unlock.ts), which
 * makes the new browser a known one.
 * Each count allows a few failures, then asks for growing waits (1, 2, 4, 8, then 15 minutes)
 * before the next attempt, and forgets after its window. While a count asks to wait, an attempt is
 * refused without its password being checked: that is not a guess and is not counted.
 * CSRF failures never get here (the CSRF check runs first), so they are not guesses either.
 */
import { ipKeyGenerator } from 'express-rate-limit';
import type { Kysely } from 'kysely';
import { clearThrottle, pruneThrottle, readThrottle, recordThrottleFailure, type ThrottleRow } from '../../db/queries/sign-in-throttle.ts';
import type { Database } from '../../db/schema.ts';
import { keyFor } from './keys.ts';

export interface ThrottleRule {
  /** Failures within a window before any wait. */
  free: number;
  firstWaitSeconds: number;
  maxWaitSeconds: number;
  /** A window opens at a failure; when it is over, counting starts again. */
  windowSeconds: number;
}

export const ACCOUNT_RULE: ThrottleRule = { free: 5, firstWaitSeconds: 60, maxWaitSeconds: 900, windowSeconds: 24 * 3600 };
/** Generous: a center's staff share one address, and their typing mistakes add up. */
export const ADDRESS_RULE: ThrottleRule = { free: 20, firstWaitSeconds: 60, maxWaitSeconds: 900, windowSeconds: 3600 };
export const BROWSER_RULE: ThrottleRule = ACCOUNT_RULE;

/** Seconds until the next attempt may be checked: 0 when it may be checked now. Pure, for tests. */
export function waitSeconds(rule: ThrottleRule, row: Pick<ThrottleRow, 'failures' | 'window_start' | 'last_failure_at'> | undefined, now: Date): number {
  if (!row || row.failures < rule.free) return 0;
  const nowMs = now.getTime();
  if (nowMs - Date.parse(row.window_start) >= rule.windowSeconds * 1000) return 0;
  const wait = Math.min(rule.maxWaitSeconds, rule.firstWaitSeconds * 2 ** (row.failures - rule.free));
  return Math.max(0, Math.ceil((Date.parse(row.last_failure_at) + wait * 1000 - nowMs) / 1000));
}

/** What one attempt is counted against. */
export interface AttemptKeys {
  account: string;
  address: string;
  /** Set when the browser is known to the account: the attempt is then counted against it alone. */
  browser: string | null;
}

const DAY_MS = 24 * 3600 * 1000;

/** Runs work for a key one at a time, in arrival order. */
function keyedQueue() {
  const tails = new Map<string, Promise<void>>();
  return async <T>(key: string, work: () => Promise<T>): Promise<T> => {
    const before = tails.get(key) ?? Promise.resolve();
    let release!: () => void;
    const mine = new Promise<void>((resolve) => (release = resolve));
    const tail = before.then(() => mine);
    tails.set(key, tail);
    await before;
    try {
      return await work();
    } finally {
      release();
      if (tails.get(key) === tail) tails.delete(key);
    }
  };
}

export class SignInThrottle {
  private readonly key;
  private lastPrune = 0;
  private readonly accountLine = keyedQueue();
  private readonly addressLine = keyedQueue();

  constructor(
    private readonly db: Kysely<Database>,
    secret: string,
    private readonly now: () => Date,
  ) {
    this.key = keyFor(secret, 'sign-in-throttle');
  }

  /** `browserId` is the id of a known-browser mark that names this account, or null. */
  keysOf(username: string, clientAddress: string, browserId: string | null): AttemptKeys {
    return {
      account: this.key.mac(`account|${username}`),
      // IPv6 by its /64 (a household or a phone gets a whole /64); IPv4 as it is.
      address: this.key.mac(`address|${ipKeyGenerator(clientAddress, 64)}`),
      browser: browserId === null ? null : this.browserKey(username, browserId),
    };
  }

  private browserKey(username: string, browserId: string): string {
    return this.key.mac(`browser|${browserId}|${username}`);
  }

  /**
   * A sign-in unlock link opened on this browser (routes/unlock.ts): the browser's own count for the
   * account starts again. The account's and the address's counts stay: whoever failed elsewhere still waits.
   */
  async unlocked(username: string, browserId: string): Promise<void> {
    await clearThrottle(this.db, [this.browserKey(username, browserId)]);
  }

  private checked(keys: AttemptKeys): [string, ThrottleRule][] {
    return keys.browser !== null ? [[keys.browser, BROWSER_RULE]] : [[keys.account, ACCOUNT_RULE], [keys.address, ADDRESS_RULE]];
  }

  /**
   * Runs one attempt (its wait check, the password check and the count) while no other attempt on
   * the same account or from the same address runs in this app server. Checked side by side, a
   * burst of 20 attempts on a fresh account all passed the wait check before any failure was
   * counted: 17 passwords were checked instead of 5 (issue 17). Account first, then address,
   * always in that order, so two attempts never wait for each other.
   */
  oneAtATime<T>(keys: AttemptKeys, work: () => Promise<T>): Promise<T> {
    return this.accountLine(keys.browser ?? keys.account, () => this.addressLine(keys.address, work));
  }

  /** Seconds this attempt must wait before its password may be checked; 0 to go ahead. */
  async wait(keys: AttemptKeys): Promise<number> {
    const checked = this.checked(keys);
    const rows = await readThrottle(this.db, checked.map(([k]) => k));
    const now = this.now();
    return Math.max(0, ...checked.map(([k, rule]) => waitSeconds(rule, rows.find((r) => r.key === k), now)));
  }

  /** Counts a failure against each key; `db`: the caller's transaction (the failure's audit entry is written with it). */
  async failed(keys: AttemptKeys, db: Kysely<Database> = this.db): Promise<void> {
    const now = this.now();
    const counted: [string, ThrottleRule][] = [[keys.account, ACCOUNT_RULE], [keys.address, ADDRESS_RULE]];
    if (keys.browser !== null) counted.push([keys.browser, BROWSER_RULE]);
    for (const [key, rule] of counted) {
      await recordThrottleFailure(db, key, now.toISOString(), new Date(now.getTime() - rule.windowSeconds * 1000).toISOString());
    }
    await this.prune(now, db);
  }

  /**
   * The right password clears the count it was judged by, never the address's: on a browser the
   * account does not know, the account's count; on a known browser, that browser's count alone. The
   * account's count then holds only other browsers' failures (a stranger's, most likely), and the
   * owner signing in on their own phone must not give the stranger a fresh start.
   */
  async succeeded(keys: AttemptKeys, db: Kysely<Database> = this.db): Promise<void> {
    await clearThrottle(db, [keys.browser ?? keys.account]);
  }

  /** Counts older than the longest window are gone at most once an hour, on the back of a failure. */
  private async prune(now: Date, db: Kysely<Database>): Promise<void> {
    if (now.getTime() - this.lastPrune < 3600 * 1000) return;
    this.lastPrune = now.getTime();
    await pruneThrottle(db, new Date(now.getTime() - DAY_MS).toISOString());
  }
}
