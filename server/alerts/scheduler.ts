/**
 * Why: the alerts run without anyone at the keyboard (issue 22). Every app server runs this scheduler
 * (started by start/serve.ts, never by createApp, so tests build apps without it): a tick every
 * minute, on an unref'd timer, whose errors are logged and never thrown. Each tick
 *  - evaluates the day just closed, once a day from 00:05 local ('evaluate', run key = that day),
 *    then queues webhooks and sends the immediate emails (run.ts);
 *  - sends the weekly digest of the week just ended, from Monday 07:00 local ('digest', run key = the
 *    ISO week reported, '2026-W49'); a server that was down on Monday sends it when it comes back,
 *    never an older week's, never twice (digest.ts);
 *  - delivers the webhook deliveries that are due (webhooks.ts).
 * A run is claimed in job_runs with a 10-minute lease (db/queries/job-runs.ts): one server runs it;
 * if its holder dies, another takes it over once the lease lapses, and the mail_log rows make a
 * taken-over digest skip those already sent. The work is all async and yields between recipients,
 * so citizens' requests on the same server are never held up.
 */
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { addDays, localDay, startOfLocalDay } from '../../analytics/time.ts';
import { claimJobRun, finishJobRun, postponeJobRun, renewJobRun } from '../../db/queries/job-runs.ts';
import { digestWeekDue, sendDigests } from './digest.ts';
import type { MailDeps } from './mail.ts';
import { runAlerts } from './run.ts';
import { deliverDueWebhooks } from './webhooks.ts';

export const TICK_MS = 60_000;
export const LEASE_MS = 10 * 60_000;
/** The day just closed is evaluated from this many minutes after local midnight. */
export const EVALUATE_AFTER_MINUTES = 5;

export interface SchedulerDeps extends MailDeps {
  /** The clock; tests move it. */
  now?: () => Date;
  /** This server's name in job_runs (default: host, process and a random part). */
  holder?: string;
}

/** What one tick did (for tests and the log): the runs it claimed and finished. */
export interface TickReport {
  evaluated: string | null;
  digest: string | null;
  webhooks: number;
}

export interface Scheduler {
  /** One tick now; resolves when it is done. Never rejects. */
  tick(): Promise<TickReport>;
  /**
   * Ticks every minute from now on, the first a minute after starting: a server that has just started
   * (or restarted with its database) serves citizens first, and catches up on its first tick.
   */
  start(): void;
  /** No more ticks; resolves once a tick under way has finished. */
  stop(): Promise<void>;
}

/** The day to evaluate at `now`: the day just closed, from 00:05 local; null before. */
export function evaluationDayDue(now: Date): string | null {
  const today = localDay(now);
  if (now.getTime() < startOfLocalDay(today).getTime() + EVALUATE_AFTER_MINUTES * 60_000) return null;
  return addDays(today, -1);
}

export function createScheduler(deps: SchedulerDeps): Scheduler {
  const { db, logger } = deps;
  const now = deps.now ?? (() => new Date());
  const holder = deps.holder ?? `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
  const leaseFrom = (at: Date) => new Date(at.getTime() + LEASE_MS).toISOString();
  let running: Promise<TickReport> | null = null;
  let timer: NodeJS.Timeout | null = null;

  async function claim(job: string, runKey: string): Promise<boolean> {
    const at = now();
    const claimed = await claimJobRun(db, { job, runKey, holder, at: at.toISOString(), leaseUntil: leaseFrom(at) });
    if (claimed === 'taken-over') logger.warn({ job, runKey, holder }, 'scheduled run taken over from a holder that stopped');
    return claimed !== null;
  }

  async function evaluate(): Promise<string | null> {
    const day = evaluationDayDue(now());
    if (day === null || !(await claim('evaluate', day))) return null;
    const run = await runAlerts(deps, { now: now(), through: day, runKey: day });
    const summary = {
      opened: run.evaluation.opened.length,
      closed: run.evaluation.closed.length,
      stillOpen: run.evaluation.stillOpen,
      webhooks: run.webhooks,
      emails: { sent: run.emails.sent, held: run.emails.held, failed: run.emails.failed },
    };
    await finishJobRun(db, 'evaluate', day, holder, now().toISOString(), JSON.stringify(summary));
    logger.info({ job: 'evaluate', day, ...summary }, 'alerts evaluated');
    return day;
  }

  async function digest(): Promise<string | null> {
    // Email off: no digest is claimed, so turning email on later in the week still sends it.
    if (!deps.mailer) return null;
    const week = digestWeekDue(now());
    if (week === null || !(await claim('digest', week.key))) return null;
    const sent = await sendDigests(deps, week, now, () => renewJobRun(db, 'digest', week.key, holder, leaseFrom(now())));
    const summary = JSON.stringify(sent);
    // Some could not be sent (the mail server was down): the run is tried again once its lease lapses.
    if (sent.failed > 0) await postponeJobRun(db, 'digest', week.key, holder, leaseFrom(now()), summary);
    else await finishJobRun(db, 'digest', week.key, holder, now().toISOString(), summary);
    logger.info({ job: 'digest', week: week.key, ...sent }, 'weekly digest run');
    return week.key;
  }

  async function step<T>(name: string, fallback: T, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      logger.error({ err: error, job: name, holder }, 'scheduled job failed; it is tried again once its lease lapses');
      return fallback;
    }
  }

  async function runTick(): Promise<TickReport> {
    const evaluated = await step('evaluate', null, evaluate);
    const week = await step('digest', null, digest);
    const webhooks = await step('webhooks', 0, async () => (await deliverDueWebhooks(db, { now, allowLoopback: deps.config.webhookAllowLoopback })).tried);
    return { evaluated, digest: week, webhooks };
  }

  function tick(): Promise<TickReport> {
    // One tick at a time on a server: a slow one (a mail server timing out) is not piled on.
    if (running) return running.then(() => ({ evaluated: null, digest: null, webhooks: 0 }));
    running = runTick().finally(() => {
      running = null;
    });
    return running;
  }

  return {
    tick,
    start() {
      if (timer) return;
      timer = setInterval(() => void tick(), TICK_MS);
      timer.unref();
    },
    async stop() {
      if (timer) clearInterval(timer);
      timer = null;
      if (running) await running;
    },
  };
}
